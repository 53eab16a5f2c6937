"""Run an optimizer on a surface from one start point or a whole batch of them.

With exact gradients (``batch_size=None``, the default) every step uses the surface's
full-batch gradient. On a surface built from data (``n_examples``, see
``optimizers.data_surfaces``) a ``batch_size`` below ``n_examples`` makes the run
stochastic: step t uses the gradient (and, for Newton, the Hessian) of the mean loss
over batch t of examples, drawn without replacement within each epoch by the seeded
generator of ``optimizers.batches`` (reproducible in JavaScript). ``batch_size =
n_examples`` is the exact gradient itself (the same code path, bit for bit).

Repetitions run as one batch, like start points: ``seed`` is an integer or an integer
array that broadcasts to the batch of runs ``x0.shape[:-1]``, each run drawing its
batches from its own seed (runs with equal seeds see the same batches). For example,
64 repetitions from one start: ``run(opt, surface, np.broadcast_to(start, (64, 2)),
steps, batch_size=8, seed=np.arange(64))``; the same seed gives the same bytes.
"""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .base import Optimizer
from .batches import BatchStream, seeds_of, steps_per_block, take
from .schedules import Schedule


class Trajectory(NamedTuple):
    points: np.ndarray  # (steps + 1, *batch, 2); points[0] is the start
    losses: np.ndarray  # (steps + 1, *batch): the full-batch loss, also for stochastic runs
    diverged_at: np.ndarray  # (*batch,): first non-finite or out-of-bounds step, else -1


class NoisyState(NamedTuple):
    """The state of a stochastic run: the optimizer's, and where its batches stand."""

    optimizer: Any
    batches: BatchStream


def run(opt: Optimizer, surface, x0, steps: int, batch_size: int | None = None, seed=0) -> Trajectory:
    """Take ``steps`` steps of ``opt`` on ``surface`` from ``x0`` (shape ``(..., 2)``), with
    exact gradients or, given a ``batch_size``, mini-batch ones drawn from ``seed`` (see the
    module docstring).

    A point that becomes non-finite or leaves the surface's divergence bound
    (1e6 from the origin unless the surface says otherwise) is frozen at its
    last good value and the step is recorded in ``diverged_at``.
    """
    return advance(opt, surface, x0, steps, batch_size=batch_size, seed=seed)[0]


def advance(opt: Optimizer, surface, x0, steps: int, state=None, batch_size: int | None = None,
            seed=0) -> tuple[Trajectory, Any]:
    """``run``, from the state ``state`` (default: ``opt.init(x0)`` and, for a stochastic
    run, the first batch of ``seed``), also returning the final state, so that a run can be
    continued where it stopped: a stochastic run's state is a ``NoisyState``, and continuing
    it continues its stream of batches (its own batch size and seeds)."""
    try:
        whole = int(steps) == steps and steps >= 0
    except (TypeError, ValueError, OverflowError):  # "3", nan, inf, None
        whole = False
    if not whole:
        raise ValueError(f"run: steps={steps!r} is invalid: must be a whole number >= 0")
    steps = int(steps)  # 3.0 or np.int64(3) -> 3, usable as a shape and a range
    x = np.array(x0, dtype=np.float64)  # a copy: x0 is never modified
    if x.ndim == 0 or x.shape[-1] != 2:
        raise ValueError(f"run: x0 has shape {x.shape}; expected (..., 2)")
    if isinstance(state, NoisyState):
        if batch_size is not None and batch_size != state.batches.batch_size:
            raise ValueError(f"run: batch_size={batch_size!r} differs from the continued run's "
                             f"{state.batches.batch_size}")
        state, stream = state.optimizer, state.batches
    else:
        stream = _stream(surface, batch_size, seed, x.shape[:-1])
    bound = getattr(surface, "divergence_bound", 1e6)
    points = np.empty((steps + 1, *x.shape))
    state = opt.init(x) if state is None else state
    index, pending = None, iter(())  # this step's examples; the batches taken but not yet used
    # Diverging points overflow on the way out; that is recorded, not warned about.
    with np.errstate(all="ignore"):
        diverged_at = np.where(_out_of_bounds(x, bound), 0, -1)  # |x0|² may overflow too
        frozen = diverged_at >= 0
        any_frozen = bool(frozen.any())
        steady = not rate_varies(opt) and stream is None  # a fixed point may yet move on another batch
        points[0] = x
        previous_state = state
        for t in range(1, steps + 1):
            if stream is not None:
                index = next(pending, None)
                if index is None:
                    block, stream = take(stream, min(steps_per_block(stream), steps - t + 1))
                    pending = iter(block)
                    index = next(pending)
            grad = surface.grad(x) if index is None else surface.grad(x, index)
            if opt.uses_hessian:
                hessian = surface.hessian(x) if index is None else surface.hessian(x, index)
                new_x, state = opt.update(grad, state, x, hessian)
            else:
                new_x, state = opt.update(grad, state, x)
            out = _out_of_bounds(new_x, bound)
            if out.any():  # rare: skip the bookkeeping on ordinary steps
                newly = out & ~frozen
                diverged_at = np.where(newly, t, diverged_at)
                frozen = frozen | newly
                any_frozen = True
            if (t % _FIXED_POINT_CHECK == 0 and steady and not any_frozen
                    and _at_fixed_point(x, new_x, previous_state, state)):
                points[t:] = x  # the same x and state give the same step for ever: exact
                break
            previous_state = state
            # Nothing is updated in place, so taking new_x itself is safe.
            x = np.where(frozen[..., None], x, new_x) if any_frozen else new_x
            points[t] = x
        losses = losses_of(surface, points)
    return Trajectory(points, losses, diverged_at), (state if stream is None else NoisyState(state, stream))


