from typing import NamedTuple

import numpy as np

from ..base import decay, eps, rate, register
from ..schedules import rate_at


class AMSGradState(NamedTuple):
    count: int
    mean: np.ndarray
    mean_sq: np.ndarray
    max_mean_sq: np.ndarray
    beta1_power: np.ndarray  # beta1^t, a running product as in Adam
    beta2_power: np.ndarray


@register("amsgrad", "AMSGrad", lr=rate(0.001), beta1=decay(0.9), beta2=decay(0.999), eps=eps(1e-8))
def amsgrad(lr, beta1, beta2, eps):
    """AMSGrad (Reddi, Kale & Kumar, 2018), with Adam's bias correction as in PyTorch.

    m, v as in Adam;  v_max ← max(v_max, v)
    x ← x − lr·m̂ / (√(v_max / (1 − beta2^t)) + eps)
    """

    def init(x):
        return AMSGradState(0, np.zeros_like(x), np.zeros_like(x), np.zeros_like(x), 1.0, 1.0)

    def update(grad, state, x):
        beta1_power, beta2_power = state.beta1_power * beta1, state.beta2_power * beta2
        mean = beta1 * state.mean + (1 - beta1) * grad
        mean_sq = beta2 * state.mean_sq + (1 - beta2) * grad * grad
        max_mean_sq = np.maximum(state.max_mean_sq, mean_sq)
        mean_hat = mean / (1 - beta1_power)
        denom = np.sqrt(max_mean_sq / (1 - beta2_power)) + eps
        new_state = AMSGradState(state.count + 1, mean, mean_sq, max_mean_sq, beta1_power, beta2_power)
        return x - rate_at(lr, state.count) * mean_hat / denom, new_state

    return init, update
