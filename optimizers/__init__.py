"""Optimizer Atlas's numerical library: update rules, test surfaces, runner, metrics.

    from optimizers import make, run, SURFACES
    traj = run(make("adam", lr=0.1), SURFACES["saddle"], (1e-5, 0.5), 500)
    traj = run(make("sgd", lr=schedules.inverse_time(0.5, 100)), SURFACES["moons"], (-4, 4), 1000,
               batch_size=8, seed=np.arange(64))  # 64 repetitions, each with its own batches
"""
from . import algorithms  # noqa: F401  (registers every update rule)
from . import schedules
from .base import OPTIMIZERS, Hyper, Optimizer, make, register
from .horizon import run_verified
from .metrics import Metrics, evaluate, steps_to_tolerance
from .outcomes import HORIZON_FACTOR, KINDS, Outcome, classify, horizon_for, stationary_kind
from .runner import Trajectory, run
from .surface import StationaryPoint, Surface
from .surfaces import SURFACES
from .sweep import SearchResult, grid_search, lr_sweep, score

__all__ = [
    "HORIZON_FACTOR", "KINDS", "OPTIMIZERS", "SURFACES", "Hyper", "Metrics", "Optimizer", "Outcome",
    "SearchResult", "StationaryPoint", "Surface", "Trajectory", "classify", "evaluate", "grid_search",
    "horizon_for", "lr_sweep", "make", "register", "run", "run_verified", "schedules", "score", "stationary_kind",
    "steps_to_tolerance",
]
