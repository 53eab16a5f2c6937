"""The analytic surfaces: formulas, derivatives, stationary points, attributes, vectorisation.
(The objectives built from data: test_data_surfaces.py.)"""
import itertools
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizers import SURFACES, StationaryPoint, Surface

from _optref import REFERENCE_F, fd_grad, fd_hessian_of_value, fd_jacobian, ref_value, signature

KEYS = ["cubic", "ill_conditioned_bowl", "rotated_bowl", "saddle", "rosenbrock", "beale", "himmelblau",
        "rastrigin", "long_valley"]
DATA_KEYS = ["moons", "linear_regression", "noisy_quadratic"]

# Five-point stencil with h = 1e-3: truncation ~h⁴·f⁽⁵⁾/30 and rounding ~eps·|f|/h are both
# below 1e-9 of (1 + |g| + |f|) on every surface here; 1e-8 leaves a margin of ~30x.
H = 1e-3
FD_RTOL = 1e-8

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
derivative_settings = settings(max_examples=100, deadline=None)


def in_bounds(surface, u1, u2):
    (lo1, hi1), (lo2, hi2) = surface.bounds
    return np.array([lo1 + u1 * (hi1 - lo1), lo2 + u2 * (hi2 - lo2)])


def test_registry_holds_the_analytic_surfaces_and_the_data_sets():
    assert sorted(SURFACES) == sorted(KEYS + DATA_KEYS)
    for key, surface in SURFACES.items():
        assert surface.key == key


@pytest.mark.parametrize("key", KEYS)
@derivative_settings
@given(u1=unit, u2=unit)
def test_value_matches_the_formula(key, u1, u2):
    surface = SURFACES[key]
    x = in_bounds(surface, u1, u2)
    expected = ref_value(key, x)
    assert surface.value(x) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("key", KEYS)
@derivative_settings
@given(u1=unit, u2=unit)
def test_gradient_matches_finite_differences(key, u1, u2):
    surface = SURFACES[key]
    x = in_bounds(surface, u1, u2)
    g = surface.grad(x)
    assert g.shape == (2,)
    fd = fd_grad(lambda p: ref_value(key, p), x, H)
    scale = 1 + np.abs(g).max() + abs(ref_value(key, x))
    np.testing.assert_allclose(g, fd, rtol=0, atol=FD_RTOL * scale)


@pytest.mark.parametrize("key", KEYS)
@derivative_settings
@given(u1=unit, u2=unit)
def test_hessian_matches_finite_differences(key, u1, u2):
    surface = SURFACES[key]
    x = in_bounds(surface, u1, u2)
    hess = surface.hessian(x)
    assert hess.shape == (2, 2)
    assert hess[0, 1] == hess[1, 0]
    fd = fd_jacobian(surface.grad, x, H)  # the gradient itself is checked against values above
    scale = 1 + np.abs(hess).max() + np.abs(surface.grad(x)).max()
    np.testing.assert_allclose(hess, fd, rtol=0, atol=FD_RTOL * scale)


# --- stationary points ---------------------------------------------------------------------
def stationary(key):
    return [(key, i) for i in range(len(SURFACES[key].stationary_points))]


ALL_POINTS = [p for key in KEYS for p in stationary(key)]


@pytest.mark.parametrize("key", KEYS)
def test_stationary_points_are_well_formed(key):
    points = SURFACES[key].stationary_points
    assert len(points) >= 1
    for point in points:
        assert isinstance(point, StationaryPoint)
        assert point.kind in ("minimum", "saddle", "maximum")
        assert len(point.location) == 2


