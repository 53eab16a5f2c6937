from typing import NamedTuple

import numpy as np

from ..base import decay, eps, rate, register
from ..schedules import rate_at

# μ_t's warming factor 0.96^(0.004·t) as a running product of this constant (see below).
MOMENTUM_DECAY = 0.96 ** 0.004


class NAdamState(NamedTuple):
    count: int
    mu_product: np.ndarray  # Π_t = μ_1 ⋯ μ_t
    mean: np.ndarray
    mean_sq: np.ndarray
    decay_power: float  # MOMENTUM_DECAY^t = 0.96^(0.004·t)
    beta2_power: np.ndarray  # beta2^t


@register("nadam", "NAdam", lr=rate(0.002), beta1=decay(0.9), beta2=decay(0.999), eps=eps(1e-8))
def nadam(lr, beta1, beta2, eps):
    """NAdam (Dozat, 2016, "Incorporating Nesterov Momentum into Adam").

    μ_t = beta1·(1 − ½·0.96^(0.004·t));  Π_t = μ_1 ⋯ μ_t
    m, v as in Adam;  v̂ = v / (1 − beta2^t)
    x ← x − lr·(1 − μ_t)/(1 − Π_t)·g/(√v̂ + eps) − lr·μ_{t+1}/(1 − Π_t·μ_{t+1})·m/(√v̂ + eps)

    Powers are running products (0.96^(0.004·t) = MOMENTUM_DECAY^t): exact multiplications
    on every CPU and in JavaScript, where ``pow`` is only approximated; they differ from
    PyTorch's ``0.96 ** (0.004 * t)`` by a few ulp.
    """

    def init(x):
        return NAdamState(0, np.ones_like(x), np.zeros_like(x), np.zeros_like(x), 1.0, 1.0)

    def update(grad, state, x):
        decay_power = state.decay_power * MOMENTUM_DECAY
        beta2_power = state.beta2_power * beta2
        mu = beta1 * (1 - 0.5 * decay_power)
        mu_next = beta1 * (1 - 0.5 * (decay_power * MOMENTUM_DECAY))
        mu_product = state.mu_product * mu
        mean = beta1 * state.mean + (1 - beta1) * grad
        mean_sq = beta2 * state.mean_sq + (1 - beta2) * grad * grad
        denom = np.sqrt(mean_sq / (1 - beta2_power)) + eps
        step = (1 - mu) / (1 - mu_product) * grad + mu_next / (1 - mu_product * mu_next) * mean
        new_state = NAdamState(state.count + 1, mu_product, mean, mean_sq, decay_power, beta2_power)
        return x - rate_at(lr, state.count) * step / denom, new_state

    return init, update
