"""Golden vectors for the JavaScript schedules (playground/src/schedules.js), written by
write_golden.py into ``OUT_DIR/schedules/schedules.json`` (a folder of its own: the run
tests read every JSON file at the top of OUT_DIR):

- ``state_fields``: every optimizer's state fields, in order (``count`` first);
- ``schedules``: for a few parameter sets of every kind (nested warmups too), the
  description (``describe()``) and Python's rate at each of ``COUNTS``;
- ``invalid``: descriptions ``from_spec`` refuses, with Python's message;
- ``runs``: every optimizer with a few schedules as its lr, on two surfaces, ``STEPS``
  steps from the surface's start (points and losses as write_golden's runs).
"""
from __future__ import annotations

import numpy as np

from optimizers import OPTIMIZERS, SURFACES, make, run, schedules

COUNTS = list(range(301)) + [1000, 12345, 2**31 + 3, 2**40 + 1]
STEPS = 200
RUN_SURFACES = ("ill_conditioned_bowl", "rosenbrock")

SCHEDULES = [
    schedules.constant(0.05),
    schedules.constant(3),
    schedules.piecewise_constant(0.1, {100: 0.5, 30: 0.1, 250: 3.0}),
    schedules.piecewise_constant(0.7, [[1, 0.3]]),
    schedules.piecewise_constant(0.2, {}),
    schedules.step_decay(0.1, every=30, factor=0.5),
    schedules.step_decay(0.03, every=7, factor=0.9),
    schedules.step_decay(1.0, every=1, factor=1.0),
    schedules.inverse_time(0.1, decay_steps=25),
    schedules.inverse_time(0.3, decay_steps=7.5, decay_rate=0.3),
    schedules.inverse_time(0.3, decay_steps=1, decay_rate=0),
    schedules.cosine_decay(0.1, decay_steps=200),
    schedules.cosine_decay(0.7, decay_steps=33, alpha=0.1),
    schedules.warmup(0.1, warmup_steps=20),
    schedules.warmup(0.3, warmup_steps=7, init_value=0.01),
    schedules.warmup(0.1, warmup_steps=20, then=schedules.step_decay(0.1, every=40, factor=0.7)),
    schedules.warmup(0.2, warmup_steps=10, then=schedules.cosine_decay(0.2, decay_steps=150, alpha=0.05)),
    schedules.warmup(0.2, 5, then=schedules.warmup(0.5, 3, then=schedules.inverse_time(0.5, 9.0), init_value=0.2)),
]

INVALID = [
    {"kind": "step_decay", "init_value": 0.1, "every": 0, "factor": 0.5},
    {"kind": "step_decay", "init_value": 0.1, "every": 10, "factor": 1.5},
    {"kind": "step_decay", "init_value": 0.1, "every": 2.5, "factor": 0.5},
    {"kind": "constant", "value": -1},
    {"kind": "constant", "value": "0.1"},
    {"kind": "inverse_time", "init_value": 0.1, "decay_steps": 0},
    {"kind": "cosine_decay", "init_value": 0.1, "decay_steps": 10, "alpha": 1},
    {"kind": "warmup", "peak_value": 0.1, "warmup_steps": 10, "init_value": -0.1},
    {"kind": "warmup", "peak_value": 0.1, "warmup_steps": 10, "then": {"kind": "constant", "value": 0}},
    {"kind": "piecewise_constant", "init_value": 0.1, "boundaries_and_scales": [[0, 0.5]]},
    {"kind": "piecewise_constant", "init_value": 0.1, "boundaries_and_scales": [[10, -0.5]]},
    {"kind": "piecewise_constant", "init_value": 0.1, "boundaries_and_scales": 3},
    {"kind": "step_decay", "init_value": 0.1, "factor": 0.5},
    {"kind": "step_decay", "init_value": 0.1, "every": 10, "factor": 0.5, "gamma": 2},
    {"kind": "exponential", "init_value": 0.1},
]


def _run_schedules(base: float) -> dict[str, schedules.Schedule]:
    """The schedules each optimizer runs with, scaled to its usual rate ``base``."""
    return {
        "step_decay": schedules.step_decay(base, every=50, factor=0.5),
        "warmup_step_decay": schedules.warmup(base, 20, then=schedules.step_decay(base, every=40, factor=0.7)),
        "piecewise_constant": schedules.piecewise_constant(base, {120: 0.2, 60: 0.5}),
        "inverse_time": schedules.inverse_time(base, decay_steps=30.0, decay_rate=0.5),
        "warmup_cosine": schedules.warmup(base, 10, then=schedules.cosine_decay(base, 150, alpha=0.1), init_value=base / 10),
    }


def _error(spec) -> str:
    try:
        schedules.from_spec(spec)
    except ValueError as error:
        return str(error)
    raise AssertionError(f"from_spec accepted {spec!r}")


def golden(atlas: dict) -> dict:
    """The vectors described in the module docstring; ``atlas`` is the build's export, whose
    hand-picked settings give each optimizer's usual rate on a surface."""
    fields = {name: list(make(name).init(np.zeros(2))._fields) for name in OPTIMIZERS}
    values = [{"spec": s.describe(), "values": [s(t) for t in COUNTS]} for s in SCHEDULES]
    runs = []
    for key in RUN_SURFACES:
        surface = SURFACES[key]
        seed = atlas["settings"].get(key, {}).get("seed", {})
        for name in OPTIMIZERS:
            hparams = {k: v for k, v in seed.get(name, {}).items() if k != "lr"}
            base = seed.get(name, {}).get("lr", make(name).hparams["lr"])
            for label, schedule in _run_schedules(base).items():
                traj = run(make(name, lr=schedule, **hparams), surface, np.array([surface.start]), STEPS)
                runs.append({"surface": key, "optimizer": name, "schedule": label,
                             "hparams": {**hparams, "lr": schedule.describe()}, "start": list(surface.start),
                             "points": traj.points[:, 0].ravel().tolist(), "losses": traj.losses[:, 0].tolist(),
                             "diverged_at": int(traj.diverged_at[0])})
    return {"counts": COUNTS, "state_fields": fields, "schedules": values,
            "invalid": [{"spec": spec, "error": _error(spec)} for spec in INVALID], "runs": runs}
