"""The optimizer registry: what an optimizer is, how it is registered and built.

An optimizer is a pair of pure functions in the spirit of optax:
``init(x) -> state`` and ``update(grad, state, x) -> (new_x, new_state)``, with
the state an explicit named tuple. Second-order methods (``uses_hessian``) get
the Hessian as a fourth argument: ``update(grad, state, x, hessian)``.

Hyperparameters may be scalars or arrays that broadcast against the batch
(shape ``(..., 1)``), which is how learning-rate sweeps run as one batch. The learning
rate may also be a schedule (``optimizers.schedules``): every state then has a ``count``
of the steps taken, from which the update reads the rate (``schedules.rate_at``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import numpy as np

from .schedules import Schedule, from_spec


class Optimizer(NamedTuple):
    name: str
    hparams: dict[str, Any]
    init: Callable[..., Any]
    update: Callable[..., tuple[np.ndarray, Any]]
    uses_hessian: bool = False


@dataclass(frozen=True)
class Hyper:
    """A hyperparameter: its default (from the paper) and the range it must lie in."""

    default: float
    kind: str  # "rate": > 0; "decay": in [0, 1); "eps": >= 0

    def violation(self, value: np.ndarray) -> str | None:
        """Why ``value`` is invalid, or None."""
        if not np.all(np.isfinite(value)):
            return "must be finite"
        if self.kind == "rate" and not np.all(value > 0):
            return "must be > 0"
        if self.kind == "decay" and not np.all((value >= 0) & (value < 1)):
            return "must lie in [0, 1)"
        if self.kind == "eps" and not np.all(value >= 0):
            return "must be >= 0"
        return None


def rate(default: float) -> Hyper:
    return Hyper(default, "rate")


def decay(default: float) -> Hyper:
    return Hyper(default, "decay")


def eps(default: float) -> Hyper:
    return Hyper(default, "eps")


@dataclass(frozen=True)
class Spec:
    """A registered optimizer: its factory, display title and hyperparameters."""

    name: str
    title: str
    factory: Callable[..., tuple[Callable, Callable]]
    hypers: dict[str, Hyper]
    uses_hessian: bool

    @property
    def defaults(self) -> dict[str, float]:
        return {key: hyper.default for key, hyper in self.hypers.items()}

    @property
    def paper(self) -> str:
        """The first line of the factory's docstring: the method and its paper."""
        return (self.factory.__doc__ or "").strip().splitlines()[0]


OPTIMIZERS: dict[str, Spec] = {}


def register(name: str, title: str, *, uses_hessian: bool = False, **hypers: Hyper):
    """Register the decorated factory ``f(**hparams) -> (init, update)`` as optimizer ``name``."""

    def decorate(factory):
        if name in OPTIMIZERS:
            raise ValueError(f"optimizer {name!r} is registered twice")
        OPTIMIZERS[name] = Spec(name, title, factory, hypers, uses_hessian)
        return factory

    return decorate


def _as_value(value: Any) -> Any:
    """Scalars stay Python floats (readable reprs); arrays become float64 arrays.

    Only real numbers are accepted: numpy would otherwise parse "0.1" and take True as 1.
    """
    array = np.asarray(value)
    if array.dtype.kind not in "iuf":  # str, bool, None/object, complex
        raise TypeError(f"{value!r} is not a real number")
    array = array.astype(np.float64)
    return float(array) if array.ndim == 0 else array


def make(name: str, **hparams: Any) -> Optimizer:
    """Build optimizer ``name``; unspecified hyperparameters take the paper's defaults.
    ``lr`` may be a schedule (validated when it was built, by ``optimizers.schedules``) or a
    schedule's description (``Schedule.describe()``, e.g. from a configuration file).

    Raises ValueError naming the optimizer, the parameter and the value for an
    unknown optimizer, an unknown hyperparameter or an invalid value.
    """
    spec = OPTIMIZERS.get(name)
    if spec is None:
        raise ValueError(f"unknown optimizer {name!r}; known: {', '.join(sorted(OPTIMIZERS))}")
    values = spec.defaults
    for key, raw in hparams.items():
        if key not in spec.hypers:
            raise ValueError(
                f"{name}: unknown hyperparameter {key!r}={raw!r}; accepted: {', '.join(spec.hypers)}"
            )
        if isinstance(raw, dict) and key == "lr":  # a schedule's description, as in experiments.yml
            try:
                raw = from_spec(raw)
            except ValueError as error:
                raise ValueError(f"{name}: lr={raw!r} is invalid: {error}") from None
        if isinstance(raw, Schedule):
            if key != "lr":
                raise ValueError(f"{name}: {key}={raw!r} is invalid: only lr may be a schedule")
            values[key] = raw
            continue
        try:
            value = _as_value(raw)
        except (TypeError, ValueError):
            raise ValueError(f"{name}: {key}={raw!r} is not a number") from None
        if np.ndim(value) and np.shape(value)[-1] != 1:  # else it would broadcast over coordinates
            raise ValueError(f"{name}: {key} has shape {np.shape(value)}; an array of values needs "
                             "a trailing axis of length 1, shape (..., 1)")
        reason = spec.hypers[key].violation(np.asarray(value))
        if reason:
            raise ValueError(f"{name}: {key}={raw!r} is invalid: {reason}")
        values[key] = value
    init, update = spec.factory(**values)
    return Optimizer(name, values, init, update, spec.uses_hessian)
