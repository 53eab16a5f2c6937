from typing import NamedTuple

import numpy as np

from ..base import decay, eps, rate, register


class NAdamState(NamedTuple):
    count: int
    mu_product: np.ndarray  # Π_t = μ_1 ⋯ μ_t
    mean: np.ndarray
    mean_sq: np.ndarray


@register("nadam", "NAdam", lr=rate(0.002), beta1=decay(0.9), beta2=decay(0.999), eps=eps(1e-8))
def nadam(lr, beta1, beta2, eps):
    """NAdam (Dozat, 2016, "Incorporating Nesterov Momentum into Adam").

    μ_t = beta1·(1 − ½·0.96^(0.004·t));  Π_t = μ_1 ⋯ μ_t
    m, v as in Adam;  v̂ = v / (1 − beta2^t)
    x ← x − lr·(1 − μ_t)/(1 − Π_t)·g/(√v̂ + eps) − lr·μ_{t+1}/(1 − Π_t·μ_{t+1})·m/(√v̂ + eps)
    """

    def schedule(t):
        return beta1 * (1 - 0.5 * 0.96 ** (0.004 * t))

    def init(x):
        return NAdamState(0, np.ones_like(x), np.zeros_like(x), np.zeros_like(x))

    def update(grad, state, x):
        t = state.count + 1
        mu, mu_next = schedule(t), schedule(t + 1)
        mu_product = state.mu_product * mu
        mean = beta1 * state.mean + (1 - beta1) * grad
        mean_sq = beta2 * state.mean_sq + (1 - beta2) * grad * grad
        denom = np.sqrt(mean_sq / (1 - beta2**t)) + eps
        step = (1 - mu) / (1 - mu_product) * grad + mu_next / (1 - mu_product * mu_next) * mean
        return x - lr * step / denom, NAdamState(t, mu_product, mean, mean_sq)

    return init, update
