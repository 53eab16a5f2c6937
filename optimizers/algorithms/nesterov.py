from typing import NamedTuple

import numpy as np

from ..base import decay, rate, register
from ..schedules import rate_at


class NesterovState(NamedTuple):
    count: int
    velocity: np.ndarray


@register("nesterov", "Nesterov (NAG)", lr=rate(0.01), momentum=decay(0.9))
def nesterov(lr, momentum):
    """Nesterov accelerated gradient (Nesterov, 1983), in the form of Bengio et al. (2013).

    v_prev ← v
    v ← momentum·v − lr·g
    x ← x − momentum·v_prev + (1 + momentum)·v

    Tracking the look-ahead point, this equals evaluating the gradient at
    x + momentum·v in the classic formulation (Sutskever et al., 2013).
    """

    def init(x):
        return NesterovState(0, np.zeros_like(x))

    def update(grad, state, x):
        velocity = momentum * state.velocity - rate_at(lr, state.count) * grad
        new_x = x - momentum * state.velocity + (1 + momentum) * velocity
        return new_x, NesterovState(state.count + 1, velocity)

    return init, update
