"""The registry of built-in test surfaces, ``SURFACES[key]``.

Adding a surface is one ``_register(Surface(...))`` entry here plus its test; the
objectives built from a data set (mini-batch gradients) are defined in
``optimizers.data_surfaces`` and registered at the end of this module.
Stationary points that have no closed form are refined from published
approximations with a few Newton steps on the analytic derivatives.
"""
from __future__ import annotations

import numpy as np

from .data_surfaces import DATA_SURFACES
from .surface import StationaryPoint, Surface

SURFACES: dict[str, Surface] = {}


def _register(surface: Surface) -> None:
    SURFACES[surface.key] = surface


def _refined(f, df, d2f, approx, kind) -> StationaryPoint:
    """The stationary point near ``approx``, polished by Newton's method."""
    x = np.array(approx, dtype=np.float64)
    for _ in range(20):
        g = np.array(df(*x))
        h11, h12, h22 = d2f(*x)
        x = x - np.linalg.solve([[h11, h12], [h12, h22]], g)
    return StationaryPoint((float(x[0]), float(x[1])), kind, float(f(*x)))


def _point(f, location, kind) -> StationaryPoint:
    return StationaryPoint(location, kind, float(f(*location)))


# --- cubic: the seed material's surface, unbounded below past its saddle --------------------
def _cubic(x1, x2):
    return x1**2 + x2**2 + x2 * x2 * x2 + x1 * x2


def _cubic_grad(x1, x2):
    return 2 * x1 + x2, 2 * x2 + 3 * x2**2 + x1


def _cubic_hess(x1, x2):
    return 2.0, 1.0, 2 + 6 * x2


_register(Surface(
    key="cubic",
    title="Cubic with a saddle",
    latex=r"f(x_1, x_2) = x_1^2 + x_2^2 + x_2^3 + x_1 x_2",
    f=_cubic, df=_cubic_grad, d2f=_cubic_hess,
    bounds=((-3.0, 3.0), (-3.0, 3.0)),
    start=(2.0, 3.0),
    steps=150,
    stationary_points=(
        _point(_cubic, (0.0, 0.0), "minimum"),
        _point(_cubic, (0.25, -0.5), "saddle"),
    ),
    unbounded_below=True,  # f → −∞ as x2 → −∞, past the saddle
))


# --- ill-conditioned bowl: condition number 20 --------------------------------------------
def _bowl(x1, x2):
    return x1**2 / 20 + x2**2


def _bowl_grad(x1, x2):
    return x1 / 10, 2 * x2


def _bowl_hess(x1, x2):
    return 0.1, 0.0, 2.0


_register(Surface(
    key="ill_conditioned_bowl",
    title="Ill-conditioned bowl",
    latex=r"f(x_1, x_2) = \frac{x_1^2}{20} + x_2^2",
    f=_bowl, df=_bowl_grad, d2f=_bowl_hess,
    bounds=((-10.0, 10.0), (-5.0, 5.0)),
    start=(-7.0, 2.0),
    steps=100,
    stationary_points=(_point(_bowl, (0.0, 0.0), "minimum"),),
))


# --- rotated bowl: the same bowl turned by 45°, its long axis along (1, 1) -----------------
# In the bowl's own coordinates u = (x1 + x2)/√2 (along the trough) and v = (x2 − x1)/√2
# (across it), f = u²/20 + v²: the eigenvalues 0.1 and 2 are the bowl's, with eigenvectors
# (1, 1)/√2 and (−1, 1)/√2. Expanded, f = 21/40·(x1² + x2²) − 19/20·x1·x2.
def _rotated_bowl(x1, x2):
    along, across = x1 + x2, x2 - x1  # √2·u and √2·v
    return along * along / 40 + across * across / 2


def _rotated_bowl_grad(x1, x2):
    return 1.05 * x1 - 0.95 * x2, 1.05 * x2 - 0.95 * x1


def _rotated_bowl_hess(x1, x2):
    return 1.05, -0.95, 1.05


_SQRT_HALF = 0.5**0.5

_register(Surface(
    key="rotated_bowl",
    title="Rotated bowl",
    latex=r"f(x_1, x_2) = \frac{(x_1 + x_2)^2}{40} + \frac{(x_2 - x_1)^2}{2}",
    f=_rotated_bowl, df=_rotated_bowl_grad, d2f=_rotated_bowl_hess,
    # Square, so that the diagonal trough fits: the plot holds the disc of radius 10 around
    # the minimum, hence any run that stays within 10 of it, however the bowl is turned.
    bounds=((-10.0, 10.0), (-10.0, 10.0)),
    # The bowl's start (−7, 2) turned by 45°: (−7·cos 45° − 2·sin 45°, −7·sin 45° + 2·cos 45°).
    start=(-9 * _SQRT_HALF, -5 * _SQRT_HALF),
    steps=100,
    stationary_points=(_point(_rotated_bowl, (0.0, 0.0), "minimum"),),
))


