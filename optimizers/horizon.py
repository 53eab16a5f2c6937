"""Large batches judged beyond their budget at a fraction of the cost.

Continuing every run of a sweep or a basin map to the horizon would cost
``HORIZON_FACTOR`` times as much. Only a run that holds the target until the end of
its budget can change its verdict by continuing ("held" may become "left"), so only
those runs are run again to the horizon; every other run is judged at the end of its
budget (the merged outcome's ``horizon`` is the one the held runs were checked to).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .metrics import Metrics, evaluate
from .outcomes import Outcome, horizon_for
from .runner import Trajectory, run


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
    traj = run(make_opt(None), surface, x0, budget)
    metrics = evaluate(traj, surface)
    index = np.flatnonzero(metrics.steps_to_target >= 0)
    if horizon <= budget or not len(index):
        return traj, metrics
    longer = run(make_opt(index), surface, x0[index], horizon)
    return traj, merge(metrics, evaluate(longer, surface, budget), index)


def merge(metrics: Metrics, part: Metrics, index: np.ndarray) -> Metrics:
    """``metrics`` with the runs ``index`` replaced by those of ``part``."""
    def put(whole, values):
        whole = np.array(whole, copy=True)
        whole[index] = values
        return whole

    fields = {name: put(getattr(metrics, name), getattr(part, name))
              for name in Metrics._fields if name != "outcome"}
    outcome = part.outcome._replace(**{name: put(getattr(metrics.outcome, name), getattr(part.outcome, name))
                                       for name in Outcome._fields if name not in ("budget", "horizon")})
    return Metrics(**fields, outcome=outcome)
