from typing import NamedTuple

import numpy as np

from ..base import decay, eps, rate, register
from ..schedules import rate_at


class AdadeltaState(NamedTuple):
    count: int
    mean_sq_grad: np.ndarray
    mean_sq_delta: np.ndarray


@register("adadelta", "AdaDelta", lr=rate(1.0), rho=decay(0.95), eps=eps(1e-6))
def adadelta(lr, rho, eps):
    """AdaDelta (Zeiler, 2012), with PyTorch's optional learning-rate factor.

    E[g²] ← rho·E[g²] + (1 − rho)·g²
    Δ = √(E[Δ²] + eps) / √(E[g²] + eps) · g
    E[Δ²] ← rho·E[Δ²] + (1 − rho)·Δ²
    x ← x − lr·Δ
    """

    def init(x):
        return AdadeltaState(0, np.zeros_like(x), np.zeros_like(x))

    def update(grad, state, x):
        mean_sq_grad = rho * state.mean_sq_grad + (1 - rho) * grad * grad
        delta = np.sqrt(state.mean_sq_delta + eps) / np.sqrt(mean_sq_grad + eps) * grad
        mean_sq_delta = rho * state.mean_sq_delta + (1 - rho) * delta * delta
        new_state = AdadeltaState(state.count + 1, mean_sq_grad, mean_sq_delta)
        return x - rate_at(lr, state.count) * delta, new_state

    return init, update
