from typing import NamedTuple

import numpy as np

from ..base import eps, rate, register
from ..schedules import rate_at


class AdagradState(NamedTuple):
    count: int
    sum_sq: np.ndarray


@register("adagrad", "AdaGrad", lr=rate(0.01), eps=eps(1e-10))
def adagrad(lr, eps):
    """AdaGrad (Duchi, Hazan & Singer, 2011).

    G ← G + g²
    x ← x − lr·g / (√G + eps)
    """

    def init(x):
        return AdagradState(0, np.zeros_like(x))

    def update(grad, state, x):
        sum_sq = state.sum_sq + grad * grad
        lr_t = rate_at(lr, state.count)
        return x - lr_t * grad / (np.sqrt(sum_sq) + eps), AdagradState(state.count + 1, sum_sq)

    return init, update
