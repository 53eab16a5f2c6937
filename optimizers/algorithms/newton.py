from typing import NamedTuple

import numpy as np

from ..base import rate, register
from ..schedules import rate_at


class NewtonState(NamedTuple):
    count: int


@register("newton", "Newton", uses_hessian=True, lr=rate(1.0))
def newton(lr):
    """Damped Newton's method (Newton, 1669; Raphson, 1690).

    x ← x − lr·H(x)⁻¹·g

    The 2 × 2 inverse is taken in closed form; where H is (nearly) singular the
    Moore–Penrose pseudo-inverse stands in for it, giving the least-norm step
    instead of a crash. Newton's step goes to the stationary point of the
    local quadratic model, whatever its type: it is attracted by saddles and
    maxima as much as by minima.
    """

    def init(x):
        return NewtonState(0)

    def update(grad, state, x, hessian):
        # A non-finite Hessian (at a point that has already diverged) would stop the SVD.
        hessian = np.where(np.isfinite(hessian), hessian, 0.0)
        a, b, c, d = hessian[..., 0, 0], hessian[..., 0, 1], hessian[..., 1, 0], hessian[..., 1, 1]
        det = a * d - b * c
        singular = np.abs(det) <= 1e-12 * np.max(np.abs(hessian), axis=(-2, -1)) ** 2
        safe_det = np.where(singular, 1.0, det)
        g1, g2 = grad[..., 0], grad[..., 1]
        step = np.stack([(d * g1 - b * g2) / safe_det, (a * g2 - c * g1) / safe_det], axis=-1)
        if np.any(singular):
            step[singular] = np.einsum("...ij,...j->...i", np.linalg.pinv(hessian[singular]), grad[singular])
        return x - rate_at(lr, state.count) * step, NewtonState(state.count + 1)

    return init, update
