"""Drawing tasks: each makes the figures of one task from the experiment settings."""
from __future__ import annotations

import json
from pathlib import Path

from optimizers import SURFACES, evaluate

from . import experiment
from .atomic import write_text_atomic

SETTING_TITLES = {"seed": "hand-picked settings", "tuned": "tuned settings"}


def _runs(out_dir: Path, surface, start, steps, seed, setting, colours=None):
    """The setting's trajectories as styled runs, plus the trajectories themselves."""
    from .render.style import make_run

    hparams = experiment.hyperparameters(out_dir, surface, setting, seed)
    trajectories = experiment.run_setting(surface, start, steps, hparams)
    runs = [make_run(name, traj.points, int(traj.diverged_at), overrides=colours)
            for name, traj in trajectories.items()]
    return runs, trajectories


def static(out_dir: Path, surface: str) -> None:
    from .render.scene import save_contour_png, save_surface_png

    save_surface_png(SURFACES[surface], out_dir / f"{surface}/surface.png")
    save_contour_png(SURFACES[surface], out_dir / f"{surface}/contour.png")


def animation(out_dir: Path, surface: str, start, steps: int, seed: dict, setting: str, view: str,
              output: str, colours: dict | None = None, title: str | None = None) -> None:
    from .render.animate import render_animation

    runs, _ = _runs(out_dir, surface, start, steps, seed, setting, colours)
    s = SURFACES[surface]
    heading = f"{title}: {s.title}" if title else f"{s.title} · {SETTING_TITLES[setting]}"
    render_animation(out_dir / output, s, runs, view, title=heading)


def loss_curves(out_dir: Path, surface: str, start, steps: int, seed: dict, setting: str) -> None:
    from .render.loss import save_loss_curves

    runs, _ = _runs(out_dir, surface, start, steps, seed, setting)
    s = SURFACES[surface]
    save_loss_curves(out_dir / f"{surface}/{setting}_loss.png", s, runs,
                     title=f"{s.title} · {SETTING_TITLES[setting]}")
