"""Large batches judged beyond their budget at a fraction of the cost.

Continuing every run of a sweep or a basin map to the horizon would cost
``HORIZON_FACTOR`` times as much. Only a run at the target at the end of its budget
can be "held" ("held" may become "left"; a run back on the target after leaving may yet
stay longer than it was away), so only those runs are continued to the horizon, from
where they stopped; every other run is judged at the end of its budget (the merged
outcome's ``horizon`` is the one the continued runs were checked to). A continued run that reaches an exact fixed point (a step that
changes neither its point nor its optimizer state) or diverges is not stepped further:
its remaining points are known.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .metrics import PIECE_POINTS, Metrics, evaluate
from .outcomes import Outcome, classify, concatenate, horizon_for, target_gap
from .runner import Trajectory, advance, losses_of, rate_varies

SEGMENT = 128  # continued runs are checked for fixed points every this many steps
GROUP_RUNS = 256  # continued runs are stepped at least this many at a time ...
GROUP_POINTS = 1 << 21  # ... or as many as fill this many trajectory points


def run_verified(make_opt: Callable, surface, x0, budget: int,
                 horizon: int | None = None) -> tuple[Trajectory, Metrics]:
    """Run a flat batch ``x0`` (shape (M, 2)) for ``budget`` steps and evaluate it, with
    every run that held the target to the end of the budget continued to ``horizon``
    (default ``horizon_for(budget)``) and judged there.

    ``make_opt(index)`` builds the optimizer for the runs ``index`` (an integer array
    into the batch; ``None`` for all of them), so that array-valued hyperparameters can
    be taken along. Returns the budget-long trajectory and the metrics.
    """
    horizon = horizon_for(budget) if horizon is None else int(horizon)
    x0 = np.asarray(x0, dtype=np.float64)
    traj, state = advance(make_opt(None), surface, x0, budget)
    metrics = evaluate(traj, surface)
    # At the target at the end of the budget: those may hold (or, having come back after
    # leaving, may yet stay longer than they were away); no other run can become "held".
    with np.errstate(invalid="ignore"):
        index = np.flatnonzero(target_gap(surface, traj.losses[-1]) <= 0)
    if horizon <= budget or not len(index):
        return traj, metrics
    outcomes = []
    # Groups of runs: enough to keep numpy's per-call overhead small, few enough that the
    # continued trajectories stay a few tens of MB (a whole basin map's would be hundreds).
    group = max(GROUP_RUNS, GROUP_POINTS // (horizon + 1))
    piece = max(1, PIECE_POINTS // (horizon + 1))  # judged in cache-sized pieces, as in ``evaluate``
    for rows in np.array_split(index, -(-len(index) // group)):
        longer = _continue(make_opt, surface, traj, _take(state, rows, len(x0)), rows, horizon)
        outcomes += [classify(longer.points[:, i:i + piece], longer.losses[:, i:i + piece],
                              longer.diverged_at[i:i + piece], surface, budget) for i in range(0, len(rows), piece)]
    return traj, merge(metrics, concatenate(outcomes), index)


def _continue(make_opt, surface, traj: Trajectory, state, index: np.ndarray, horizon: int) -> Trajectory:
    """The runs ``index`` of ``traj`` (with their final ``state``) continued to ``horizon``."""
    budget = len(traj.points) - 1
    points = np.empty((horizon + 1, len(index), 2))
    points[:budget + 1] = traj.points[:, index]
    diverged_at = traj.diverged_at[index].copy()
    active = np.arange(len(index))  # positions in ``index`` still being stepped
    t = budget
    while t < horizon and len(active):
        steps = min(SEGMENT, horizon - t)
        opt = make_opt(index[active])
        part, state = advance(opt, surface, points[t, active], steps, state)
        points[t + 1:t + steps + 1, active] = part.points[1:]
        t += steps
        blew_up = part.diverged_at >= 0
        diverged_at[active[blew_up]] = t - steps + part.diverged_at[blew_up]
        keep = ~blew_up & ~_fixed_rows(opt, surface, points[t, active], state)
        points[t + 1:, active[~keep]] = points[t, active[~keep]]
        state = _take(state, np.flatnonzero(keep), len(active))
        active = active[keep]
    return Trajectory(points, losses_of(surface, points), diverged_at)


def _take(state, rows: np.ndarray, batch: int):
    """The optimizer state of the runs ``rows`` of a batch of ``batch`` runs: fields with
    one row per run are indexed, shared ones (scalars, ``count``) kept."""
    return type(state)(*(np.asarray(f)[rows] if np.ndim(f) and np.shape(f)[0] == batch else f for f in state))


def _fixed_rows(opt, surface, x: np.ndarray, state) -> np.ndarray:
    """Per run: whether one more step would change neither its point nor its state (then
    no later step does, bit for bit; ``count`` only counts steps). Never with a learning-rate
    schedule that varies: the next rate may move it."""
    if rate_varies(opt):
        return np.zeros(len(x), dtype=bool)
    with np.errstate(all="ignore"):
        grad = surface.grad(x)
        new_x, new_state = (opt.update(grad, state, x, surface.hessian(x)) if opt.uses_hessian
                            else opt.update(grad, state, x))
    fixed = (new_x == x).all(axis=-1)
    for name, old, new in zip(state._fields, state, new_state):
        if name == "count":
            continue
        equal = np.asarray(old) == np.asarray(new)
        if np.ndim(equal) and np.shape(equal)[0] == len(x):
            fixed &= equal.reshape(len(x), -1).all(axis=-1)
        else:
            fixed &= bool(np.all(equal))
    return fixed


def merge(metrics: Metrics, outcome: Outcome, index: np.ndarray) -> Metrics:
    """``metrics`` with the outcomes of the runs ``index`` replaced by ``outcome`` (judged
    over a longer horizon): a run that no longer holds loses its arrival steps."""
    def put(whole, values):
        whole = np.array(whole, copy=True)
        whole[index] = values
        return whole

    merged = outcome._replace(**{name: put(getattr(metrics.outcome, name), getattr(outcome, name))
                                 for name in Outcome._fields if name not in ("budget", "horizon")})
    held = merged.kind == "held"
    return metrics._replace(
        outcome=merged, diverged_at=merged.diverged_at,
        steps_to_target=np.where(held, merged.arrived_at, -1),
        steps_to_loss_tol=np.where(held, metrics.steps_to_loss_tol, -1),
        steps_to_distance_tol=np.where(held, metrics.steps_to_distance_tol, -1))
