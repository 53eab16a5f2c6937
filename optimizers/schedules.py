"""Learning-rate schedules: in the optax spirit, a schedule is a pure function of the step.

    from optimizers import make, schedules
    opt = make("sgd", lr=schedules.cosine_decay(0.5, decay_steps=1000))

``schedule(count)`` is the rate of the update that follows ``count`` earlier updates (0 for
the first step); every optimizer reads it from its state's ``count``. A schedule is built
by one of the functions below, which refuse invalid parameters with a one-line
ValueError naming the schedule, the parameter and the value, and it describes itself as a
plain dict (``describe()``: ``{"kind": ..., **params}``) that ``from_spec`` rebuilds, so
that the browser port can rebuild the same schedule:

=================  ==========================================================================
constant           η_t = value
piecewise_constant η_t = init_value · Π scale_b over the boundaries b <= t (in order)
step_decay         η_t = init_value · factor^⌊t / every⌋
inverse_time       η_t = init_value / (1 + decay_rate · t / decay_steps)
cosine_decay       η_t = init_value · ((1 − alpha) · ½(1 + cos(π · min(t, T) / T)) + alpha), T = decay_steps
warmup             η_t = init_value + (peak_value − init_value) · t / warmup_steps for t < warmup_steps,
                   then ``then(t − warmup_steps)`` (default: peak_value)
=================  ==========================================================================

Exactness across languages: every schedule but the cosine uses only + − × ÷ in the order
written here (integer powers by squaring, see ``_power``), which IEEE 754 makes identical in
numpy and JavaScript; the cosine uses the C library's ``cos`` (Python's ``math.cos``), which
JavaScript's ``Math.cos`` may differ from in the last bit.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True, eq=False)
class Schedule:
    """A learning rate as a function of the step count; see the module docstring."""

    kind: str
    params: dict[str, Any]
    rate: Callable[[int], float]

    def __call__(self, count: int) -> float:
        return self.rate(int(count))

    def describe(self) -> dict[str, Any]:
        """A plain description, ``{"kind": ..., **params}`` (a nested schedule as its own dict)."""
        return {"kind": self.kind, **{key: value.describe() if isinstance(value, Schedule) else value
                                      for key, value in self.params.items()}}

    @property
    def is_constant(self) -> bool:
        return self.kind == "constant"

    def __repr__(self) -> str:
        return f"{self.kind}({', '.join(f'{k}={v!r}' for k, v in self.params.items())})"


def _number(kind: str, key: str, value, *, low: float = 0.0, low_open: bool = True,
            high: float = math.inf, high_open: bool = True) -> float:
    """``value`` as a float, if it is a finite real number in the given interval."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"schedules.{kind}: {key}={value!r} is invalid: must be a finite number")
    if (value <= low if low_open else value < low) or (value >= high if high_open else value > high):
        interval = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        raise ValueError(f"schedules.{kind}: {key}={value!r} is invalid: must lie in {interval}")
    return float(value)


