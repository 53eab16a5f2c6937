from typing import NamedTuple

from ..base import rate, register


class SGDState(NamedTuple):
    pass


@register("sgd", "SGD", lr=rate(0.01))
def sgd(lr):
    """Gradient descent (Cauchy, 1847; Robbins & Monro, 1951).

    x ← x − lr·g
    """

    def init(x):
        return SGDState()

    def update(grad, state, x):
        return x - lr * grad, state

    return init, update
