"""Optimizer Atlas's numerical library: update rules, test surfaces, runner, metrics.

    import numpy as np
    from optimizers import make, run, schedules, SURFACES
    traj = run(make("adam", lr=0.1), SURFACES["saddle"], (1e-5, 0.5), 500)
    # 64 repetitions of mini-batch SGD with a decaying rate, each seed its own batches:
    starts = np.broadcast_to(SURFACES["moons"].start, (64, 2))
    traj = run(make("sgd", lr=schedules.inverse_time(0.5, 100)), SURFACES["moons"], starts, 1000,
               batch_size=8, seed=np.arange(64))
"""
from . import algorithms  # noqa: F401  (registers every update rule)
from . import schedules
from .base import OPTIMIZERS, Hyper, Optimizer, make, register
from .horizon import run_verified
from .metrics import Metrics, evaluate, steps_to_tolerance
from .outcomes import (HORIZON_FACTOR, KINDS, NoisyOutcome, Outcome, classify, classify_repetitions, horizon_for,
                       stationary_kind)
from .runner import Trajectory, run
from .surface import StationaryPoint, Surface
from .surfaces import SURFACES
from .sweep import SearchResult, grid_search, lr_sweep, score

__all__ = [
    "HORIZON_FACTOR", "KINDS", "OPTIMIZERS", "SURFACES", "Hyper", "Metrics", "NoisyOutcome", "Optimizer", "Outcome",
    "SearchResult", "StationaryPoint", "Surface", "Trajectory", "classify", "classify_repetitions", "evaluate",
    "grid_search", "horizon_for", "lr_sweep", "make", "register", "run", "run_verified", "schedules", "score", "stationary_kind",
    "steps_to_tolerance",
]
