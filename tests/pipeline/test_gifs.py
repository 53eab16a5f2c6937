"""The animations: animated, looping, at most 150 frames, wide enough and small enough;
a surface where optimizers diverge renders, and its metrics record the divergence."""
from __future__ import annotations

import json

import pytest
from PIL import Image

from .helpers import outputs

MAX_FRAMES = 150
MIN_WIDTH = 720
MAX_BYTES = 2 * 1024 * 1024


def _gifs(out):
    return [name for name in outputs(out) if name.endswith(".gif")]


def test_every_planned_view_has_a_gif(tiny_build):
    gifs = _gifs(tiny_build)
    for surface in ("saddle", "cubic"):
        for setting in ("seed", "tuned"):
            for view in ("3d", "contour"):
                assert f"{surface}/{setting}_{view}.gif" in gifs
    assert "sets/mini/saddle_seed_contour.gif" in gifs


def test_gifs_are_animated_looping_sized_and_small(tiny_build):
    gifs = _gifs(tiny_build)
    assert gifs
    for name in gifs:
        path = tiny_build / name
        with Image.open(path) as gif:
            assert gif.format == "GIF", name
            assert gif.is_animated and 1 < gif.n_frames <= MAX_FRAMES, (name, gif.n_frames)
            assert gif.info.get("loop") == 0, f"{name} does not loop for ever"
            assert gif.width >= MIN_WIDTH, (name, gif.size)
            durations = []
            for frame in range(gif.n_frames):
                gif.seek(frame)
                durations.append(gif.info["duration"])
            assert all(d >= 20 for d in durations), (name, durations)
        assert path.stat().st_size < MAX_BYTES, (name, path.stat().st_size)


def test_long_runs_are_capped_at_150_frames(tiny_build):
    """The saddle runs 300 steps: more than the cap, so the animation samples them."""
    with Image.open(tiny_build / "saddle/seed_contour.gif") as gif:
        assert 100 < gif.n_frames <= MAX_FRAMES


@pytest.mark.parametrize("view", ["3d", "contour"])
def test_a_diverging_run_renders_and_is_recorded(tiny_build, view):
    """Cubic with the seed settings: momentum (lr 0.01, 0.9) diverges after ~20 steps."""
    metrics = json.loads((tiny_build / "cubic/seed_metrics.json").read_text())
    momentum, sgd = metrics["optimizers"]["momentum"], metrics["optimizers"]["sgd"]
    assert momentum["diverged_at"] is not None and 10 <= momentum["diverged_at"] <= 40
    assert momentum["outcome"]["kind"] == "diverged"
    assert sgd["diverged_at"] is None
    with Image.open(tiny_build / f"cubic/seed_{view}.gif") as gif:
        assert gif.n_frames == metrics["steps"] + 1
        gif.seek(gif.n_frames - 1)
        gif.load()
