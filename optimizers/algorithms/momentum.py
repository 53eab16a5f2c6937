from typing import NamedTuple

import numpy as np

from ..base import decay, rate, register


class MomentumState(NamedTuple):
    velocity: np.ndarray


@register("momentum", "Momentum", lr=rate(0.01), momentum=decay(0.9))
def momentum(lr, momentum):
    """Heavy-ball momentum (Polyak, 1964).

    v ← momentum·v − lr·g
    x ← x + v
    """

    def init(x):
        return MomentumState(np.zeros_like(x))

    def update(grad, state, x):
        velocity = momentum * state.velocity - lr * grad
        return x + velocity, MomentumState(velocity)

    return init, update
