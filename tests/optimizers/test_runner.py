"""run(): shapes, purity, batch == loop, divergence as data, duck-typed surfaces."""
import math
import warnings

import numpy as np
import pytest

from optimizers import OPTIMIZERS, SURFACES, Trajectory, make, run

from _optref import Quadratic, ref_value

ALL = sorted(OPTIMIZERS)
BOWL = SURFACES["ill_conditioned_bowl"]

# A learning rate per optimizer that moves visibly on the surfaces used below.
LR = {"sgd": 0.01, "momentum": 0.01, "nesterov": 0.01, "adagrad": 0.3, "rmsprop": 0.05,
      "adam": 0.05, "amsgrad": 0.05, "nadam": 0.05, "adadelta": 1.0, "lion": 0.05, "newton": 0.5}


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def starts(surface, shape, seed=0):
    rng = np.random.default_rng(seed)
    (lo1, hi1), (lo2, hi2) = surface.bounds
    return np.stack([rng.uniform(lo1, hi1, shape), rng.uniform(lo2, hi2, shape)], axis=-1)


@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (2, 1, 3)])
def test_shapes_and_start(shape):
    x0 = starts(BOWL, shape)
    traj = run(make("adam", lr=0.1), BOWL, x0, 7)
    assert isinstance(traj, Trajectory)
    assert traj.points.shape == (8, *shape, 2)
    assert traj.losses.shape == (8, *shape)
    assert traj.diverged_at.shape == shape
    assert traj.points.dtype == np.float64 and traj.losses.dtype == np.float64
    assert np.issubdtype(traj.diverged_at.dtype, np.integer)
    np.testing.assert_array_equal(traj.points[0], x0)
    assert (traj.diverged_at == -1).all()
    # losses are the surface's values at the points (checked against the formula)
    np.testing.assert_allclose(traj.losses, ref_value(BOWL.key, traj.points), rtol=1e-13, atol=0)


@pytest.mark.parametrize("name", ["adam", "newton"])
def test_empty_batch(name):
    traj = run(make(name), BOWL, np.zeros((3, 0, 2)), 4)
    assert traj.points.shape == (5, 3, 0, 2) and traj.losses.shape == (5, 3, 0)
    assert traj.diverged_at.shape == (3, 0)


def test_zero_steps_and_plain_sequence_start():
    traj = run(make("sgd"), BOWL, [1.0, 2.0], 0)
    assert traj.points.shape == (1, 2)
    np.testing.assert_array_equal(traj.points[0], [1.0, 2.0])
    assert traj.losses[0] == pytest.approx(1 / 20 + 4)


@pytest.mark.parametrize("bad", [-1, 2.5, "3", float("nan"), float("inf"), None])
def test_invalid_steps_raise(bad):
    with pytest.raises(ValueError):
        run(make("sgd"), BOWL, (1.0, 2.0), bad)


@pytest.mark.parametrize("bad_shape", [(3,), (4, 3), ()])
def test_invalid_start_shape_raises(bad_shape):
    with pytest.raises(ValueError):
        run(make("sgd"), BOWL, np.zeros(bad_shape), 3)


def test_whole_float_steps_are_accepted():
    # run() documents "a whole number >= 0": 3.0 is one
    assert run(make("sgd"), BOWL, (1.0, 2.0), 3.0).points.shape == (4, 2)


@pytest.mark.parametrize("name", ALL)
def test_x0_not_modified_and_fresh_state_each_call(name):
    opt = make(name, lr=LR[name])
    x0 = starts(BOWL, (4,), seed=3)
    copy = x0.copy()
    first = run(opt, BOWL, x0, 25)
    np.testing.assert_array_equal(x0, copy)
    second = run(opt, BOWL, x0, 25)  # same optimizer object: no state carried over
    np.testing.assert_array_equal(first.points, second.points)
    np.testing.assert_array_equal(first.losses, second.losses)
    np.testing.assert_array_equal(first.diverged_at, second.diverged_at)
    assert not np.shares_memory(first.points, x0)


