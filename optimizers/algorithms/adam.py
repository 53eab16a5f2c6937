from typing import NamedTuple

import numpy as np

from ..base import decay, eps, rate, register


class AdamState(NamedTuple):
    count: int
    mean: np.ndarray
    mean_sq: np.ndarray


@register("adam", "Adam", lr=rate(0.001), beta1=decay(0.9), beta2=decay(0.999), eps=eps(1e-8))
def adam(lr, beta1, beta2, eps):
    """Adam (Kingma & Ba, 2015).

    m ← beta1·m + (1 − beta1)·g;  v ← beta2·v + (1 − beta2)·g²
    m̂ = m / (1 − beta1^t);  v̂ = v / (1 − beta2^t)
    x ← x − lr·m̂ / (√v̂ + eps)
    """

    def init(x):
        return AdamState(0, np.zeros_like(x), np.zeros_like(x))

    def update(grad, state, x):
        t = state.count + 1
        mean = beta1 * state.mean + (1 - beta1) * grad
        mean_sq = beta2 * state.mean_sq + (1 - beta2) * grad * grad
        mean_hat = mean / (1 - beta1**t)
        mean_sq_hat = mean_sq / (1 - beta2**t)
        return x - lr * mean_hat / (np.sqrt(mean_sq_hat) + eps), AdamState(t, mean, mean_sq)

    return init, update
