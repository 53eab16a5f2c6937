"""Test-only references, written from the contract and independent of ``optimizers``.

* ``REFERENCE_F``: the surfaces' formulas, typed in again from the contract table.
* ``Quadratic`` and friends: duck-typed surfaces (value/grad/hessian only) whose
  derivatives are simple enough to check by hand.
* Finite differences (five-point stencils) for derivative checks.
"""
from __future__ import annotations

import numpy as np


def _cubic(x1, x2):
    return x1**2 + x2**2 + x2**3 + x1 * x2


def _bowl(x1, x2):
    return x1**2 / 20 + x2**2


def _rotated_bowl(x1, x2):
    # the bowl x1²/20 + x2² turned by 45°, expanded: (21/40)(x1² + x2²) − (19/20)·x1·x2
    return 21 / 40 * (x1**2 + x2**2) - 19 / 20 * x1 * x2


def _saddle(x1, x2):
    return -(x1**2) / 2 + x2**2


def _rosenbrock(x1, x2):
    return (1 - x1) ** 2 + 100 * (x2 - x1**2) ** 2


def _beale(x1, x2):
    return (1.5 - x1 + x1 * x2) ** 2 + (2.25 - x1 + x1 * x2**2) ** 2 + (2.625 - x1 + x1 * x2**3) ** 2


def _himmelblau(x1, x2):
    return (x1**2 + x2 - 11) ** 2 + (x1 + x2**2 - 7) ** 2


def _rastrigin(x1, x2):
    return 20 + (x1**2 - 10 * np.cos(2 * np.pi * x1)) + (x2**2 - 10 * np.cos(2 * np.pi * x2))


def _long_valley(x1, x2):
    return 0.05 * (np.sqrt(1 + x1**2) - 1) + x2**2


REFERENCE_F = {
    "cubic": _cubic,
    "ill_conditioned_bowl": _bowl,
    "rotated_bowl": _rotated_bowl,
    "saddle": _saddle,
    "rosenbrock": _rosenbrock,
    "beale": _beale,
    "himmelblau": _himmelblau,
    "rastrigin": _rastrigin,
    "long_valley": _long_valley,
}


def ref_value(key, x):
    x = np.asarray(x, dtype=np.float64)
    return REFERENCE_F[key](x[..., 0], x[..., 1])


# --- five-point finite differences ---------------------------------------------------------
_E = np.eye(2)


def fd_grad(f, x, h):
    """d f / d x_i by the five-point stencil; ``f`` maps (..., 2) -> (...)."""
    x = np.asarray(x, dtype=np.float64)
    cols = []
    for i in range(2):
        e = h * _E[i]
        cols.append((-f(x + 2 * e) + 8 * f(x + e) - 8 * f(x - e) + f(x - 2 * e)) / (12 * h))
    return np.stack(cols, axis=-1)


def fd_jacobian(g, x, h):
    """d g_j / d x_i by the five-point stencil; ``g`` maps (..., 2) -> (..., 2). Result [..., j, i]."""
    x = np.asarray(x, dtype=np.float64)
    cols = []
    for i in range(2):
        e = h * _E[i]
        cols.append((-g(x + 2 * e) + 8 * g(x + e) - 8 * g(x - e) + g(x - 2 * e)) / (12 * h))
    return np.stack(cols, axis=-1)


def fd_hessian_of_value(f, x, h):
    """Second derivatives of ``f`` from values only (central differences)."""
    x = np.asarray(x, dtype=np.float64)
    e1, e2 = h * _E[0], h * _E[1]
    f0 = f(x)
    h11 = (f(x + e1) - 2 * f0 + f(x - e1)) / h**2
    h22 = (f(x + e2) - 2 * f0 + f(x - e2)) / h**2
    h12 = (f(x + e1 + e2) - f(x + e1 - e2) - f(x - e1 + e2) + f(x - e1 - e2)) / (4 * h**2)
    return np.stack([np.stack([h11, h12], -1), np.stack([h12, h22], -1)], -2)


def signature(hess):
    """'minimum' / 'maximum' / 'saddle' of a symmetric 2x2 matrix, from its determinant and trace
    (eigenvalue signs: det > 0 means equal signs, the trace tells which; det < 0 means mixed)."""
    det = hess[0, 0] * hess[1, 1] - hess[0, 1] * hess[1, 0]
    trace = hess[0, 0] + hess[1, 1]
    if det < 0:
        return "saddle"
    if det > 0:
        return "minimum" if trace > 0 else "maximum"
    return "degenerate"


# --- duck-typed surfaces: only value / grad / hessian -------------------------------------
class Quadratic:
    """f = a1·x1² + a2·x2² (+ c·x1·x2): g = (2a1·x1 + c·x2, 2a2·x2 + c·x1), H = [[2a1, c], [c, 2a2]]."""

    def __init__(self, a1, a2, c=0.0):
        self.a1, self.a2, self.c = a1, a2, c

    def value(self, x):
        x = np.asarray(x, dtype=np.float64)
        x1, x2 = x[..., 0], x[..., 1]
        return self.a1 * x1**2 + self.a2 * x2**2 + self.c * x1 * x2

    def grad(self, x):
        x = np.asarray(x, dtype=np.float64)
        x1, x2 = x[..., 0], x[..., 1]
        return np.stack([2 * self.a1 * x1 + self.c * x2, 2 * self.a2 * x2 + self.c * x1], axis=-1)

    def hessian(self, x):
        x = np.asarray(x, dtype=np.float64)
        h = np.array([[2 * self.a1, self.c], [self.c, 2 * self.a2]])
        return np.broadcast_to(h, (*x.shape[:-1], 2, 2)).copy()
