"""Per-trajectory metrics, vectorised over the batch of start points.

Arrays indexed by step have the step on axis 0, as in ``Trajectory``.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .runner import Trajectory

END_STATES = ("minimum", "saddle", "maximum", "diverged", "moving")
ROUND_OFF = 1e-12  # a coordinate change smaller than this is numerical noise, not a move


class Metrics(NamedTuple):
    steps_to_target: np.ndarray  # first step from which the run stays at the surface's target, else -1
    steps_to_loss_tol: np.ndarray  # ... stays within loss_tol of its nearest minimum's value
    steps_to_distance_tol: np.ndarray  # ... stays within distance_tol of its nearest minimum
    final_loss: np.ndarray
    final_distance: np.ndarray  # to the nearest listed minimum (NaN if none is listed)
    nearest_minimum: np.ndarray  # index into surface.minima (-1 if none is listed)
    path_length: np.ndarray
    path_efficiency: np.ndarray  # straight-line distance / path length (1 = straight)
    oscillation: np.ndarray  # fraction of successive moves that reverse direction, mean over coordinates
    end_state: np.ndarray  # one of END_STATES
    diverged_at: np.ndarray
    left_plot_at: np.ndarray  # first step outside the plot range, else -1


def steps_to_tolerance(gaps: np.ndarray, tol: float) -> np.ndarray:
    """First step from which ``gaps <= tol`` holds to the end of the run (axis 0), else -1."""
    within = np.asarray(gaps) <= tol
    stays = np.flip(np.logical_and.accumulate(np.flip(within, axis=0), axis=0), axis=0)
    return np.where(stays[-1], np.argmax(stays, axis=0), -1)


def first_step(condition: np.ndarray) -> np.ndarray:
    """First step where ``condition`` holds (axis 0), else -1."""
    return np.where(condition.any(axis=0), np.argmax(condition, axis=0), -1)


def target_gap(surface, losses: np.ndarray) -> np.ndarray:
    """How far a loss is from the surface's target; the target is reached where this is <= 0.

    The target is the lowest minimum's value (within ``loss_tol``) or, on a
    surface without a minimum, escaping below ``escape_loss``.
    """
    if surface.escape_loss is not None:
        return losses - surface.escape_loss
    return np.abs(losses - surface.min_value) - surface.loss_tol


def end_state(surface, x, diverged: np.ndarray, grad_tol: float = 1e-3, curvature_tol: float = 1e-8):
    """Where a run ended: a minimum, saddle or maximum (small gradient; classified by the
    Hessian's eigenvalues), diverged, or still moving (gradient not yet small)."""
    with np.errstate(all="ignore"):
        small_grad = np.linalg.norm(surface.grad(x), axis=-1) <= grad_tol
        eigenvalues = np.linalg.eigvalsh(np.nan_to_num(surface.hessian(x)))
    positive = (eigenvalues > curvature_tol).all(axis=-1)
    negative = (eigenvalues < -curvature_tol).all(axis=-1)
    stationary_kind = np.where(positive, "minimum", np.where(negative, "maximum", "saddle"))
    return np.where(diverged, "diverged", np.where(small_grad, stationary_kind, "moving"))


def evaluate(traj: Trajectory, surface, distance_tol: float = 1e-3) -> Metrics:
    """All metrics of ``traj`` on ``surface``, one value per start point."""
    points, losses = traj.points, traj.losses
    final = points[-1]
    minima = surface.minima
    if len(minima):
        to_minima = np.linalg.norm(final[..., None, :] - minima, axis=-1)
        nearest = np.argmin(to_minima, axis=-1)
        distances = np.linalg.norm(points - minima[nearest], axis=-1)
        nearest_values = surface.value(minima)[nearest]
        steps_to_loss_tol = steps_to_tolerance(np.abs(losses - nearest_values), surface.loss_tol)
        steps_to_distance_tol = steps_to_tolerance(distances, distance_tol)
        final_distance = distances[-1]
    else:
        nearest = np.full(final.shape[:-1], -1)
        steps_to_loss_tol = steps_to_distance_tol = np.full(final.shape[:-1], -1)
        final_distance = np.full(final.shape[:-1], np.nan)

    steps_taken = np.diff(points, axis=0)
    path_length = np.linalg.norm(steps_taken, axis=-1).sum(axis=0)
    straight = np.linalg.norm(final - points[0], axis=-1)
    efficiency = np.divide(straight, path_length, out=np.ones_like(straight), where=path_length > 0)

    # Moves below ROUND_OFF (jitter at a converged point) have no direction to reverse.
    signs = np.sign(np.where(np.abs(steps_taken) > ROUND_OFF, steps_taken, 0.0))
    reversals = (signs[1:] * signs[:-1] < 0).sum(axis=0)
    moving_pairs = (signs[1:] * signs[:-1] != 0).sum(axis=0)
    oscillation = np.divide(reversals, moving_pairs, out=np.zeros(reversals.shape), where=moving_pairs > 0)

    return Metrics(
        steps_to_target=steps_to_tolerance(target_gap(surface, losses), 0.0),
        steps_to_loss_tol=steps_to_loss_tol,
        steps_to_distance_tol=steps_to_distance_tol,
        final_loss=losses[-1],
        final_distance=final_distance,
        nearest_minimum=nearest,
        path_length=path_length,
        path_efficiency=efficiency,
        oscillation=oscillation.mean(axis=-1),
        end_state=end_state(surface, final, traj.diverged_at >= 0),
        diverged_at=traj.diverged_at,
        left_plot_at=first_step(~surface.inside(points)),
    )
