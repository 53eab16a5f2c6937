"""Per-trajectory metrics, vectorised over the batch of start points.

Arrays indexed by step have the step on axis 0, as in ``Trajectory``. A trajectory
may run past the ``budget`` that is shown: the path metrics describe the shown part,
the outcome (``optimizers.outcomes``) the whole horizon.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .outcomes import Outcome, classify, concatenate, first_step, steps_to_tolerance, target_gap
from .runner import Trajectory

__all__ = ["Metrics", "evaluate", "first_step", "steps_to_tolerance", "target_gap", "ROUND_OFF",
           "SIGNIFICANT_STEP"]

ROUND_OFF = 1e-12  # a coordinate change smaller than this is numerical noise, not a move
# A move counts as a reversal candidate only if it is at least this fraction of the
# path's extent: settling jitter (4e-7-long steps at a minimum) is not oscillation.
SIGNIFICANT_STEP = 1e-3


class Metrics(NamedTuple):
    steps_to_target: np.ndarray  # "held": the step from which the run stays at the target, else -1
    steps_to_loss_tol: np.ndarray  # ... stays within loss_tol of its nearest minimum's value
    steps_to_distance_tol: np.ndarray  # ... stays within distance_tol of its nearest minimum
    final_loss: np.ndarray  # at the end of the budget
    final_distance: np.ndarray  # to the nearest listed minimum (NaN if none is listed)
    nearest_minimum: np.ndarray  # index into surface.minima (-1 if none is listed)
    path_length: np.ndarray
    path_efficiency: np.ndarray  # straight-line distance / path length (1 = straight)
    oscillation: np.ndarray  # fraction of successive significant moves that reverse, mean over coordinates
    diverged_at: np.ndarray  # up to the horizon
    left_plot_at: np.ndarray  # first step outside the plot range within the budget, else -1
    outcome: Outcome


def oscillation(steps_taken: np.ndarray) -> np.ndarray:
    """Fraction of successive significant moves along a coordinate that reverse its
    direction, averaged over the two coordinates. A move is significant if it is at least
    SIGNIFICANT_STEP times the path's extent (the diagonal of its bounding box)."""
    positions = np.concatenate([np.zeros_like(steps_taken[:1]), np.cumsum(steps_taken, axis=0)])
    extent = np.linalg.norm(positions.max(axis=0) - positions.min(axis=0), axis=-1)
    threshold = np.maximum(ROUND_OFF, SIGNIFICANT_STEP * extent)[None, ..., None]
    signs = np.sign(np.where(np.abs(steps_taken) >= threshold, steps_taken, 0.0))
    reversals = (signs[1:] * signs[:-1] < 0).sum(axis=0)
    pairs = (signs[1:] * signs[:-1] != 0).sum(axis=0)
    return np.divide(reversals, pairs, out=np.zeros(reversals.shape), where=pairs > 0).mean(axis=-1)


PIECE_POINTS = 1 << 17  # a large flat batch is evaluated this many trajectory points at a time


def evaluate(traj: Trajectory, surface, budget: int | None = None, distance_tol: float = 1e-3) -> Metrics:
    """All metrics of ``traj`` on ``surface``, one value per start point. ``budget`` is the
    number of steps shown (default: the whole trajectory, which is then also the horizon)."""
    runs = traj.points.shape[1] if traj.points.ndim == 3 else 0
    piece = max(1, PIECE_POINTS // len(traj.points))
    if runs <= piece:
        return _evaluate(traj, surface, budget, distance_tol)
    # A flat batch in pieces of a few runs: whole-batch temporaries (tens of MB for a basin
    # map) are several times slower to make than cache-sized ones.
    parts = [_evaluate(Trajectory(traj.points[:, i:i + piece], traj.losses[:, i:i + piece],
                                  traj.diverged_at[i:i + piece]), surface, budget, distance_tol)
             for i in range(0, runs, piece)]
    return Metrics(*(np.concatenate(field) for field in zip(*(p[:-1] for p in parts))),
                   concatenate([p.outcome for p in parts]))


def _evaluate(traj: Trajectory, surface, budget: int | None, distance_tol: float) -> Metrics:
    horizon = len(traj.points) - 1
    budget = horizon if budget is None else min(int(budget), horizon)
    outcome = classify(traj.points, traj.losses, traj.diverged_at, surface, budget)
    points, losses = traj.points[:budget + 1], traj.losses[:budget + 1]
    final = points[-1]
    minima = surface.minima
    shown = slice(None, budget + 1)

    def held_within_budget(steps):  # a run must stay to the horizon, and arrive within the budget
        return np.where((steps >= 0) & (steps <= budget), steps, -1)

    if len(minima):
        with np.errstate(all="ignore"):
            to_minima = np.linalg.norm(final[..., None, :] - minima, axis=-1)
        nearest = np.argmin(np.nan_to_num(to_minima, nan=np.inf), axis=-1)
        offset = traj.points - minima[nearest]
        distances = np.sqrt(offset[..., 0] * offset[..., 0] + offset[..., 1] * offset[..., 1])
        nearest_values = surface.value(minima)[nearest]
        steps_to_loss_tol = held_within_budget(
            steps_to_tolerance(np.abs(traj.losses - nearest_values), surface.loss_tol))
        steps_to_distance_tol = held_within_budget(steps_to_tolerance(distances, distance_tol))
        final_distance = distances[shown][-1]
    else:
        nearest = np.full(final.shape[:-1], -1)
        steps_to_loss_tol = steps_to_distance_tol = np.full(final.shape[:-1], -1)
        final_distance = np.full(final.shape[:-1], np.nan)

    steps_taken = np.diff(points, axis=0)
    path_length = np.linalg.norm(steps_taken, axis=-1).sum(axis=0)
    straight = np.linalg.norm(final - points[0], axis=-1)
    efficiency = np.divide(straight, path_length, out=np.ones_like(straight), where=path_length > 0)

    return Metrics(
        steps_to_target=np.where(outcome.kind == "held", outcome.arrived_at, -1),
        steps_to_loss_tol=steps_to_loss_tol,
        steps_to_distance_tol=steps_to_distance_tol,
        final_loss=losses[-1],
        final_distance=final_distance,
        nearest_minimum=nearest,
        path_length=path_length,
        path_efficiency=efficiency,
        oscillation=oscillation(steps_taken),
        diverged_at=traj.diverged_at,
        left_plot_at=first_step(~surface.inside(points)),
        outcome=outcome,
    )
