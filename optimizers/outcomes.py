"""How a run ended, judged over a horizon longer than the step budget that is shown.

A run is shown for ``budget`` steps but classified over ``horizon`` steps (by default
``HORIZON_FACTOR`` times the budget), so that "reached the target" means it stays
there, not merely that the budget ran out first. Every run gets exactly one kind:

========== ==============================================================================
held       reached the target within the budget and stayed there to the horizon
late       reached it only after the budget, and stayed there to the horizon
left       reached it, then left it again (``reached_at``, ``left_at``; ``end`` says where
           it went); also a run back at the target at the horizon that has not yet stayed
           there longer than it was ever away (a cycle across the target's edge)
diverged   non-finite, or beyond the surface's divergence bound (a numerical blow-up)
escaping   finite, on a surface unbounded below, with f below every stationary value and
           still falling: unbounded descent (f → −∞), only slower than a blow-up
minimum    settled at another (local) minimum   ┐ "at another stationary point";
saddle     settled at a saddle point            │ ``point`` says which listed one
maximum    settled at a maximum                 ┘ (−1: not a listed one)
left_plot  finite and moving, but outside the plot range at the horizon
cycling    bounded and not settling: no net progress, steps not shrinking, f not falling
           (Lion's two-step cycle, a period-doubling oscillation in a dip)
moving     still moving at the horizon: none of the above
========== ==============================================================================

"The target" is the surface's: within ``loss_tol`` of the lowest minimum's value, or
below ``escape_loss`` on a surface without a minimum. The tolerance is what lets the
same definition judge noisy runs (a band, not an exact value).

Noisy runs (mini-batch gradients) are judged as a group of repetitions, one per seed
(``classify_repetitions``): "held", "late" and "left" by the same definitions applied to
the loss averaged over the repetitions, with a tolerance ``tol`` (default ``loss_tol``): a
constant step size whose noise keeps the mean loss further than ``tol`` from the minimum's
value does not hold the target, however close single repetitions come. Otherwise the kind
is how the repetitions end: "diverged" if any repetition did, else the most common end of
the others (each repetition classified as above). The spread over repetitions is reported
alongside. Exact-gradient runs keep ``classify``.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

HORIZON_FACTOR = 5
KINDS = ("held", "late", "left", "diverged", "escaping", "minimum", "saddle", "maximum",
         "left_plot", "cycling", "moving")
END_KINDS = ("target",) + KINDS[3:]  # where a run is at the horizon

GRAD_TOL = 1e-3  # a gradient this small (2-norm) is a stationary point
CURVATURE_TOL = 1e-8  # Hessian eigenvalues within this of 0 count as flat (a saddle, not an extremum)
POINT_FRACTION = 0.01  # a listed stationary point within this fraction of the plot diagonal is "that one"
CYCLE_EFFICIENCY = 0.1  # net move over the final window below this fraction of the path: no progress
CYCLE_SHRINK = 0.5  # steps shrinking below this ratio (second half / first half) are settling, not cycling
CYCLE_FALL = 1e-6  # relative fall of f's lows over the final window below which f is "not falling"


def horizon_for(budget: int) -> int:
    """The number of steps a run of ``budget`` steps is continued to before it is classified."""
    return HORIZON_FACTOR * int(budget)


class Outcome(NamedTuple):
    kind: np.ndarray  # one of KINDS, per run
    end: np.ndarray  # one of END_KINDS: where the run is at the horizon
    point: np.ndarray  # index into surface.stationary_points of where it settled (-1: none)
    reached_at: np.ndarray  # first step at the target (up to the horizon), else -1
    arrived_at: np.ndarray  # first step from which it stays at the target to the horizon, else -1
    left_at: np.ndarray  # for "left": the first step off the target after reaching it, else -1
    diverged_at: np.ndarray  # first non-finite or out-of-bounds step, else -1
    budget: int
    horizon: int


def concatenate(parts) -> Outcome:
    """The outcomes of consecutive pieces of one flat batch, as one (same budget and horizon)."""
    fields = (np.concatenate(field) for field in zip(*(part[:-2] for part in parts)))  # all but budget, horizon
    return Outcome(*fields, parts[0].budget, parts[0].horizon)


def first_step(condition: np.ndarray) -> np.ndarray:
    """First step where ``condition`` holds (axis 0), else -1."""
    return np.where(condition.any(axis=0), np.argmax(condition, axis=0), -1)


def steps_to_tolerance(gaps: np.ndarray, tol: float) -> np.ndarray:
    """First step from which ``gaps <= tol`` holds to the end of the run (axis 0), else -1."""
    outside = ~(np.asarray(gaps) <= tol)  # NaN is outside
    last_outside = len(outside) - 1 - np.argmax(outside[::-1], axis=0)
    return np.where(~outside.any(axis=0), 0, np.where(outside[-1], -1, last_outside + 1))


def target_gap(surface, losses: np.ndarray, tol: float | None = None) -> np.ndarray:
    """How far a loss is from the surface's target; the target is reached where this is <= 0.

    The target is the lowest minimum's value (within ``tol``, by default the surface's
    ``loss_tol``) or, on a surface without a minimum, escaping below ``escape_loss``.
    """
    if surface.escape_loss is not None:
        return losses - surface.escape_loss
    return np.abs(losses - surface.min_value) - (surface.loss_tol if tol is None else tol)


def stationary_kind(surface, x) -> np.ndarray:
    """Per point: "minimum", "saddle" or "maximum" where the gradient is small (by the
    Hessian's eigenvalues: both positive, both negative, else a saddle), "" elsewhere."""
    with np.errstate(all="ignore"):
        small = np.linalg.norm(surface.grad(x), axis=-1) <= GRAD_TOL
        eigenvalues = np.linalg.eigvalsh(np.nan_to_num(surface.hessian(x)))
    positive = (eigenvalues > CURVATURE_TOL).all(axis=-1)
    negative = (eigenvalues < -CURVATURE_TOL).all(axis=-1)
    kind = np.where(positive, "minimum", np.where(negative, "maximum", "saddle"))
    return np.where(small, kind, "")


def nearest_point(surface, x) -> np.ndarray:
    """Index of the listed stationary point within POINT_FRACTION of the plot diagonal of
    each point of ``x``, else -1."""
    locations = np.array([p.location for p in surface.stationary_points], dtype=np.float64).reshape(-1, 2)
    if not len(locations):
        return np.full(np.shape(x)[:-1], -1)
    (lo1, hi1), (lo2, hi2) = surface.bounds
    near = POINT_FRACTION * np.hypot(hi1 - lo1, hi2 - lo2)
    with np.errstate(all="ignore"):
        distances = np.linalg.norm(np.asarray(x)[..., None, :] - locations, axis=-1)
    index = np.argmin(np.nan_to_num(distances, nan=np.inf), axis=-1)
    return np.where(np.take_along_axis(distances, index[..., None], -1)[..., 0] <= near, index, -1)


def _cycling(surface, points: np.ndarray, losses: np.ndarray) -> np.ndarray:
    """Bounded and not settling over the final window (see the module table)."""
    window = max(20, (len(points) - 1) // 10)
    if len(points) <= window:
        return np.zeros(points.shape[1:-1], dtype=bool)
    tail, tail_losses = points[-window - 1:], losses[-window - 1:]
    with np.errstate(all="ignore"):
        lengths = np.linalg.norm(np.diff(tail, axis=0), axis=-1)
        path = lengths.sum(axis=0)
        net = np.linalg.norm(tail[-1] - tail[0], axis=-1)
        half = window // 2
        early, late = lengths[:half].mean(axis=0), lengths[half:].mean(axis=0)
        # The lows of f, not its mean: a half may hold one more high step of a cycle than the other.
        first, second = tail_losses[:half + 1].min(axis=0), tail_losses[half + 1:].min(axis=0)
        falling = second < first - CYCLE_FALL * np.abs(first)
    return (path > 0) & (net < CYCLE_EFFICIENCY * path) & (late >= CYCLE_SHRINK * early) & ~falling


def _longest_absence(at_target: np.ndarray) -> np.ndarray:
    """The most consecutive steps off the target after first reaching it (axis 0)."""
    steps = np.arange(len(at_target), dtype=np.int32).reshape(-1, *[1] * (at_target.ndim - 1))
    last_on = np.maximum.accumulate(np.where(at_target, steps, -1), axis=0)
    return np.where(~at_target & (last_on >= 0), steps - last_on, 0).max(axis=0)


def classify(points: np.ndarray, losses: np.ndarray, diverged_at: np.ndarray, surface,
             budget: int) -> Outcome:
    """Classify runs given over their whole horizon (``points``: (horizon + 1, *batch, 2))
    of which the first ``budget`` steps are the ones shown."""
    horizon = len(points) - 1
    budget = min(int(budget), horizon)
    at_target, reached_at, arrived_at, flicker, off_after = _arrivals(target_gap(surface, losses))
    cycling = _cycling(surface, points, losses)
    at_end = at_target[-1]

    final, final_loss = points[-1], losses[-1]
    finite = np.isfinite(final).all(axis=-1) & np.isfinite(final_loss)
    diverged = (diverged_at >= 0) | ~finite
    stationary = stationary_kind(surface, np.nan_to_num(final))
    values = [p.value for p in surface.stationary_points]
    below_all = final_loss < (min(values) if values else np.inf)
    window = max(1, horizon // 10)
    with np.errstate(invalid="ignore"):
        falling = final_loss < losses[max(0, horizon - window)]
    escaping = surface.unbounded_below & below_all & falling & (stationary == "")
    end = np.select(
        [diverged, at_end, escaping, stationary != "", ~surface.inside(final), cycling],
        ["diverged", "target", "escaping", stationary, "left_plot", "cycling"], "moving")
    end = np.where(flicker & cycling, "cycling", end)  # even if its last hop lands on a stationary point
    # A run settled at the target's own minimum is at the target (loss_tol is looser than GRAD_TOL).
    point = np.where(np.isin(end, ("minimum", "saddle", "maximum", "target")), nearest_point(surface, final), -1)

    kind, left = _arrival_kind(reached_at, arrived_at, budget, end)
    return Outcome(kind=kind, end=end, point=point, reached_at=reached_at,
                   arrived_at=arrived_at, left_at=np.where(left, off_after, -1),
                   diverged_at=diverged_at,
                   budget=budget, horizon=horizon)


def _arrivals(gap: np.ndarray):
    """From the gaps to the target (steps on axis 0): whether each step is at the target, the
    first step at it, the step from which it stays there to the end (-1: none), whether a
    final return is a mere flicker, and the first step off the target after reaching it."""
    horizon = len(gap) - 1
    with np.errstate(invalid="ignore"):
        at_target = gap <= 0  # NaN (a diverged run's loss) is not at the target
    reached_at = first_step(at_target)
    arrived_at = steps_to_tolerance(gap, 0.0)  # NaN counts as off the target
    # A run hopping on and off the target (Lion's cycle across its edge) may happen to be on it
    # at the horizon's last step: a return after leaving counts as arriving only if the run
    # then stays longer than it was ever away.
    flicker = np.array(arrived_at > reached_at)  # back after leaving: ...
    if flicker.any():  # ... for less time than its longest absence
        stay = horizon + 1 - arrived_at[flicker]
        flicker[flicker] = stay <= _longest_absence(at_target[..., flicker])
    arrived_at = np.where(flicker, -1, arrived_at)
    # the first step off the target after reaching it: the first off-target step of all
    # those from the first arrival on (before it, every step is off-target)
    off_after = first_step(~at_target & (np.cumsum(at_target, axis=0, dtype=np.int32) > 0))
    return at_target, reached_at, arrived_at, flicker, off_after


def _arrival_kind(reached_at, arrived_at, budget: int, end):
    """"held", "late" or "left" where the arrival steps say so, else ``end``; and the "left" mask."""
    held = (arrived_at >= 0) & (arrived_at <= budget)
    late = (arrived_at > budget)
    left = (reached_at >= 0) & ~held & ~late
    return np.where(held, "held", np.where(late, "late", np.where(left, "left", end))), left


class NoisyOutcome(NamedTuple):
    kind: np.ndarray  # per group of repetitions: one of KINDS (see the module docstring)
    end: np.ndarray  # "target" if the mean loss is at the target at the horizon, else the repetitions' end
    reached_at: np.ndarray  # of the mean loss: first step at the target, else -1
    arrived_at: np.ndarray  # of the mean loss: the step from which it stays at the target, else -1
    left_at: np.ndarray  # for "left": the mean loss's first step off the target after reaching it, else -1
    end_share: np.ndarray  # (*groups, len(END_KINDS)): the fraction of repetitions ending each way
    mean_loss: np.ndarray  # (horizon + 1, *groups): the loss averaged over the repetitions
    loss_spread: np.ndarray  # (horizon + 1, *groups): its standard deviation over the repetitions
    tol: float
    budget: int
    horizon: int


def classify_repetitions(points: np.ndarray, losses: np.ndarray, diverged_at: np.ndarray, surface,
                         budget: int, tol: float | None = None) -> NoisyOutcome:
    """Classify groups of repeated runs, the repetitions on the last batch axis (``points``:
    (horizon + 1, *groups, R, 2)), judged on their mean loss within ``tol`` of the target
    (default: the surface's ``loss_tol``); see the module docstring."""
    tol = float(surface.loss_tol if tol is None else tol)
    each = classify(points, losses, diverged_at, surface, budget)
    with np.errstate(all="ignore"):
        mean_loss, loss_spread = losses.mean(axis=-1), losses.std(axis=-1)
    at_target, reached_at, arrived_at, _, off_after = _arrivals(target_gap(surface, mean_loss, tol))
    end_share = np.stack([(each.end == kind).mean(axis=-1) for kind in END_KINDS], axis=-1)
    # The repetitions' most common end, leaving out "target" (the mean loss says whether the
    # group is there); "moving" if every repetition is at the target but the mean is not.
    votes = np.where(np.array(END_KINDS) == "target", -1.0, end_share)
    common = np.where(votes.max(axis=-1) > 0, np.array(END_KINDS)[np.argmax(votes, axis=-1)], "moving")
    diverged = end_share[..., END_KINDS.index("diverged")] > 0
    end = np.where(diverged, "diverged", np.where(at_target[-1], "target", common))
    kind, left = _arrival_kind(reached_at, arrived_at, each.budget, end)
    kind = np.where(diverged, "diverged", kind)  # a blow-up is not averaged away
    return NoisyOutcome(kind=kind, end=end, reached_at=reached_at, arrived_at=arrived_at,
                        left_at=np.where(left & ~diverged, off_after, -1), end_share=end_share,
                        mean_loss=mean_loss, loss_spread=loss_spread, tol=tol,
                        budget=each.budget, horizon=each.horizon)
