"""Optimizer Atlas's numerical library: update rules, test surfaces, runner, metrics.

    from optimizers import make, run, SURFACES
    traj = run(make("adam", lr=0.1), SURFACES["saddle"], (1e-5, 0.5), 500)
"""
from . import algorithms  # noqa: F401  (registers every update rule)
from .base import OPTIMIZERS, Hyper, Optimizer, make, register
from .metrics import Metrics, end_state, evaluate, steps_to_tolerance
from .runner import Trajectory, run
from .surface import StationaryPoint, Surface
from .surfaces import SURFACES
from .sweep import SearchResult, grid_search, lr_sweep, score

__all__ = [
    "OPTIMIZERS", "SURFACES", "Hyper", "Metrics", "Optimizer", "SearchResult", "StationaryPoint",
    "Surface", "Trajectory", "end_state", "evaluate", "grid_search", "lr_sweep", "make",
    "register", "run", "score", "steps_to_tolerance",
]
