"""The playground's export (build_assets/playground.py): what the page reads is the
library's and the experiments' own data, written deterministically and atomically; and
the page's numeric claims follow the tests that back them."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from build_assets import playground
from build_assets.cli import EXPERIMENTS
from build_assets.config import load
from build_assets.experiment import TUNED_FILE
from optimizers import HORIZON_FACTOR, OPTIMIZERS, SURFACES
from optimizers.algorithms.nadam import MOMENTUM_DECAY

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def experiments() -> dict:
    exp = load(EXPERIMENTS)
    return {key: {"start": list(e.start), "steps": e.steps, "seed": e.seed} for key, e in exp.surfaces.items()}


def fake_tuning(out: Path, experiments: dict) -> None:
    """tuned.json files as the tuning task writes them, with recognisable rates."""
    for key, entry in experiments.items():
        tuned = {name: {"hparams": {"lr": 0.125 + i}, "score": 1.0, "source": "grid", "tried": 1}
                 for i, name in enumerate(entry["seed"])}
        (out / TUNED_FILE.format(surface=key)).parent.mkdir(parents=True, exist_ok=True)
        (out / TUNED_FILE.format(surface=key)).write_text(json.dumps(tuned))


def test_export_holds_the_librarys_specs_and_the_settings(tmp_path, experiments):
    fake_tuning(tmp_path, experiments)
    playground.export(tmp_path, experiments)
    atlas = json.loads((tmp_path / playground.ATLAS_FILE).read_text(encoding="utf-8"))
    assert set(atlas["optimizers"]) == set(OPTIMIZERS)
    for name, spec in OPTIMIZERS.items():
        assert atlas["optimizers"][name]["hypers"] == {k: {"default": h.default, "kind": h.kind}
                                                       for k, h in spec.hypers.items()}
    offered = {key for key, surface in SURFACES.items() if playground.in_playground(surface)}
    # Every surface but the data-set objectives (whose mini-batch runner is not ported yet).
    assert set(atlas["surfaces"]) == offered
    assert set(SURFACES) - offered == {key for key, s in SURFACES.items() if hasattr(s, "n_examples")}
    for key in offered:
        surface, exported = SURFACES[key], atlas["surfaces"][key]
        assert exported["bounds"] == [list(b) for b in surface.bounds]
        assert exported["min_value"] == surface.min_value and exported["loss_tol"] == surface.loss_tol
        assert [p["location"] for p in exported["stationary_points"]] == [list(p.location) for p in surface.stationary_points]
    for key, entry in experiments.items():
        assert atlas["settings"][key]["seed"] == entry["seed"]
        assert atlas["settings"][key]["tuned"] == {name: {"lr": 0.125 + i} for i, name in enumerate(entry["seed"])}
    assert atlas["constants"]["MOMENTUM_DECAY"] == MOMENTUM_DECAY  # the exact double, not recomputed
    assert atlas["constants"]["HORIZON_FACTOR"] == HORIZON_FACTOR


def test_export_is_deterministic_and_atomic(tmp_path, experiments):
    fake_tuning(tmp_path, experiments)
    playground.export(tmp_path, experiments)
    first = (tmp_path / playground.ATLAS_FILE).read_bytes()
    playground.export(tmp_path, experiments)
    assert (tmp_path / playground.ATLAS_FILE).read_bytes() == first
    missing = next(iter(experiments))
    (tmp_path / TUNED_FILE.format(surface=missing)).unlink()
    with pytest.raises(FileNotFoundError, match="tuned.json"):
        playground.export(tmp_path, experiments)
    assert (tmp_path / playground.ATLAS_FILE).read_bytes() == first  # untouched
    assert not list((tmp_path / "playground").glob(".*.tmp"))


def test_the_pages_tolerance_is_the_tests():
    page = (ROOT / "docs" / "playground.md").read_text(encoding="utf-8")
    golden = (ROOT / "tests" / "playground" / "golden.test.mjs").read_text(encoding="utf-8")
    tolerance = float(re.search(r"const RASTRIGIN_TOL = ([0-9.e-]+);", golden).group(1))
    exponent = round(math.log10(tolerance))
    superscript = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    assert f"within 10{superscript} of the plot's width" in page
    assert "any of the eleven optimizers" in page and len(OPTIMIZERS) == 11


def test_explore_links_name_the_run_of_each_run_figure():
    from build_assets.explore_links import add_explore_links

    exp = load(EXPERIMENTS)
    page = ("![a](../assets/generated/rosenbrock/tuned_contour.gif){ loading=lazy }\n"
            "![b](assets/generated/sets/cs231n/beale_seed_contour.gif)\n"
            "![c](../assets/generated/rosenbrock/seed_loss.png)\n"
            "![d](../assets/generated/rosenbrock/surface.png)\n")
    lines = add_explore_links(page, exp).splitlines()
    everyone = ",".join(exp.surfaces["rosenbrock"].seed)
    assert lines[0].endswith(f"[Explore this run](../playground.md?surface=rosenbrock&preset=tuned&on={everyone})"
                             "{ .oa-explore }")
    assert f"(playground.md?surface=beale&preset=seed&on={','.join(exp.sets['cs231n'].optimizers)})" in lines[1]
    # the loss chart shows the same runs as the setting's animations
    assert lines[2].endswith(f"(../playground.md?surface=rosenbrock&preset=seed&on={everyone}){{ .oa-explore }}")
    assert lines[3] == "![d](../assets/generated/rosenbrock/surface.png)"  # no run in it
