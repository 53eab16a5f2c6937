from typing import NamedTuple

import numpy as np

from ..base import eps, rate, register


class AdagradState(NamedTuple):
    sum_sq: np.ndarray


@register("adagrad", "AdaGrad", lr=rate(0.01), eps=eps(1e-10))
def adagrad(lr, eps):
    """AdaGrad (Duchi, Hazan & Singer, 2011).

    G ← G + g²
    x ← x − lr·g / (√G + eps)
    """

    def init(x):
        return AdagradState(np.zeros_like(x))

    def update(grad, state, x):
        sum_sq = state.sum_sq + grad * grad
        return x - lr * grad / (np.sqrt(sum_sq) + eps), AdagradState(sum_sq)

    return init, update
