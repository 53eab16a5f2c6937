from typing import NamedTuple

import numpy as np

from ..base import rate, register


class NewtonState(NamedTuple):
    pass


@register("newton", "Newton", uses_hessian=True, lr=rate(1.0))
def newton(lr):
    """Damped Newton's method (Newton, 1669; Raphson, 1690).

    x ← x − lr·H(x)⁻¹·g

    The Moore–Penrose pseudo-inverse stands in for H⁻¹, so a singular Hessian
    gives the least-norm step instead of a crash. Newton's step goes to the
    stationary point of the local quadratic model, whatever its type: it is
    attracted by saddles and maxima as much as by minima.
    """

    def init(x):
        return NewtonState()

    def update(grad, state, x, hessian):
        # A non-finite Hessian (at a point that has already diverged) would stop the SVD.
        finite = np.isfinite(hessian).all(axis=(-2, -1), keepdims=True)
        inverse = np.linalg.pinv(np.where(finite, hessian, 0.0))
        return x - lr * np.einsum("...ij,...j->...i", inverse, grad), state

    return init, update