def _steps(kind: str, key: str, value, minimum: int = 1) -> int:
    """``value`` as a step count, if it is a whole number >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) \
            or int(value) != value or value < minimum:
        raise ValueError(f"schedules.{kind}: {key}={value!r} is invalid: must be a whole number >= {minimum}")
    return int(value)


def _power(base: float, n: int) -> float:
    """``base ** n`` for a whole n >= 0 by repeated squaring: a fixed sequence of
    multiplications, reproducible bit for bit in JavaScript (``Math.pow`` is not)."""
    result = 1.0
    while n:
        if n & 1:
            result *= base
        base *= base
        n >>= 1
    return result


def constant(value: float) -> Schedule:
    """η_t = value (> 0). Equal, bit for bit, to passing the number itself."""
    value = _number("constant", "value", value)
    return Schedule("constant", {"value": value}, lambda t: value)


def piecewise_constant(init_value: float, boundaries_and_scales) -> Schedule:
    """η_t = init_value times the product of the scales of every boundary ≤ t, taken in
    order of the boundaries (optax's ``piecewise_constant_schedule``). The boundaries and
    scales are a dict ``{step: scale}`` or a list of ``[step, scale]`` pairs (as described)."""
    kind = "piecewise_constant"
    init_value = _number(kind, "init_value", init_value)
    try:
        items = list(dict(boundaries_and_scales).items())
    except (TypeError, ValueError):
        raise ValueError(f"schedules.{kind}: boundaries_and_scales={boundaries_and_scales!r} is invalid: "
                         "must be a dict {step: scale} or a list of [step, scale] pairs") from None
    pairs = sorted((_steps(kind, "boundary", b), _number(kind, f"scale at step {b}", s)) for b, s in items)
    values, value = [], init_value  # the rate from each boundary on, as a running product
    for _, scale in pairs:
        value *= scale
        values.append(value)
    bounds = [b for b, _ in pairs]

    def rate(t: int) -> float:
        passed = sum(1 for b in bounds if b <= t)
        return values[passed - 1] if passed else init_value

    return Schedule(kind, {"init_value": init_value, "boundaries_and_scales": [list(p) for p in pairs]}, rate)


def step_decay(init_value: float, every: int, factor: float) -> Schedule:
    """η_t = init_value · factor^⌊t / every⌋: the rate multiplied by ``factor`` (in (0, 1])
    every ``every`` steps (CS231n's "step decay")."""
    kind = "step_decay"
    init_value = _number(kind, "init_value", init_value)
    every = _steps(kind, "every", every)
    factor = _number(kind, "factor", factor, high=1.0, high_open=False)
    return Schedule(kind, {"init_value": init_value, "every": every, "factor": factor},
                    lambda t: init_value * _power(factor, t // every))


def inverse_time(init_value: float, decay_steps: float, decay_rate: float = 1.0) -> Schedule:
    """η_t = init_value / (1 + decay_rate · t / decay_steps): the 1/t decay of Robbins and
    Monro's conditions (Σ η_t = ∞, Σ η_t² < ∞)."""
    kind = "inverse_time"
    init_value = _number(kind, "init_value", init_value)
    decay_steps = _number(kind, "decay_steps", decay_steps)
    decay_rate = _number(kind, "decay_rate", decay_rate, low_open=False)
    return Schedule(kind, {"init_value": init_value, "decay_steps": decay_steps, "decay_rate": decay_rate},
                    lambda t: init_value / (1 + decay_rate * t / decay_steps))


def cosine_decay(init_value: float, decay_steps: int, alpha: float = 0.0) -> Schedule:
    """η_t = init_value · ((1 − alpha)·½(1 + cos(π·min(t, T)/T)) + alpha), T = decay_steps
    (Loshchilov & Hutter's SGDR without restarts; optax's ``cosine_decay_schedule``). It
    ends at alpha·init_value, alpha in [0, 1); alpha = 0 reaches a rate of 0 at step T."""
    kind = "cosine_decay"
    init_value = _number(kind, "init_value", init_value)
    decay_steps = _steps(kind, "decay_steps", decay_steps)
    alpha = _number(kind, "alpha", alpha, low_open=False, high=1.0)

    def rate(t: int) -> float:
        cosine = 0.5 * (1 + math.cos(math.pi * min(t, decay_steps) / decay_steps))
        return init_value * ((1 - alpha) * cosine + alpha)

    return Schedule(kind, {"init_value": init_value, "decay_steps": decay_steps, "alpha": alpha}, rate)


def warmup(peak_value: float, warmup_steps: int, then: Schedule | None = None,
           init_value: float = 0.0) -> Schedule:
    """A linear ramp from ``init_value`` (>= 0) to ``peak_value`` over ``warmup_steps``
    steps, then ``then`` started afresh (``then(t − warmup_steps)``, optax's
    ``join_schedules``) or the peak for ever. With init_value 0 the first step is a step of 0."""
    kind = "warmup"
    peak_value = _number(kind, "peak_value", peak_value)
    warmup_steps = _steps(kind, "warmup_steps", warmup_steps)
    init_value = _number(kind, "init_value", init_value, low_open=False)
    if then is not None and not isinstance(then, Schedule):
        raise ValueError(f"schedules.{kind}: then={then!r} is invalid: must be a schedule or None")
    rise = peak_value - init_value

    def rate(t: int) -> float:
        if t < warmup_steps:
            return init_value + rise * t / warmup_steps
        return peak_value if then is None else then(t - warmup_steps)

    params = {"peak_value": peak_value, "warmup_steps": warmup_steps, "init_value": init_value, "then": then}
    return Schedule(kind, params, rate)


BUILDERS = {"constant": constant, "piecewise_constant": piecewise_constant, "step_decay": step_decay,
            "inverse_time": inverse_time, "cosine_decay": cosine_decay, "warmup": warmup}


def from_spec(spec: dict[str, Any]) -> Schedule:
    """The schedule a ``describe()`` dict describes (validated as when built directly)."""
    if not isinstance(spec, dict) or spec.get("kind") not in BUILDERS:
        raise ValueError(f"schedules: {spec!r} is not a schedule description; kinds: {', '.join(BUILDERS)}")
    params = {key: value for key, value in spec.items() if key != "kind"}
    if params.get("then") is not None:
        params["then"] = from_spec(params["then"])
    try:
        return BUILDERS[spec["kind"]](**params)
    except TypeError as error:  # a missing or unknown parameter
        raise ValueError(f"schedules.{spec['kind']}: {error}") from None


def rate_at(lr, count: int):
    """The learning rate of the update after ``count`` steps: ``lr(count)`` for a schedule,
    ``lr`` itself (the very same object, so results are unchanged) for a number or array."""
    return lr(count) if isinstance(lr, Schedule) else lr