@pytest.mark.parametrize("surface_key", ["rosenbrock", "rastrigin", "himmelblau"])
@pytest.mark.parametrize("name", ALL)
def test_batch_equals_loop_exactly(name, surface_key):
    surface = SURFACES[surface_key]
    opt = make(name, lr=LR[name])
    x0 = starts(surface, (2, 3), seed=7)
    batch = run(opt, surface, x0, 40)
    for index in np.ndindex(2, 3):
        single = run(opt, surface, x0[index], 40)
        np.testing.assert_array_equal(batch.points[(slice(None), *index)], single.points)
        np.testing.assert_array_equal(batch.losses[(slice(None), *index)], single.losses)
        assert batch.diverged_at[index] == single.diverged_at


def test_batch_equals_loop_with_some_starts_diverging():
    # SGD lr = 0.6 on the bowl: x2 ← (1 − 1.2)·x2 converges; lr = 2 (below) diverges. Mix a start
    # that sits past the bound (diverged at step 0) into an ordinary batch.
    x0 = np.array([[-7.0, 2.0], [2e6, 0.0], [3.0, -4.0]])
    opt = make("sgd", lr=0.6)
    batch = run(opt, BOWL, x0, 20)
    for i in range(3):
        single = run(opt, BOWL, x0[i], 20)
        np.testing.assert_array_equal(batch.points[:, i], single.points)
        assert batch.diverged_at[i] == single.diverged_at
    assert batch.diverged_at.tolist() == [-1, 0, -1]
    np.testing.assert_array_equal(batch.points[:, 1], np.broadcast_to([2e6, 0.0], (21, 2)))


def test_divergence_step_is_the_analytic_one_and_points_freeze():
    # SGD lr = 2 on x1²/20 + x2²: x1 ← (1 − 2/10)·x1 = 0.8·x1, x2 ← (1 − 2·2)·x2 = −3·x2.
    # From (−7, 2): |x| ≈ 2·3^t. 2·3^11 = 354294 < 1e6 < 2·3^12 = 1062882, so step 12 leaves.
    first_out = math.ceil(math.log(1e6 / 2) / math.log(3))
    assert first_out == 12
    traj = run(make("sgd", lr=2.0), BOWL, BOWL.start, 30)
    assert traj.diverged_at == first_out
    t = np.arange(first_out)
    np.testing.assert_allclose(traj.points[:first_out, 0], -7 * 0.8**t, rtol=1e-12)
    np.testing.assert_allclose(traj.points[:first_out, 1], 2 * (-3.0) ** t, rtol=1e-12)
    # frozen at the last good point, x_11 = (−7·0.8^11, 2·(−3)^11)
    np.testing.assert_array_equal(traj.points[first_out:], np.broadcast_to(traj.points[first_out - 1], (19, 2)))
    assert traj.points[first_out - 1, 1] == pytest.approx(2 * (-3.0) ** 11)
    assert np.isfinite(traj.losses).all()
    assert (np.linalg.norm(traj.points, axis=-1) <= 1e6).all()


def test_overflow_is_recorded_without_warnings():
    # lr = 1e308: the first step is 1e308·g0 with g0 = (−0.7, 4), and 4e308 overflows to −inf.
    traj = run(make("sgd", lr=1e308), BOWL, BOWL.start, 5)
    assert traj.diverged_at == 1
    np.testing.assert_array_equal(traj.points, np.broadcast_to(BOWL.start, (6, 2)))
    assert np.isfinite(traj.losses).all()


@pytest.mark.parametrize("name", ALL)
def test_every_optimizer_diverges_quietly(name):
    # Large steps on Rosenbrock overflow (x³ terms) for the plain first-order methods; whatever
    # happens, nothing warns, losses stay finite and diverged points stay frozen.
    surface = SURFACES["rosenbrock"]
    opt = make(name, lr=1e3 if name != "newton" else 1.0)
    traj = run(opt, surface, starts(surface, (16,), seed=11), 30)
    assert np.isfinite(traj.points).all() and np.isfinite(traj.losses).all()
    assert (np.linalg.norm(traj.points, axis=-1) <= 1e6).all()
    if name == "sgd":  # 1e3·400·x1³ throws every start far out on step 1 or 2
        assert (traj.diverged_at >= 1).all()
    for i in np.flatnonzero(traj.diverged_at >= 0):
        d = traj.diverged_at[i]
        assert d >= 1
        np.testing.assert_array_equal(traj.points[d:, i], np.broadcast_to(traj.points[d - 1, i], traj.points[d:, i].shape))


