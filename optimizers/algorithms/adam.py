from typing import NamedTuple

import numpy as np

from ..base import decay, eps, rate, register
from ..schedules import rate_at


class AdamState(NamedTuple):
    count: int
    mean: np.ndarray
    mean_sq: np.ndarray
    beta1_power: np.ndarray  # beta1^t
    beta2_power: np.ndarray  # beta2^t


@register("adam", "Adam", lr=rate(0.001), beta1=decay(0.9), beta2=decay(0.999), eps=eps(1e-8))
def adam(lr, beta1, beta2, eps):
    """Adam (Kingma & Ba, 2015).

    m ← beta1·m + (1 − beta1)·g;  v ← beta2·v + (1 − beta2)·g²
    m̂ = m / (1 − beta1^t);  v̂ = v / (1 − beta2^t)
    x ← x − lr·m̂ / (√v̂ + eps)

    beta^t is kept as a running product: multiplication is exact on every CPU (and in
    JavaScript), while a vectorised ``pow`` may differ from the scalar one in the last bit.
    """

    def init(x):
        return AdamState(0, np.zeros_like(x), np.zeros_like(x), 1.0, 1.0)

    def update(grad, state, x):
        beta1_power, beta2_power = state.beta1_power * beta1, state.beta2_power * beta2
        mean = beta1 * state.mean + (1 - beta1) * grad
        mean_sq = beta2 * state.mean_sq + (1 - beta2) * grad * grad
        mean_hat = mean / (1 - beta1_power)
        mean_sq_hat = mean_sq / (1 - beta2_power)
        new_state = AdamState(state.count + 1, mean, mean_sq, beta1_power, beta2_power)
        return x - rate_at(lr, state.count) * mean_hat / (np.sqrt(mean_sq_hat) + eps), new_state

    return init, update