def _stream(surface, batch_size, seed, batch_shape) -> BatchStream | None:
    """The batches of a new run: None for the exact gradient (no batch size, or the whole data set)."""
    if batch_size is None:
        return None
    n = getattr(surface, "n_examples", None)
    if n is None:
        raise ValueError(f"run: batch_size={batch_size!r} needs a surface built from data; "
                         f"{getattr(surface, 'key', surface)!r} has no examples")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or not 1 <= batch_size <= n:
        raise ValueError(f"run: batch_size={batch_size!r} is invalid: must be a whole number from 1 to {n}")
    seeds = seeds_of(seed, batch_shape)
    return None if batch_size == n else BatchStream(seeds, n, int(batch_size), 0)


def losses_of(surface, points: np.ndarray) -> np.ndarray:
    """``surface.value`` of a whole trajectory (steps on axis 0), a few steps at a time: one
    call for a small batch, while a large batch avoids whole-trajectory temporaries (much
    slower than cache-sized pieces)."""
    losses = np.empty(points.shape[:-1])
    chunk = max(1, _LOSS_CHUNK // max(1, points[0].size // 2))
    with np.errstate(all="ignore"):
        for start in range(0, len(points), chunk):
            losses[start:start + chunk] = surface.value(points[start:start + chunk])
    return losses


_LOSS_CHUNK = 1 << 16  # points per surface.value call when computing the losses
_FIXED_POINT_CHECK = 32  # every this many steps, look for a run that can no longer change


def rate_varies(opt: Optimizer) -> bool:
    """Whether ``opt``'s learning rate changes with the step (a schedule that is not constant):
    then a step that changes nothing says nothing about the next one."""
    return any(isinstance(value, Schedule) and not value.is_constant for value in opt.hparams.values())


def _at_fixed_point(x, new_x, state, new_state) -> bool:
    """Whether a step changed neither a point nor the optimizer's state (``count`` only
    counts steps, and with a constant rate no update rule reads it): then every later
    step is the same, bit for bit."""
    if not np.array_equal(x, new_x):
        return False
    return all(np.array_equal(a, b) for name, a, b in zip(state._fields, state, new_state) if name != "count")


def _out_of_bounds(x: np.ndarray, bound: float) -> np.ndarray:
    # x1² + x2² written out: a reduction over the length-2 last axis is several times slower.
    x1, x2 = x[..., 0], x[..., 1]
    return ~(np.sqrt(x1 * x1 + x2 * x2) <= bound)  # NaN compares False: out
