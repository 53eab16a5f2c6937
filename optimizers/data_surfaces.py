"""Objectives built from a data set: a loss per example, averaged; mini-batch gradients.

Each is a ``DataSurface``: the ``Surface`` interface of the full-batch loss (value, grad,
Hessian, bounds, start, stationary points, so that every figure works on it) plus the
data (``n_examples``, ``data``) and the loss, gradient and Hessian of a mini-batch:
``value(x, index)``, ``grad(x, index)``, ``hessian(x, index)`` with ``index`` an integer
array of example indices, shape ``(*batch, B)``: each run of a batch ``x`` (shape
``(*batch, 2)``) with its own B examples. A mini-batch quantity is the mean over its
examples, summed by numpy's pairwise summation along the last axis of C-ordered terms
(``sum(axis=-1) / B``; along a strided axis numpy sums in another order, so the indices
are made contiguous first), which a port must follow to reproduce it bit for bit. The data sets are generated with
numpy from fixed seeds (``np.random.default_rng``), so they are the same on every machine
with the same numpy; the browser port takes them from the export, not from a generator.

Registered in ``SURFACES`` by ``optimizers.surfaces``:

* ``moons``: logistic regression on a noisy two-moons data set;
* ``linear_regression``: least squares for a slope and an intercept on a noisy line;
* ``noisy_quadratic``: f(x) = ½ xᵀHx + const with H = diag(0.1, 2), each example a copy
  shifted by c_i; constant-step SGD's stationary spread is in ``optimizers.noise``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .surface import StationaryPoint, Surface

_CHUNK = 1 << 20  # example-terms per piece when a large batch of points is averaged over all examples


@dataclass(frozen=True, eq=False)
class DataSurface(Surface):
    """A surface whose loss is the mean of a loss per example (see the module docstring).

    ``example_loss``, ``example_grad`` and ``example_hessian`` take ``x1, x2`` (shape
    ``(..., 1)``) and the data's columns (shape ``(..., B)``, broadcasting against them)
    and return per-example terms: ℓ, (∂ℓ/∂x1, ∂ℓ/∂x2) and (∂²ℓ/∂x1², ∂²ℓ/∂x1∂x2, ∂²ℓ/∂x2²).
    """

    data: tuple[np.ndarray, ...] = ()  # the columns of the data set, each of shape (n_examples,)
    example_loss: Callable | None = None
    example_grad: Callable | None = None
    example_hessian: Callable | None = None

    @property
    def n_examples(self) -> int:
        return len(self.data[0])

    def _batch(self, terms: Callable, x, index) -> tuple[np.ndarray, ...]:
        """The mean over the examples ``index`` (shape (*batch, B)) of ``terms``, per run."""
        x = np.asarray(x, dtype=np.float64)
        index = np.asarray(index)
        if index.dtype.kind not in "iu" or index.ndim == 0:
            raise ValueError(f"{self.key}: example indices must be an integer array of shape (..., B), "
                             f"got {index.dtype} of shape {index.shape}")
        index = np.ascontiguousarray(index)  # the gathered terms then are too: see the module docstring
        columns = [column[index] for column in self.data]
        parts = terms(x[..., 0, None], x[..., 1, None], *columns)
        shape = np.broadcast_shapes((*x.shape[:-1], 1), index.shape)  # (*runs, B)
        size = index.shape[-1]
        # a constant term (the quadratic's Hessian) is broadcast to one per example before the mean
        return tuple((part if np.shape(part) == shape else np.broadcast_to(part, shape)).sum(axis=-1) / size
                     for part in (parts if isinstance(parts, tuple) else (parts,)))

    def value(self, x, index=None) -> np.ndarray:
        if index is None:
            return super().value(x)
        return self._batch(self.example_loss, x, index)[0]

    def grad(self, x, index=None) -> np.ndarray:
        if index is None:
            return super().grad(x)
        g1, g2 = self._batch(self.example_grad, x, index)
        out = np.empty(np.broadcast_shapes(np.shape(x), (*g1.shape, 2)))
        out[..., 0] = g1
        out[..., 1] = g2
        return out

    def hessian(self, x, index=None) -> np.ndarray:
        if index is None:
            return super().hessian(x)
        h11, h12, h22 = self._batch(self.example_hessian, x, index)
        out = np.empty((*np.broadcast_shapes(np.shape(x), (*h11.shape, 2)), 2))
        out[..., 0, 0] = h11
        out[..., 0, 1] = h12
        out[..., 1, 0] = h12
        out[..., 1, 1] = h22
        return out


def full_batch(terms: Callable, data: tuple[np.ndarray, ...]) -> Callable:
    """``f(x1, x2)``: the mean of ``terms`` over every example, for points of any shape,
    a bounded number of points at a time (a contour grid times the data set is large)."""
    n = len(data[0])
    step = max(1, _CHUNK // n)

    def mean(x1, x2):
        x1, x2 = np.broadcast_arrays(np.asarray(x1, dtype=np.float64), np.asarray(x2, dtype=np.float64))
        flat1, flat2 = x1.reshape(-1, 1), x2.reshape(-1, 1)
        outs = None
        for i in range(0, max(len(flat1), 1), step):  # at least one call: it says how many parts
            parts = terms(flat1[i:i + step], flat2[i:i + step], *data)
            parts = parts if isinstance(parts, tuple) else (parts,)
            outs = outs or [np.empty(len(flat1)) for _ in parts]
            for out, part in zip(outs, parts):
                out[i:i + step] = np.broadcast_to(part, (len(flat1[i:i + step]), n)).sum(axis=-1) / n
        means = tuple(out.reshape(x1.shape) for out in outs)
        return means if len(means) > 1 else means[0]

    return mean


def minimum_by_newton(surface_grad, surface_hessian, guess) -> np.ndarray:
    """The stationary point near ``guess``, by Newton's method on the full-batch derivatives."""
    x = np.array(guess, dtype=np.float64)
    for _ in range(50):
        step = np.linalg.solve(surface_hessian(x), surface_grad(x))
        x = x - step
        if np.abs(step).max() <= 1e-15 * (1 + np.abs(x).max()):
            break
    return x


