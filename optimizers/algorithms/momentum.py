from typing import NamedTuple

import numpy as np

from ..base import decay, rate, register
from ..schedules import rate_at


class MomentumState(NamedTuple):
    count: int
    velocity: np.ndarray


@register("momentum", "Momentum", lr=rate(0.01), momentum=decay(0.9))
def momentum(lr, momentum):
    """Heavy-ball momentum (Polyak, 1964).

    v ← momentum·v − lr·g
    x ← x + v
    """

    def init(x):
        return MomentumState(0, np.zeros_like(x))

    def update(grad, state, x):
        velocity = momentum * state.velocity - rate_at(lr, state.count) * grad
        return x + velocity, MomentumState(state.count + 1, velocity)

    return init, update