class _Cliff:
    """A duck-typed surface (no attributes beyond value/grad/hessian): f = −x1, g = (−1, 0), H = 0;
    the gradient turns non-finite once x1 >= 1 (``bad`` is inf or nan there)."""

    def __init__(self, bad):
        self.bad = bad

    def value(self, x):
        return -np.asarray(x)[..., 0]

    def grad(self, x):
        x = np.asarray(x)
        g1 = np.where(x[..., 0] >= 1.0, self.bad, -1.0)
        return np.stack([g1, np.zeros_like(g1)], axis=-1)

    def hessian(self, x):
        return np.zeros((*np.shape(x)[:-1], 2, 2))


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
@pytest.mark.parametrize("name", ["sgd", "adam", "momentum"])
def test_non_finite_gradient_is_recorded(name, bad):
    # lr = 0.25 (first step of each of these moves x1 by +0.25): x1 = 0, 0.25, …; with SGD x1 = 1 at
    # step 4, whose gradient is non-finite, so step 5 is the first non-finite point.
    opt = make(name, lr=0.25)
    traj = run(opt, _Cliff(bad), np.array([[0.0, 0.0], [-100.0, 0.0]]), 12)
    assert np.isfinite(traj.points).all() and np.isfinite(traj.losses).all()
    d = traj.diverged_at[0]
    assert d >= 1
    assert traj.points[d - 1, 0, 0] >= 1.0  # the last good point is where the gradient went bad
    assert (traj.points[: d - 1, 0, 0] < 1.0).all()
    np.testing.assert_array_equal(traj.points[d:, 0], np.broadcast_to(traj.points[d - 1, 0], (13 - d, 2)))
    assert traj.diverged_at[1] == -1  # the other start is unaffected
    if name == "sgd":
        assert d == 5
        np.testing.assert_array_equal(traj.points[:5, 0, 0], [0.0, 0.25, 0.5, 0.75, 1.0])


def test_duck_typed_surface_with_newton():
    # f = x1² + x1·x2 + x2² as a plain object: Newton's first step lands on the minimum.
    traj = run(make("newton"), Quadratic(1.0, 1.0, 1.0), np.array([[1.0, 2.0], [-3.0, 5.0]]), 3)
    np.testing.assert_allclose(traj.points[1:], 0.0, atol=1e-14)
    np.testing.assert_allclose(traj.losses[1:], 0.0, atol=1e-26)
    assert traj.diverged_at.tolist() == [-1, -1]


def test_duck_typed_surface_with_its_own_divergence_bound():
    class Small(Quadratic):
        divergence_bound = 10.0

    # SGD lr = 1 on f = x1² + x2²: x ← (1 − 2)·x = −x ... use lr = 1.5: x ← −2·x. From (1, 0):
    # |x| = 1, 2, 4, 8, 16 -> step 4 leaves the bound of 10.
    traj = run(make("sgd", lr=1.5), Small(1.0, 1.0), (1.0, 0.0), 8)
    assert traj.diverged_at == 4
    np.testing.assert_array_equal(traj.points[4:], np.broadcast_to([-8.0, 0.0], (5, 2)))


@pytest.mark.parametrize("x0", [(1e200, 0.0), (-3e160, 2e170), (np.inf, 0.0), (np.nan, 1.0)])
def test_start_beyond_the_bound_is_diverged_at_step_0_without_warnings(x0):
    # |x0|² overflows for the first two: checking the start point must not warn either
    traj = run(make("adam"), BOWL, np.array([x0, [1.0, 1.0]]), 4)
    assert traj.diverged_at.tolist() == [0, -1]
    np.testing.assert_array_equal(traj.points[:, 0], np.broadcast_to(x0, (5, 2)))
