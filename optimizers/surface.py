"""What a test surface is: analytic value, gradient and Hessian plus plot settings."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, NamedTuple

import numpy as np

KINDS = ("minimum", "saddle", "maximum")


class StationaryPoint(NamedTuple):
    location: tuple[float, float]
    kind: str  # one of KINDS
    value: float


@dataclass(frozen=True, eq=False)
class Surface:
    """A function f(x1, x2) with its analytic derivatives, vectorised over ``(..., 2)``.

    ``f``, ``df`` and ``d2f`` take the coordinate arrays ``x1, x2`` and return
    f, the pair (∂f/∂x1, ∂f/∂x2) and the triple (∂²f/∂x1², ∂²f/∂x1∂x2, ∂²f/∂x2²).
    """

    key: str
    title: str
    latex: str
    f: Callable
    df: Callable
    d2f: Callable
    bounds: tuple[tuple[float, float], tuple[float, float]]
    start: tuple[float, float]
    steps: int
    stationary_points: tuple[StationaryPoint, ...]
    divergence_bound: float = 1e6
    # How close to the lowest minimum's value counts as arrived.
    loss_tol: float = 1e-3
    # For surfaces without a minimum: the loss below which a run has escaped.
    escape_loss: float | None = None
    # f has no lower bound (a run can descend for ever: "escaping", not "diverged").
    unbounded_below: bool = False
    notes: str = field(default="")

    def value(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        return np.asarray(self.f(x[..., 0], x[..., 1]), dtype=np.float64)

    # grad and hessian fill a preallocated array (assignment broadcasts constant components):
    # the same values as broadcasting and stacking, with far less per-call overhead.
    def grad(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        g1, g2 = self.df(x[..., 0], x[..., 1])
        out = np.empty(x.shape)
        out[..., 0] = g1
        out[..., 1] = g2
        return out

    def hessian(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        h11, h12, h22 = self.d2f(x[..., 0], x[..., 1])
        out = np.empty((*x.shape, 2))
        out[..., 0, 0] = h11
        out[..., 0, 1] = h12
        out[..., 1, 0] = h12
        out[..., 1, 1] = h22
        return out

    @property
    def minima(self) -> np.ndarray:
        """Locations of the listed minima, shape (n, 2)."""
        return np.array([p.location for p in self.stationary_points if p.kind == "minimum"]).reshape(-1, 2)

    @property
    def min_value(self) -> float | None:
        """The lowest listed minimum value (f* where the surface is bounded below)."""
        values = [p.value for p in self.stationary_points if p.kind == "minimum"]
        return min(values) if values else None

    def inside(self, x) -> np.ndarray:
        """Whether points lie inside the plot range."""
        x = np.asarray(x)
        (lo1, hi1), (lo2, hi2) = self.bounds
        return (x[..., 0] >= lo1) & (x[..., 0] <= hi1) & (x[..., 1] >= lo2) & (x[..., 1] <= hi2)

    def grid(self, n: int) -> np.ndarray:
        """An ``n × n`` grid of points covering the plot range, shape (n, n, 2), x1 along axis 1."""
        (lo1, hi1), (lo2, hi2) = self.bounds
        x1, x2 = np.meshgrid(np.linspace(lo1, hi1, n), np.linspace(lo2, hi2, n))
        return np.stack([x1, x2], axis=-1)