def data_surface(*, key, title, latex, data, example_loss, example_grad, example_hessian, guess,
                 f=None, df=None, d2f=None, **settings) -> DataSurface:
    """A ``DataSurface`` whose full-batch functions are the means of the per-example ones
    (unless given in closed form), with its minimum solved by Newton's method from ``guess``."""
    f = f or full_batch(example_loss, data)
    df = df or full_batch(example_grad, data)
    d2f = d2f or full_batch(example_hessian, data)
    draft = DataSurface(key=key, title=title, latex=latex, f=f, df=df, d2f=d2f, stationary_points=(),
                        data=data, example_loss=example_loss, example_grad=example_grad,
                        example_hessian=example_hessian, **settings)
    x = minimum_by_newton(draft.grad, draft.hessian, guess)
    point = StationaryPoint((float(x[0]), float(x[1])), "minimum", float(draft.value(x)))
    return DataSurface(key=key, title=title, latex=latex, f=f, df=df, d2f=d2f, stationary_points=(point,),
                       data=data, example_loss=example_loss, example_grad=example_grad,
                       example_hessian=example_hessian, **settings)


N_EXAMPLES = 256  # every data set: divisible by the batch sizes 1, 2, 4, …, 256, so epochs have no remainder


# --- moons: logistic regression on two noisy interleaved half circles -----------------------
def two_moons(n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points (n/2 per moon) and their labels ±1: the upper half circle (label −1) and
    the lower one shifted by (1, 0.5) (label +1), as scikit-learn's ``make_moons`` draws them
    (angles uniform here), plus Gaussian noise of standard deviation ``noise``."""
    rng = np.random.default_rng(seed)
    half = n // 2
    upper = rng.uniform(0.0, np.pi, half)
    lower = rng.uniform(0.0, np.pi, half)
    points = np.concatenate([np.stack([np.cos(upper), np.sin(upper)], axis=-1),
                             np.stack([1 - np.cos(lower), 0.5 - np.sin(lower)], axis=-1)])
    points = points + noise * rng.standard_normal(points.shape)
    return points, np.concatenate([-np.ones(half), np.ones(half)])


MOONS_POINTS, MOONS_LABELS = two_moons(N_EXAMPLES, noise=0.2, seed=20261203)
# The fixed part of the model: inputs centred on their mean and scaled to unit variance.
MOONS_CENTRE, MOONS_SCALE = MOONS_POINTS.mean(axis=0), MOONS_POINTS.std(axis=0)
MOONS_FEATURES = (MOONS_POINTS - MOONS_CENTRE) / MOONS_SCALE


def _moons_loss(w1, w2, z1, z2, y):
    return np.logaddexp(0.0, -y * (w1 * z1 + w2 * z2))  # log(1 + e^(−margin)), without overflow


def _moons_sigmoid(w1, w2, z1, z2, y):
    """σ(−margin) = 1/(1 + e^margin): the probability given to the wrong class."""
    with np.errstate(over="ignore"):  # e^margin = inf gives 0, the right limit
        return 1.0 / (1.0 + np.exp(y * (w1 * z1 + w2 * z2)))


def _moons_grad(w1, w2, z1, z2, y):
    coefficient = -y * _moons_sigmoid(w1, w2, z1, z2, y)
    return coefficient * z1, coefficient * z2


def _moons_hessian(w1, w2, z1, z2, y):
    s = _moons_sigmoid(w1, w2, z1, z2, y)
    weight = s * (1 - s)  # σ(m)·σ(−m)
    return weight * z1 * z1, weight * z1 * z2, weight * z2 * z2


MOONS = data_surface(
    key="moons",
    title="Logistic regression on noisy moons",
    latex=(r"f(w_1, w_2) = \frac{1}{N}\sum_{i=1}^{N} \log\left(1 + e^{-y_i (w_1 z_{i1} + w_2 z_{i2})}\right)"),
    data=(MOONS_FEATURES[:, 0].copy(), MOONS_FEATURES[:, 1].copy(), MOONS_LABELS),
    example_loss=_moons_loss, example_grad=_moons_grad, example_hessian=_moons_hessian,
    guess=(1.0, -2.5),
    bounds=((-4.0, 4.0), (-4.0, 4.0)),
    start=(-3.0, 3.0),
    steps=500,
    notes=(f"{N_EXAMPLES} points of two noisy moons (noise 0.2, numpy seed 20261203), labels y = ±1. "
           "The two parameters are the weights of the inputs z, which are the points centred on their "
           "mean and scaled to unit variance per coordinate (fixed); there is no bias (fixed at 0), so "
           "the decision boundary w·z = 0 is a line through the data's centre."),
)


# --- linear regression: slope and intercept on a noisy line --------------------------------
LINE_SLOPE, LINE_INTERCEPT, LINE_NOISE = 0.5, -1.0, 0.5
_line_rng = np.random.default_rng(20261204)
LINE_INPUTS = _line_rng.uniform(0.0, 3.0, N_EXAMPLES)
LINE_TARGETS = LINE_SLOPE * LINE_INPUTS + LINE_INTERCEPT + LINE_NOISE * _line_rng.standard_normal(N_EXAMPLES)


def _line_loss(w, b, a, y):
    residual = w * a + b - y
    return 0.5 * residual * residual


def _line_grad(w, b, a, y):
    residual = w * a + b - y
    return residual * a, residual


def _line_hessian(w, b, a, y):
    return a * a, a, np.ones_like(a)


LINEAR_REGRESSION = data_surface(
    key="linear_regression",
    title="Least-squares linear regression",
    latex=r"f(w, b) = \frac{1}{2N}\sum_{i=1}^{N} \left(w\,a_i + b - y_i\right)^2",
    data=(LINE_INPUTS, LINE_TARGETS),
    example_loss=_line_loss, example_grad=_line_grad, example_hessian=_line_hessian,
    guess=(LINE_SLOPE, LINE_INTERCEPT),
    bounds=((-2.0, 3.0), (-3.0, 2.0)),
    start=(-1.5, 1.5),
    steps=300,
    notes=(f"{N_EXAMPLES} points (a, y) with a uniform in [0, 3] and y = {LINE_SLOPE}·a {LINE_INTERCEPT:+} "
           f"plus Gaussian noise of standard deviation {LINE_NOISE} (numpy seed 20261204). The parameters "
           "are the slope w and the intercept b; inputs that are all positive make them correlated, "
           "so the loss is an ill-conditioned, tilted quadratic."),
)


# --- noisy quadratic: shifted copies of an ill-conditioned bowl -----------------------------
QUADRATIC_CURVATURE = (0.1, 2.0)  # H = diag(0.1, 2): the bowl's, condition number 20
QUADRATIC_SHIFT_SCALE = (2.0, 1.0)


def _shifts(n: int, scale, seed: int) -> np.ndarray:
    """``n`` shifts c_i whose mean and cross-moment are exactly 0 (mathematically): each draw
    (u1, u2) enters as (±u1, ±u2) with all four signs. Shape (n, 2)."""
    u = np.random.default_rng(seed).standard_normal((n // 4, 2)) * np.asarray(scale)
    signs = np.array([[1, 1], [-1, -1], [1, -1], [-1, 1]], dtype=np.float64)
    return (u[:, None, :] * signs).reshape(-1, 2)


QUADRATIC_SHIFTS = _shifts(N_EXAMPLES, QUADRATIC_SHIFT_SCALE, seed=20261205)
_h1, _h2 = QUADRATIC_CURVATURE
# f* = mean of ½ cᵀHc: the full-batch loss ½ xᵀHx + f*, since the shifts' mean is 0
QUADRATIC_MIN_VALUE = float((0.5 * (_h1 * QUADRATIC_SHIFTS[:, 0] ** 2 + _h2 * QUADRATIC_SHIFTS[:, 1] ** 2)).mean())


def _quadratic_loss(x1, x2, c1, c2):
    d1, d2 = x1 - c1, x2 - c2
    return 0.5 * (_h1 * d1 * d1 + _h2 * d2 * d2)


def _quadratic_grad(x1, x2, c1, c2):
    return _h1 * (x1 - c1), _h2 * (x2 - c2)


def _quadratic_hessian(x1, x2, c1, c2):
    return _h1, 0.0, _h2


NOISY_QUADRATIC = data_surface(
    key="noisy_quadratic",
    title="Noisy quadratic",
    latex=r"f(x) = \frac{1}{N}\sum_{i=1}^{N} \tfrac12 (x - c_i)^\top H (x - c_i),\quad H = \mathrm{diag}(0.1, 2)",
    data=(QUADRATIC_SHIFTS[:, 0].copy(), QUADRATIC_SHIFTS[:, 1].copy()),
    example_loss=_quadratic_loss, example_grad=_quadratic_grad, example_hessian=_quadratic_hessian,
    # In closed form, as the shifts have mean 0: ½ xᵀHx + f*, minimum f* at the origin.
    f=lambda x1, x2: 0.5 * (_h1 * x1 * x1 + _h2 * x2 * x2) + QUADRATIC_MIN_VALUE,
    df=lambda x1, x2: (_h1 * x1, _h2 * x2),
    d2f=lambda x1, x2: (_h1, 0.0, _h2),
    guess=(0.0, 0.0),
    bounds=((-10.0, 10.0), (-5.0, 5.0)),
    start=(-7.0, 2.0),
    steps=200,
    notes=(f"{N_EXAMPLES} copies of the ill-conditioned bowl x1²/20 + x2², each shifted by c_i: Gaussian "
           f"draws of standard deviations {QUADRATIC_SHIFT_SCALE} (numpy seed 20261205), each with all four "
           "sign combinations, so that the shifts' mean and cross-moment are exactly 0. The full-batch loss "
           "is the bowl plus a constant; a mini-batch gradient is H(x − c̄_B): the bowl's gradient plus noise "
           "that does not depend on x."),
)

DATA_SURFACES = (MOONS, LINEAR_REGRESSION, NOISY_QUADRATIC)
