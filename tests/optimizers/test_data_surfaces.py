"""The objectives built from data: full-batch and mini-batch derivatives, minima, unbiasedness."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizers import SURFACES, Surface
from optimizers import batches as batch_order
from optimizers.data_surfaces import QUADRATIC_SHIFT_SCALE, two_moons

from _optref import fd_grad, fd_jacobian

KEYS = ["moons", "linear_regression", "noisy_quadratic"]
H, FD_RTOL = 1e-3, 1e-8  # five-point stencils, as for the analytic surfaces

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
derivative_settings = settings(max_examples=40, deadline=None)


# --- per-example losses, typed again from the formulas -----------------------------------------
def example_losses(key, x, data):
    """ℓ_i(x) for every example (last axis), for one point x."""
    w1, w2 = x
    if key == "moons":
        z1, z2, y = data
        return np.log1p(np.exp(-y * (w1 * z1 + w2 * z2)))
    if key == "linear_regression":
        a, y = data
        return (w1 * a + w2 - y) ** 2 / 2
    c1, c2 = data
    return (0.1 * (w1 - c1) ** 2 + 2.0 * (w2 - c2) ** 2) / 2


def reference_value(key, x, index=None):
    surface = SURFACES[key]
    data = surface.data if index is None else tuple(column[index] for column in surface.data)
    return float(np.mean(example_losses(key, np.asarray(x, dtype=np.float64), data)))


def in_bounds(surface, u1, u2):
    (lo1, hi1), (lo2, hi2) = surface.bounds
    return np.array([lo1 + u1 * (hi1 - lo1), lo2 + u2 * (hi2 - lo2)])


def test_each_is_a_surface_with_its_data():
    for key in KEYS:
        surface = SURFACES[key]
        assert isinstance(surface, Surface) and surface.key == key
        assert surface.n_examples == 256
        assert all(column.shape == (256,) and column.dtype == np.float64 for column in surface.data)
        assert surface.notes
        (lo1, hi1), (lo2, hi2) = surface.bounds
        assert lo1 <= surface.start[0] <= hi1 and lo2 <= surface.start[1] <= hi2
        assert isinstance(surface.steps, int) and surface.steps > 0


@pytest.mark.parametrize("key", KEYS)
@derivative_settings
@given(u1=unit, u2=unit)
def test_full_batch_value_gradient_and_hessian(key, u1, u2):
    surface = SURFACES[key]
    x = in_bounds(surface, u1, u2)
    assert surface.value(x) == pytest.approx(reference_value(key, x), rel=1e-12, abs=1e-12)
    g = surface.grad(x)
    fd = fd_grad(lambda p: np.array([reference_value(key, q) for q in p.reshape(-1, 2)]).reshape(p.shape[:-1]), x, H)
    np.testing.assert_allclose(g, fd, rtol=0, atol=FD_RTOL * (1 + np.abs(g).max() + surface.value(x)))
    hess = surface.hessian(x)
    assert hess[0, 1] == hess[1, 0]
    np.testing.assert_allclose(hess, fd_jacobian(surface.grad, x, H), rtol=0,
                               atol=FD_RTOL * (1 + np.abs(hess).max() + np.abs(g).max()))


@pytest.mark.parametrize("key", KEYS)
@derivative_settings
@given(u1=unit, u2=unit, seed=st.integers(0, 2**32), size=st.sampled_from([1, 3, 8, 64]))
def test_mini_batch_value_gradient_and_hessian(key, u1, u2, seed, size):
    surface = SURFACES[key]
    x = in_bounds(surface, u1, u2)
    index = np.random.default_rng(seed).choice(256, size, replace=False)
    value = surface.value(x, index)
    assert value == pytest.approx(reference_value(key, x, index), rel=1e-12, abs=1e-12)
    g = surface.grad(x, index)
    assert g.shape == (2,)
    fd = fd_grad(lambda p: np.array([reference_value(key, q, index) for q in p.reshape(-1, 2)]).reshape(p.shape[:-1]),
                 x, H)
    np.testing.assert_allclose(g, fd, rtol=0, atol=FD_RTOL * (1 + np.abs(g).max() + value))
    hess = surface.hessian(x, index)
    assert hess.shape == (2, 2) and hess[0, 1] == hess[1, 0]
    np.testing.assert_allclose(hess, fd_jacobian(lambda p: surface.grad(p, index), x, H), rtol=0,
                               atol=FD_RTOL * (1 + np.abs(hess).max() + np.abs(g).max()))


@pytest.mark.parametrize("key", KEYS)
def test_each_run_of_a_batch_uses_its_own_examples(key):
    surface = SURFACES[key]
    rng = np.random.default_rng(5)
    (lo1, hi1), (lo2, hi2) = surface.bounds
    x = np.stack([rng.uniform(lo1, hi1, (3, 4)), rng.uniform(lo2, hi2, (3, 4))], axis=-1)
    index = rng.integers(0, 256, (3, 4, 8))
    value, grad, hess = surface.value(x, index), surface.grad(x, index), surface.hessian(x, index)
    assert value.shape == (3, 4) and grad.shape == (3, 4, 2) and hess.shape == (3, 4, 2, 2)
    for i in np.ndindex(3, 4):
        assert value[i] == surface.value(x[i], index[i])
        np.testing.assert_array_equal(grad[i], surface.grad(x[i], index[i]))
        np.testing.assert_array_equal(hess[i], surface.hessian(x[i], index[i]))
    # one index set shared by the whole batch broadcasts
    np.testing.assert_array_equal(surface.grad(x, index[0, 0]), surface.grad(x, np.broadcast_to(index[0, 0], (3, 4, 8))))


@pytest.mark.parametrize("key", KEYS)
def test_the_whole_data_set_as_a_batch_is_the_full_batch(key):
    surface = SURFACES[key]
    x = np.array([surface.start, surface.stationary_points[0].location])
    everything = np.random.default_rng(1).permutation(256)
    np.testing.assert_allclose(surface.value(x, everything), surface.value(x), rtol=1e-13)
    np.testing.assert_allclose(surface.grad(x, everything), surface.grad(x), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(surface.hessian(x, everything), surface.hessian(x), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("key", KEYS)
def test_the_minimum_is_stationary_and_a_minimum(key):
    surface = SURFACES[key]
    (point,) = surface.stationary_points
    x = np.array(point.location)
    assert point.kind == "minimum"
    np.testing.assert_allclose(surface.grad(x), 0.0, atol=1e-14)
    assert (np.linalg.eigvalsh(surface.hessian(x)) > 0).all()
    assert point.value == pytest.approx(reference_value(key, x), rel=1e-12)
    assert surface.min_value == point.value
    # a strict minimum: lower than every point of a ring around it (the losses are convex)
    ring = x + 1e-3 * np.stack([np.cos(np.linspace(0, 2 * np.pi, 16)), np.sin(np.linspace(0, 2 * np.pi, 16))], -1)
    assert (surface.value(ring) > point.value).all()
    assert surface.inside(x)


def test_noisy_quadratic_is_the_bowl_plus_a_constant():
    surface, bowl = SURFACES["noisy_quadratic"], SURFACES["ill_conditioned_bowl"]
    c = np.stack(surface.data, axis=-1)
    # the shifts' mean and cross-moment are 0 (exactly, up to the rounding of the sums)
    np.testing.assert_allclose(c.mean(axis=0), 0.0, atol=1e-15)
    assert abs(np.mean(c[:, 0] * c[:, 1])) < 1e-15
    assert surface.stationary_points[0].location == (0.0, 0.0)
    constant = np.mean(0.5 * (0.1 * c[:, 0] ** 2 + 2.0 * c[:, 1] ** 2))
    assert surface.min_value == pytest.approx(constant, rel=1e-14)
    x = bowl.grid(7).reshape(-1, 2)
    np.testing.assert_allclose(surface.value(x), bowl.value(x) + constant, rtol=1e-14)
    np.testing.assert_allclose(surface.grad(x), bowl.grad(x), rtol=1e-15, atol=0)
    # the shifts' spread is about the stated scale (Gaussian draws, 64 of them)
    np.testing.assert_allclose(c.std(axis=0), QUADRATIC_SHIFT_SCALE, rtol=0.25)


def test_moons_data_is_the_seeded_generator_and_the_minimum_classifies_well():
    surface = SURFACES["moons"]
    points, labels = two_moons(256, noise=0.2, seed=20261203)
    features = (points - points.mean(axis=0)) / points.std(axis=0)
    np.testing.assert_array_equal(np.stack(surface.data[:2], -1), features)
    np.testing.assert_array_equal(surface.data[2], labels)
    w = np.array(surface.stationary_points[0].location)
    accuracy = np.mean(np.sign(features @ w) == labels)
    assert accuracy > 0.8  # a line through the centre separates most of the two moons
    assert 0.8 < np.mean(np.sign(features @ np.array(surface.start)) != labels)  # the start gets most wrong


def test_linear_regression_minimum_solves_the_normal_equations():
    surface = SURFACES["linear_regression"]
    a, y = surface.data
    design = np.stack([a, np.ones_like(a)], -1)
    solution = np.linalg.lstsq(design, y, rcond=None)[0]
    np.testing.assert_allclose(surface.stationary_points[0].location, solution, rtol=1e-12)


# --- unbiasedness: one epoch of mini-batches averages to the full gradient ---------------------
@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("size", [1, 8, 64])
def test_mini_batch_gradients_of_an_epoch_average_to_the_full_gradient(key, size):
    surface = SURFACES[key]
    per_epoch = 256 // size
    stream = batch_order.BatchStream(np.arange(5, dtype=np.uint64), 256, size, 0)
    index, _ = batch_order.take(stream, per_epoch)  # (per_epoch, 5 seeds, size)
    x = np.broadcast_to(surface.start, (5, 2))
    grads = np.array([surface.grad(x, index[k]) for k in range(per_epoch)])
    hessians = np.array([surface.hessian(x, index[k]) for k in range(per_epoch)])
    np.testing.assert_allclose(grads.mean(axis=0), surface.grad(x), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(hessians.mean(axis=0), surface.hessian(x), rtol=1e-12, atol=1e-14)
    if size < 256:  # and the batches do differ
        assert np.ptp(grads[:, 0, 0]) > 0