@pytest.mark.parametrize("key", KEYS)
def test_stationary_points_have_zero_gradient_and_the_stated_signature_and_value(key):
    surface = SURFACES[key]
    f = lambda p: ref_value(key, p)  # noqa: E731
    for point in surface.stationary_points:
        x = np.array(point.location, dtype=np.float64)
        # the analytic gradient and an independent finite-difference one both vanish
        np.testing.assert_allclose(surface.grad(x), 0.0, atol=1e-9)
        np.testing.assert_allclose(fd_grad(f, x, H), 0.0, atol=1e-7)
        # the Hessian's eigenvalue signs, from the library and from second differences of values
        assert signature(surface.hessian(x)) == point.kind, (key, point)
        assert signature(fd_hessian_of_value(f, x, 1e-4)) == point.kind, (key, point)
        eigenvalues = np.linalg.eigvalsh(surface.hessian(x))
        expected_signs = {"minimum": [1, 1], "maximum": [-1, -1], "saddle": [-1, 1]}[point.kind]
        assert list(np.sign(eigenvalues)) == expected_signs
        # the stated value is the value there
        assert point.value == pytest.approx(float(surface.value(x)), rel=1e-12, abs=1e-12)
        assert point.value == pytest.approx(float(f(x)), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("key", KEYS)
def test_stationary_points_lie_inside_the_plot_range_and_are_distinct(key):
    surface = SURFACES[key]
    (lo1, hi1), (lo2, hi2) = surface.bounds
    locations = np.array([p.location for p in surface.stationary_points])
    assert ((locations[:, 0] >= lo1) & (locations[:, 0] <= hi1)).all()
    assert ((locations[:, 1] >= lo2) & (locations[:, 1] <= hi2)).all()
    gaps = np.linalg.norm(locations[:, None] - locations[None], axis=-1) + np.eye(len(locations))
    assert gaps.min() > 0.1


def kinds(key):
    return sorted(p.kind for p in SURFACES[key].stationary_points)


def assert_listed(key, location, kind, tol):
    listed = [p for p in SURFACES[key].stationary_points
              if np.allclose(p.location, location, rtol=0, atol=tol)]
    assert len(listed) == 1, (key, location)
    assert listed[0].kind == kind, (key, location)


def test_cubic_stationary_points():
    # g = (2x1 + x2, 2x2 + 3x2² + x1) = 0  ->  x1 = −x2/2, x2(3/2 + 3x2) = 0: (0, 0) and (1/4, −1/2)
    assert kinds("cubic") == ["minimum", "saddle"]
    assert_listed("cubic", (0.0, 0.0), "minimum", 1e-12)
    assert_listed("cubic", (0.25, -0.5), "saddle", 1e-12)


def test_bowl_saddle_rosenbrock_stationary_points():
    assert kinds("ill_conditioned_bowl") == ["minimum"]
    assert_listed("ill_conditioned_bowl", (0.0, 0.0), "minimum", 0)
    assert kinds("saddle") == ["saddle"]
    assert_listed("saddle", (0.0, 0.0), "saddle", 0)
    assert kinds("rosenbrock") == ["minimum"]
    assert_listed("rosenbrock", (1.0, 1.0), "minimum", 0)
    assert SURFACES["rosenbrock"].stationary_points[0].value == 0.0


ROTATION = np.array([[1.0, -1.0], [1.0, 1.0]]) * np.sqrt(0.5)  # by 45°, counter-clockwise


@derivative_settings
@given(u1=unit, u2=unit)
def test_rotated_bowl_is_the_bowl_turned_by_45_degrees(u1, u2):
    bowl, rotated = SURFACES["ill_conditioned_bowl"], SURFACES["rotated_bowl"]
    y = in_bounds(bowl, u1, u2)  # a point of the bowl's plot, in the bowl's coordinates
    x = ROTATION @ y
    assert rotated.value(x) == pytest.approx(ref_value("ill_conditioned_bowl", y), rel=1e-12, abs=1e-12)
    # gradients turn with the plane: ∇f_rot(Ry) = R ∇f_bowl(y)
    np.testing.assert_allclose(rotated.grad(x), ROTATION @ bowl.grad(y), rtol=0, atol=1e-12)


def test_rotated_bowl_has_the_bowls_eigenvalues_along_the_diagonals():
    hess = SURFACES["rotated_bowl"].hessian(np.zeros(2))
    # the bowl's curvatures 1/10 (along the trough) and 2 (across), condition number 20
    along, across = np.array([1.0, 1.0]) * np.sqrt(0.5), np.array([-1.0, 1.0]) * np.sqrt(0.5)
    np.testing.assert_allclose(hess @ along, 0.1 * along, rtol=0, atol=1e-15)
    np.testing.assert_allclose(hess @ across, 2.0 * across, rtol=0, atol=1e-15)
    assert not np.allclose(np.diag(np.diag(hess)), hess)  # not axis-aligned: the point of the surface
    assert kinds("rotated_bowl") == ["minimum"]
    assert_listed("rotated_bowl", (0.0, 0.0), "minimum", 0)
    assert SURFACES["rotated_bowl"].min_value == 0.0
    # its start is the bowl's start turned by 45°, so both runs start at the same loss
    start = ROTATION @ np.array(SURFACES["ill_conditioned_bowl"].start)
    np.testing.assert_allclose(SURFACES["rotated_bowl"].start, start, rtol=0, atol=1e-15)


def test_beale_matches_the_literature():
    assert kinds("beale") == ["minimum", "saddle", "saddle"]
    assert_listed("beale", (3.0, 0.5), "minimum", 1e-12)
    assert_listed("beale", (0.0, 1.0), "saddle", 1e-12)
    assert_listed("beale", (0.1005, -2.6445), "saddle", 1e-4)  # the contract gives 4 decimals
    assert SURFACES["beale"].min_value == pytest.approx(0.0, abs=1e-20)


HIMMELBLAU = [
    ((3.0, 2.0), "minimum"),
    ((-2.805118, 3.131312), "minimum"),
    ((-3.779310, -3.283186), "minimum"),
    ((3.584428, -1.848126), "minimum"),
    ((-0.270845, -0.923039), "maximum"),
    # the four saddles (Himmelblau 1972)
    ((0.086677, 2.884254), "saddle"),
    ((-3.073026, -0.081353), "saddle"),
    ((3.385154, 0.073852), "saddle"),
    ((-0.127961, -1.953715), "saddle"),
]


def test_himmelblau_matches_the_literature():
    assert kinds("himmelblau") == sorted(kind for _, kind in HIMMELBLAU)
    for location, kind in HIMMELBLAU:
        assert_listed("himmelblau", location, kind, 1e-5)
    for point in SURFACES["himmelblau"].stationary_points:
        if point.kind == "minimum":
            assert point.value == pytest.approx(0.0, abs=1e-20)
    # f(−0.270845, −0.923039) = 181.617 (the local maximum's value, rounded)
    maximum = [p for p in SURFACES["himmelblau"].stationary_points if p.kind == "maximum"][0]
    assert maximum.value == pytest.approx(181.617, abs=1e-3)


def test_rastrigin_has_121_minima_with_the_global_one_at_the_origin():
    surface = SURFACES["rastrigin"]
    minima = [p for p in surface.stationary_points if p.kind == "minimum"]
    assert len(minima) == 121
    locations = np.array([p.location for p in minima])
    # one near every integer point of [−5, 5]² (the 1-D minima sit within 0.03 of the integers:
    # 2x + 20π·sin(2πx) = 0 near x = n gives x ≈ n·(1 − 2/(2 + 40π²)))
    nearest_integer = np.round(locations)
    assert np.abs(locations - nearest_integer).max() < 0.03
    assert {tuple(p) for p in nearest_integer.astype(int)} == set(itertools.product(range(-5, 6), repeat=2))
    values = np.array([p.value for p in minima])
    best = int(np.argmin(values))
    assert locations[best].tolist() == [0.0, 0.0]
    assert values[best] == 0.0
    assert np.sort(values)[1] > 0.9  # every other minimum is clearly higher (≈ 0.995 at (±1, 0))
    assert surface.min_value == 0.0


# --- attributes ---------------------------------------------------------------------------
CONTRACT = {
    "cubic": (((-3, 3), (-3, 3)), (2, 3), 150),
    "ill_conditioned_bowl": (((-10, 10), (-5, 5)), (-7, 2), 100),
    # the bowl's start (−7, 2) turned by 45° (cos 45° = sin 45° = √½): (−9√½, −5√½)
    "rotated_bowl": (((-10, 10), (-10, 10)), (-9 * np.sqrt(0.5), -5 * np.sqrt(0.5)), 100),
    "saddle": (((-1, 2), (-1, 1)), (1e-5, 0.5), 500),
}


@pytest.mark.parametrize("key", list(CONTRACT))
def test_contract_table_attributes(key):
    surface = SURFACES[key]
    bounds, start, steps = CONTRACT[key]
    assert tuple(map(tuple, surface.bounds)) == bounds
    assert tuple(surface.start) == start
    assert surface.steps == steps


def test_rastrigin_bounds():
    assert tuple(map(tuple, SURFACES["rastrigin"].bounds)) == ((-5.12, 5.12), (-5.12, 5.12))


@pytest.mark.parametrize("key", KEYS)
def test_common_attributes(key):
    surface = SURFACES[key]
    assert isinstance(surface, Surface)
    assert isinstance(surface.title, str) and surface.title
    assert isinstance(surface.latex, str) and surface.latex
    assert surface.divergence_bound == 1e6
    (lo1, hi1), (lo2, hi2) = surface.bounds
    assert lo1 < hi1 and lo2 < hi2
    assert lo1 <= surface.start[0] <= hi1 and lo2 <= surface.start[1] <= hi2
    assert isinstance(surface.steps, int) and surface.steps > 0


# --- vectorisation ----------------------------------------------------------------------------
@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("shape", [(), (1,), (7,), (3, 4), (2, 1, 3)])
def test_batched_calls_equal_pointwise_calls(key, shape):
    surface = SURFACES[key]
    rng = np.random.default_rng(zlib.crc32(f"{key}{shape}".encode()))
    (lo1, hi1), (lo2, hi2) = surface.bounds
    x = np.stack([rng.uniform(lo1, hi1, shape), rng.uniform(lo2, hi2, shape)], axis=-1)
    value, grad, hess = surface.value(x), surface.grad(x), surface.hessian(x)
    assert value.shape == shape and grad.shape == (*shape, 2) and hess.shape == (*shape, 2, 2)
    for dtype in (value, grad, hess):
        assert dtype.dtype == np.float64
    for index in np.ndindex(*shape):
        point = x[index]
        assert value[index] == surface.value(point)
        np.testing.assert_array_equal(grad[index], surface.grad(point))
        np.testing.assert_array_equal(hess[index], surface.hessian(point))
        # and each point's value is the formula's (as a plain-Python list too)
        assert surface.value(point.tolist()) == pytest.approx(REFERENCE_F[key](*point), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("key", KEYS)
def test_empty_batch(key):
    surface = SURFACES[key]
    x = np.zeros((0, 2))
    assert surface.value(x).shape == (0,)
    assert surface.grad(x).shape == (0, 2)
    assert surface.hessian(x).shape == (0, 2, 2)


def test_long_valley_is_a_nearly_flat_floor_between_steep_walls():
    surface = SURFACES["long_valley"]
    assert kinds("long_valley") == ["minimum"]
    assert_listed("long_valley", (0.0, 0.0), "minimum", 0)
    floor = np.stack([np.linspace(-2, 10, 121), np.zeros(121)], -1)
    slopes = surface.grad(floor)[:, 0]
    # the floor's slope 0.05·x1/√(1 + x1²) never exceeds 0.05 and nears it far out
    assert (np.abs(slopes) < 0.05).all() and slopes[-1] > 0.049
    hess = surface.hessian(floor)
    assert (hess[:, 1, 1] == 2.0).all() and (hess[:, 0, 0] <= 0.05).all()  # walls ≥ 40× steeper
    # the start sits on a wall, far along the valley
    assert surface.grad(surface.start)[1] > 50 * surface.grad(surface.start)[0]
    assert "reproduction" in surface.notes


def test_long_valley_rewards_per_coordinate_scaling():
    # With the rates that suit the bowl's walls, a step that divides each coordinate by its own
    # gradient size crosses the floor far sooner than gradient descent, with or without momentum.
    from optimizers import evaluate, make, run
    surface = SURFACES["long_valley"]
    settings = {"sgd": {"lr": 0.95}, "momentum": {"lr": 0.1, "momentum": 0.9},
                "adagrad": {"lr": 1.5, "eps": 1e-7}, "adam": {"lr": 0.3, "beta1": 0.9, "beta2": 0.99, "eps": 1e-7}}
    arrival = {name: int(evaluate(run(make(name, **hp), surface, surface.start, surface.steps), surface).steps_to_target)
               for name, hp in settings.items()}
    assert all(steps > 0 for steps in arrival.values()), arrival
    assert max(arrival["adagrad"], arrival["adam"]) * 2 < min(arrival["sgd"], arrival["momentum"]), arrival
