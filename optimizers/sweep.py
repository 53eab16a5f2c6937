"""Hyperparameter search: every combination of a grid runs as one vectorised batch."""
from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

from .base import make
from .horizon import run_verified
from .metrics import Metrics, evaluate
from .outcomes import target_gap
from .runner import Trajectory


class SearchResult(NamedTuple):
    params: dict[str, np.ndarray]  # each (K,): the K combinations tried, in grid order
    scores: np.ndarray  # (K,), lower is better; see ``score``
    metrics: Metrics  # per combination
    best: dict[str, float]  # the combination with the lowest score (first on ties)
    best_index: int


def score(traj: Trajectory, surface, metrics: Metrics | None = None) -> np.ndarray:
    """Score a whole run; lower is better.

    A run whose outcome is "held" (it reached the surface's target within the budget
    and stayed there to the horizon, see ``optimizers.outcomes``) without having left
    the plot range first scores the step at which it arrived. Any other run scores
    more than the number of steps: ``steps + 1 + log10(1 + gap to the target at the
    end of the budget)``, plus ``steps`` again if it left the plot or diverged before
    arriving, or reached the target and left it again. Speed counts only among runs
    that hold, so a setting that later leaves the target can never win.
    """
    metrics = metrics or evaluate(traj, surface)
    steps = len(traj.points) - 1
    arrived = metrics.steps_to_target >= 0
    never = steps + 1
    left_at = np.minimum(np.where(metrics.left_plot_at >= 0, metrics.left_plot_at, never),
                         np.where(metrics.diverged_at >= 0, metrics.diverged_at, never))  # whichever came first
    left_first = (left_at < never) & (~arrived | (left_at < metrics.steps_to_target))
    left_target = metrics.outcome.kind == "left"
    gap = np.maximum(target_gap(surface, traj.losses[-1]), 0.0)
    missed = steps + 1 + np.log10(1 + gap) + steps * (left_first | left_target)
    return np.where(arrived & ~left_first, metrics.steps_to_target, missed).astype(np.float64)


def grid_search(name: str, surface, x0, steps: int, grid: dict, horizon: int | None = None,
                **fixed) -> SearchResult:
    """Run optimizer ``name`` for every combination of the values in ``grid`` at once; runs
    that hold the target are checked to ``horizon`` (default: ``outcomes.horizon_for``)."""
    keys = list(grid)
    combos = np.array(list(itertools.product(*(np.asarray(grid[k], dtype=np.float64) for k in keys))))
    params = {key: combos[:, i] for i, key in enumerate(keys)}

    def make_opt(index):
        chosen = slice(None) if index is None else index
        return make(name, **{key: values[chosen, None] for key, values in params.items()}, **fixed)

    x0 = np.broadcast_to(np.asarray(x0, dtype=np.float64), (len(combos), 2))
    traj, metrics = run_verified(make_opt, surface, x0, steps, horizon)
    scores = score(traj, surface, metrics)
    best_index = int(np.argmin(scores))
    best = {key: float(values[best_index]) for key, values in params.items()}
    return SearchResult(params, scores, metrics, best, best_index)


def lr_sweep(name: str, surface, x0, steps: int, lrs=None, **hparams) -> SearchResult:
    """Score a log-spaced grid of learning rates (default 1e-4 … 10, 41 values)."""
    lrs = np.logspace(-4, 1, 41) if lrs is None else lrs
    return grid_search(name, surface, x0, steps, {"lr": lrs}, **hparams)


class Tuned(NamedTuple):
    hparams: dict[str, float]  # the winner
    score: float
    source: str  # "grid", "refined" or "hand-picked": which search found it
    tried: int  # how many settings were run in all


REFINE = 9  # learning rates tried between the best grid rate's neighbours


def tune(name: str, surface, x0, steps: int, grid: dict, hand_picked: dict | None = None,
         refine: int = REFINE, **fixed) -> Tuned:
    """The best setting of optimizer ``name`` under ``score``: the grid, then ``refine``
    learning rates spaced evenly (in log) between the best grid rate's neighbours (its
    other hyperparameters kept), then the hand-picked setting, so that the tuned setting
    never scores worse than the hand-picked one. Ties go to the earlier search."""
    found = grid_search(name, surface, x0, steps, grid, **fixed)
    best = Tuned(found.best, float(found.scores[found.best_index]), "grid", len(found.scores))
    lrs = np.unique(np.asarray(grid["lr"], dtype=np.float64))
    if refine and len(lrs) > 1:
        ratio = float(np.max(lrs[1:] / lrs[:-1]))
        lr = best.hparams["lr"]
        fine = np.geomspace(lr / ratio, lr * ratio, refine)
        others = {key: value for key, value in best.hparams.items() if key != "lr"}
        refined = grid_search(name, surface, x0, steps, {"lr": fine}, **others, **fixed)
        score = float(refined.scores[refined.best_index])
        tried = best.tried + refine
        best = (Tuned({**refined.best, **others}, score, "refined", tried) if score < best.score
                else best._replace(tried=tried))
    if hand_picked is not None:
        hp = dict(hand_picked)
        lr = hp.pop("lr", None)
        lr = make(name).hparams["lr"] if lr is None else lr
        mine = grid_search(name, surface, x0, steps, {"lr": [lr]}, **hp)
        score = float(mine.scores[0])
        tried = best.tried + 1
        best = (Tuned({"lr": float(lr), **hp}, score, "hand-picked", tried) if score < best.score
                else best._replace(tried=tried))
    return best