# --- saddle: the CS231n-style saddle of the seed material ---------------------------------
def _saddle(x1, x2):
    return -(x1**2) / 2 + x2**2


def _saddle_grad(x1, x2):
    return -x1, 2 * x2


def _saddle_hess(x1, x2):
    return -1.0, 0.0, 2.0


_register(Surface(
    key="saddle",
    title="Saddle point",
    latex=r"f(x_1, x_2) = -\frac{x_1^2}{2} + x_2^2",
    f=_saddle, df=_saddle_grad, d2f=_saddle_hess,
    bounds=((-1.0, 2.0), (-1.0, 1.0)),
    start=(1e-5, 0.5),
    steps=500,
    stationary_points=(_point(_saddle, (0.0, 0.0), "saddle"),),
    # Escaped once f <= -0.5, i.e. |x1| >= 1 on the valley floor x2 = 0.
    escape_loss=-0.5,
    unbounded_below=True,
))


# --- Rosenbrock's banana valley ------------------------------------------------------------
def _rosenbrock(x1, x2):
    return (1 - x1) ** 2 + 100 * (x2 - x1**2) ** 2


def _rosenbrock_grad(x1, x2):
    return -2 * (1 - x1) - 400 * x1 * (x2 - x1**2), 200 * (x2 - x1**2)


def _rosenbrock_hess(x1, x2):
    return 2 - 400 * x2 + 1200 * x1**2, -400 * x1, 200.0


_register(Surface(
    key="rosenbrock",
    title="Rosenbrock's valley",
    latex=r"f(x_1, x_2) = (1 - x_1)^2 + 100\,(x_2 - x_1^2)^2",
    f=_rosenbrock, df=_rosenbrock_grad, d2f=_rosenbrock_hess,
    bounds=((-2.0, 2.0), (-1.0, 3.0)),
    start=(-1.5, 2.0),
    steps=1000,
    stationary_points=(_point(_rosenbrock, (1.0, 1.0), "minimum"),),
))


# --- Beale: flat plateaus and a narrow curved valley ---------------------------------------
def _beale_terms(x1, x2):
    return 1.5 - x1 + x1 * x2, 2.25 - x1 + x1 * x2**2, 2.625 - x1 + x1 * x2 * x2 * x2


def _beale(x1, x2):
    a, b, c = _beale_terms(x1, x2)
    return a**2 + b**2 + c**2


def _beale_grad(x1, x2):
    a, b, c = _beale_terms(x1, x2)
    return (
        2 * a * (x2 - 1) + 2 * b * (x2**2 - 1) + 2 * c * (x2 * x2 * x2 - 1),
        2 * a * x1 + 4 * b * x1 * x2 + 6 * c * x1 * x2**2,
    )


def _beale_hess(x1, x2):
    a, b, c = _beale_terms(x1, x2)
    da1, db1, dc1 = x2 - 1, x2**2 - 1, x2 * x2 * x2 - 1  # ∂/∂x1 of the terms
    da2, db2, dc2 = x1, 2 * x1 * x2, 3 * x1 * x2**2  # ∂/∂x2 of the terms
    return (
        2 * (da1**2 + db1**2 + dc1**2),
        2 * (da1 * da2 + db1 * db2 + dc1 * dc2) + 2 * (a + 2 * b * x2 + 3 * c * x2**2),
        2 * (da2**2 + db2**2 + dc2**2) + 2 * (2 * b * x1 + 6 * c * x1 * x2),
    )


_register(Surface(
    key="beale",
    title="Beale's function",
    latex=(r"f(x_1, x_2) = (1.5 - x_1 + x_1 x_2)^2 + (2.25 - x_1 + x_1 x_2^2)^2"
           r" + (2.625 - x_1 + x_1 x_2^3)^2"),
    f=_beale, df=_beale_grad, d2f=_beale_hess,
    bounds=((-4.5, 4.5), (-4.5, 4.5)),
    start=(1.0, 1.5),
    steps=500,
    stationary_points=(
        _point(_beale, (3.0, 0.5), "minimum"),
        _point(_beale, (0.0, 1.0), "saddle"),
        _refined(_beale, _beale_grad, _beale_hess, (0.1005379, -2.6445136), "saddle"),
    ),
))


# --- Himmelblau: four minima of equal value --------------------------------------------------
def _himmelblau(x1, x2):
    return (x1**2 + x2 - 11) ** 2 + (x1 + x2**2 - 7) ** 2


def _himmelblau_grad(x1, x2):
    a, b = x1**2 + x2 - 11, x1 + x2**2 - 7
    return 4 * x1 * a + 2 * b, 2 * a + 4 * x2 * b


def _himmelblau_hess(x1, x2):
    return 12 * x1**2 + 4 * x2 - 42, 4 * (x1 + x2), 4 * x1 + 12 * x2**2 - 26


