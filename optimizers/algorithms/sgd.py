from typing import NamedTuple

from ..base import rate, register
from ..schedules import rate_at


class SGDState(NamedTuple):
    count: int


@register("sgd", "SGD", lr=rate(0.01))
def sgd(lr):
    """Gradient descent (Cauchy, 1847; Robbins & Monro, 1951).

    x ← x − lr·g
    """

    def init(x):
        return SGDState(0)

    def update(grad, state, x):
        return x - rate_at(lr, state.count) * grad, SGDState(state.count + 1)

    return init, update
