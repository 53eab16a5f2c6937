from typing import NamedTuple

import numpy as np

from ..base import decay, rate, register
from ..schedules import rate_at


class LionState(NamedTuple):
    count: int
    mean: np.ndarray


@register("lion", "Lion", lr=rate(1e-4), beta1=decay(0.9), beta2=decay(0.99))
def lion(lr, beta1, beta2):
    """Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms").

    c ← beta1·m + (1 − beta1)·g
    x ← x − lr·sign(c)
    m ← beta2·m + (1 − beta2)·g
    """

    def init(x):
        return LionState(0, np.zeros_like(x))

    def update(grad, state, x):
        direction = np.sign(beta1 * state.mean + (1 - beta1) * grad)
        new_state = LionState(state.count + 1, beta2 * state.mean + (1 - beta2) * grad)
        return x - rate_at(lr, state.count) * direction, new_state

    return init, update
