"""Sensitivity to the start point: is a run's result a property of the method, or chaos?

On a rugged surface (Rastrigin) a shift of the start by 1e-12 can change where a run
ends. Such a run's final loss says nothing about the method, so it must not be ranked.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .metrics import evaluate
from .runner import run

SHIFT = 1e-9  # start shifts, as a fraction of the plot's width: far below anything a reader could see
ARRIVAL_SLACK = 2  # arrival steps may differ by this many (plus 5 %) before they disagree
UNSETTLED = {"cycling": "unsettled", "moving": "unsettled"}
LOSS_RTOL = 1e-3  # final losses that differ by more than this (relative, or absolute below 1) disagree


class StartSensitivity(NamedTuple):
    chaotic: bool  # the shifted runs end differently from the run itself
    kinds: tuple[str, ...]  # the outcome of the run and of each shifted run
    final_losses: np.ndarray  # at the end of the budget, the run's first
    steps_to_target: np.ndarray


def shifted_starts(surface, x0) -> np.ndarray:
    """``x0`` itself, then four starts shifted by SHIFT of the plot width (±x1, ±x2): shape (5, 2).
    Run as one batch, element 0 is bit for bit the run from ``x0`` alone, except where LAPACK
    enters (Newton's pseudo-inverse at a singular Hessian may differ in the last bit)."""
    width = surface.bounds[0][1] - surface.bounds[0][0]
    shifts = SHIFT * width * np.array([[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1]], dtype=np.float64)
    return np.asarray(x0, dtype=np.float64) + shifts


def compare_starts(m) -> StartSensitivity:
    """Judge the metrics ``m`` (``evaluate``) of a run from ``shifted_starts``: do the shifted
    runs agree with the first in outcome, arrival step and final loss?"""
    losses = np.asarray(m.final_loss)
    with np.errstate(invalid="ignore"):
        disagree = np.abs(losses - losses[0]) > LOSS_RTOL * np.maximum(1.0, np.abs(losses[0]))
    arrival = m.steps_to_target
    # Arriving a step earlier or later is the tolerance's edge, not chaos.
    spread = int(arrival.max() - arrival.min()) if (arrival >= 0).all() else 0
    # "cycling" and "still moving" are both unsettled; which one a run is called at the horizon
    # can depend on the phase of its last wiggle, and says nothing about chaos.
    kinds = {UNSETTLED.get(kind, kind) for kind in m.outcome.kind.tolist()}
    chaotic = (len(kinds) > 1
               or spread > ARRIVAL_SLACK + int(arrival.max()) // 20
               or bool(np.any(disagree | (np.isnan(losses) != np.isnan(losses[0])))))
    return StartSensitivity(bool(chaotic), tuple(m.outcome.kind.tolist()), losses, m.steps_to_target)


def start_sensitivity(opt, surface, x0, budget: int, horizon: int) -> StartSensitivity:
    """Run ``opt`` from ``x0`` and from the shifted starts, and compare them."""
    return compare_starts(evaluate(run(opt, surface, shifted_starts(surface, x0), horizon), surface, budget))
