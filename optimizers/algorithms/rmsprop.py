from typing import NamedTuple

import numpy as np

from ..base import decay, eps, rate, register
from ..schedules import rate_at


class RMSpropState(NamedTuple):
    count: int
    mean_sq: np.ndarray


@register("rmsprop", "RMSprop", lr=rate(0.001), beta=decay(0.9), eps=eps(1e-8))
def rmsprop(lr, beta, eps):
    """RMSprop (Tieleman & Hinton, 2012, Coursera lecture 6.5).

    G ← beta·G + (1 − beta)·g²
    x ← x − lr·g / (√G + eps)
    """

    def init(x):
        return RMSpropState(0, np.zeros_like(x))

    def update(grad, state, x):
        mean_sq = beta * state.mean_sq + (1 - beta) * grad * grad
        lr_t = rate_at(lr, state.count)
        return x - lr_t * grad / (np.sqrt(mean_sq) + eps), RMSpropState(state.count + 1, mean_sq)

    return init, update