_HIMMELBLAU_POINTS = (  # Himmelblau (1972); approximate locations, refined below
    ((3.0, 2.0), "minimum"),
    ((-2.805118, 3.131312), "minimum"),
    ((-3.779310, -3.283186), "minimum"),
    ((3.584428, -1.848126), "minimum"),
    ((-0.270845, -0.923039), "maximum"),
    ((0.086677, 2.884254), "saddle"),
    ((-3.073026, -0.081353), "saddle"),
    ((3.385154, 0.073852), "saddle"),
    ((-0.127961, -1.953715), "saddle"),
)

_register(Surface(
    key="himmelblau",
    title="Himmelblau's function",
    latex=r"f(x_1, x_2) = (x_1^2 + x_2 - 11)^2 + (x_1 + x_2^2 - 7)^2",
    f=_himmelblau, df=_himmelblau_grad, d2f=_himmelblau_hess,
    bounds=((-5.0, 5.0), (-5.0, 5.0)),
    start=(-0.3, -0.9),
    steps=300,
    stationary_points=tuple(
        _refined(_himmelblau, _himmelblau_grad, _himmelblau_hess, location, kind)
        for location, kind in _HIMMELBLAU_POINTS
    ),
))


# --- Rastrigin: a bowl covered in local minima -----------------------------------------------
def _rastrigin(x1, x2):
    return 20 + x1**2 - 10 * np.cos(2 * np.pi * x1) + x2**2 - 10 * np.cos(2 * np.pi * x2)


def _rastrigin_grad(x1, x2):
    return 2 * x1 + 20 * np.pi * np.sin(2 * np.pi * x1), 2 * x2 + 20 * np.pi * np.sin(2 * np.pi * x2)


def _rastrigin_hess(x1, x2):
    return 2 + 40 * np.pi**2 * np.cos(2 * np.pi * x1), 0.0, 2 + 40 * np.pi**2 * np.cos(2 * np.pi * x2)


def _rastrigin_points(limit: float) -> tuple[StationaryPoint, ...]:
    """All stationary points in [−limit, limit]²: products of the 1-D ones.

    In 1-D, 2x + 20π·sin(2πx) = 0 has a minimum near every integer and a
    maximum near every half-integer; a 2-D point is a minimum where both
    coordinates are, a maximum where both are, and a saddle otherwise.
    """
    seeds = np.arange(-2 * np.floor(limit), 2 * np.floor(limit) + 1) / 2
    x = seeds.copy()
    for _ in range(30):  # Newton on the 1-D derivative, vectorised over all seeds
        x -= (2 * x + 20 * np.pi * np.sin(2 * np.pi * x)) / (2 + 40 * np.pi**2 * np.cos(2 * np.pi * x))
    is_min = seeds == np.round(seeds)
    points = []
    for i, j in np.ndindex(len(x), len(x)):
        kind = "minimum" if is_min[i] and is_min[j] else "maximum" if not (is_min[i] or is_min[j]) else "saddle"
        points.append(StationaryPoint((float(x[i]), float(x[j])), kind, float(_rastrigin(x[i], x[j]))))
    return tuple(points)


_register(Surface(
    key="rastrigin",
    title="Rastrigin's function",
    latex=r"f(x_1, x_2) = 20 + \sum_{i=1}^{2} \left(x_i^2 - 10 \cos 2\pi x_i\right)",
    f=_rastrigin, df=_rastrigin_grad, d2f=_rastrigin_hess,
    bounds=((-5.12, 5.12), (-5.12, 5.12)),
    start=(-4.2, 4.4),
    steps=300,
    stationary_points=_rastrigin_points(5.12),
))


# --- long valley: a reproduction of the first of Alec Radford's four animations --------------
# A nearly flat floor along x1 (slope → 0.05, a pseudo-Huber curve with its minimum at 0)
# between steep walls across it (curvature 2): a step size that the walls allow makes slow
# progress along the floor unless each coordinate is scaled by its own gradient history.
VALLEY_SLOPE = 0.05


def _long_valley(x1, x2):
    return VALLEY_SLOPE * (np.sqrt(1 + x1 * x1) - 1) + x2 * x2


def _long_valley_grad(x1, x2):
    return VALLEY_SLOPE * x1 / np.sqrt(1 + x1 * x1), 2 * x2


def _long_valley_hess(x1, x2):
    root = np.sqrt(1 + x1 * x1)
    return VALLEY_SLOPE / (root * root * root), 0.0, 2.0


_register(Surface(
    key="long_valley",
    title="Long valley",
    latex=r"f(x_1, x_2) = 0.05\left(\sqrt{1 + x_1^2} - 1\right) + x_2^2",
    f=_long_valley, df=_long_valley_grad, d2f=_long_valley_hess,
    bounds=((-2.0, 10.0), (-3.0, 3.0)),
    start=(9.0, 2.5),
    steps=300,
    stationary_points=(_point(_long_valley, (0.0, 0.0), "minimum"),),
    notes=("A reproduction of the first of Alec Radford's four animations (its formula was not "
           "published): a long, nearly flat valley floor (slope about 0.05) between steep walls."),
))


for _surface in DATA_SURFACES:
    _register(_surface)
