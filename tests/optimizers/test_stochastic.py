"""Stochastic runs: the batch order, reproducibility, continuation, and the noise's statistics.

The statistical tests compare a measurement with a prediction within Z standard errors of
the measurement, the standard error estimated from the measurement's own independent
replicates (one per seed): the tolerance is computed, not tuned.
"""
import numpy as np
import pytest

from optimizers import OPTIMIZERS, SURFACES, make, noise, run, schedules
from optimizers import batches as batch_order
from optimizers.runner import NoisyState, advance

ALL = sorted(OPTIMIZERS)
DATA = ["moons", "linear_regression", "noisy_quadratic"]
N = 256
Z = 4.5  # standard errors: a false alarm about once in 150,000 comparisons
LR = {"sgd": 0.5, "momentum": 0.05, "nesterov": 0.05, "adagrad": 0.5, "rmsprop": 0.05, "adam": 0.1,
      "amsgrad": 0.1, "nadam": 0.1, "adadelta": 1.0, "lion": 0.05, "newton": 0.5}


def repeated(surface, reps):
    return np.broadcast_to(np.asarray(surface.start, dtype=np.float64), (reps, 2))


# --- the documented batch order, written again in plain Python integers ------------------------
def reference_batches(seed, n, size, count):
    """SplitMix64 + Fisher–Yates from the identity each epoch, ⌊n/size⌋ batches per epoch."""
    mask, state, out = 2**64 - 1, seed, []
    while len(out) < count:
        order = list(range(n))
        for i in range(n - 1, 0, -1):
            state = (state + 0x9E3779B97F4A7C15) & mask
            z = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & mask
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
            j = (z ^ (z >> 31)) % (i + 1)
            order[i], order[j] = order[j], order[i]
        out += [order[k * size:(k + 1) * size] for k in range(n // size)]
    return out[:count]


@pytest.mark.parametrize("n,size", [(10, 3), (256, 8), (7, 7), (5, 1)])
def test_batches_follow_the_documented_algorithm(n, size):
    seeds = np.array([0, 1, 2**63 + 12345, 2**64 - 1], dtype=np.uint64)
    count = 3 * (n // size) + 2  # across epoch boundaries
    index, stream = batch_order.take(batch_order.BatchStream(seeds, n, size, 0), count)
    assert index.shape == (count, 4, size) and stream.taken == count
    for r, seed in enumerate(seeds.tolist()):
        np.testing.assert_array_equal(index[:, r], reference_batches(seed, n, size, count))


def test_splitmix64_first_outputs_are_the_published_ones():
    # SplitMix64 from state 0 (Vigna's reference implementation): 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, …
    assert batch_order.numbers(np.uint64(0), 0, 3).tolist() == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4,
                                                                0x06C45D188009454F]


@pytest.mark.parametrize("size", [1, 8, 64, 100])
def test_without_replacement_each_epoch_uses_every_example_at_most_once(size):
    per_epoch = N // size
    index, _ = batch_order.take(batch_order.BatchStream(np.arange(3, dtype=np.uint64), N, size, 0), 3 * per_epoch)
    for epoch in range(3):
        for run_ in range(3):
            seen = index[epoch * per_epoch:(epoch + 1) * per_epoch, run_].ravel()
            assert len(np.unique(seen)) == len(seen) == per_epoch * size  # disjoint batches
            if N % size == 0:
                assert sorted(seen) == list(range(N))  # the whole data set, once
    # epochs are reshuffled: the second differs from the first
    assert not np.array_equal(index[:per_epoch, 0], index[per_epoch:2 * per_epoch, 0])


def test_taking_in_pieces_equals_taking_at_once():
    stream = batch_order.BatchStream(np.arange(4, dtype=np.uint64), N, 8, 0)
    whole, _ = batch_order.take(stream, 100)
    first, rest = batch_order.take(stream, 37)
    second, _ = batch_order.take(rest, 63)
    np.testing.assert_array_equal(np.concatenate([first, second]), whole)


# --- the runner ---------------------------------------------------------------------------------
@pytest.mark.parametrize("key", DATA)
@pytest.mark.parametrize("name", ALL)
def test_the_whole_data_set_as_a_batch_is_the_deterministic_run_bit_for_bit(name, key):
    surface = SURFACES[key]
    exact = run(make(name, lr=LR[name]), surface, repeated(surface, 3), 60)
    full = run(make(name, lr=LR[name]), surface, repeated(surface, 3), 60, batch_size=N, seed=np.arange(3))
    for a, b in zip(exact, full):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", ALL)
def test_a_seed_gives_the_same_bytes_and_repetitions_equal_single_runs(name):
    surface = SURFACES["moons"]
    opt = make(name, lr=LR[name])
    # from the minimum, where only the noise moves a run (far from it, Lion's sign steps ignore it)
    start = np.array(surface.stationary_points[0].location)
    batch = run(opt, surface, np.broadcast_to(start, (5, 2)), 70, batch_size=8, seed=np.arange(10, 15))
    again = run(opt, surface, np.broadcast_to(start, (5, 2)), 70, batch_size=8, seed=np.arange(10, 15))
    assert batch.points.tobytes() == again.points.tobytes() and batch.losses.tobytes() == again.losses.tobytes()
    for r in range(5):
        single = run(opt, surface, start, 70, batch_size=8, seed=10 + r)
        np.testing.assert_array_equal(batch.points[:, r], single.points)
        np.testing.assert_array_equal(batch.losses[:, r], single.losses)
    # different seeds, different runs (all five distinct)
    assert len({batch.points[:, r].tobytes() for r in range(5)}) == 5  # (Lion walks a lattice: whole paths)
    # and unlike the exact-gradient run
    assert not np.array_equal(batch.points[:, 0], run(opt, surface, start, 70).points)


@pytest.mark.parametrize("key", DATA)
@pytest.mark.parametrize("size", [3, 8, 64, 200])
def test_repetitions_equal_single_runs_for_every_batch_size(key, size):
    # numpy sums a strided axis in another order than a contiguous one: every batch size's
    # mean must be taken over contiguous terms, in a batch of runs as in a single one
    surface = SURFACES[key]
    batch = run(make("adam", lr=0.1), surface, repeated(surface, 6), 30, batch_size=size, seed=np.arange(6))
    for r in range(6):
        single = run(make("adam", lr=0.1), surface, surface.start, 30, batch_size=size, seed=r)
        np.testing.assert_array_equal(batch.points[:, r], single.points)


def test_a_shared_seed_gives_every_run_the_same_batches():
    surface = SURFACES["linear_regression"]
    x0 = np.array([[-1.5, 1.5], [2.0, -2.0]])
    shared = run(make("sgd", lr=0.3), surface, x0, 40, batch_size=4, seed=7)
    for r in range(2):
        np.testing.assert_array_equal(shared.points[:, r],
                                      run(make("sgd", lr=0.3), surface, x0[r], 40, batch_size=4, seed=7).points)


@pytest.mark.parametrize("key", DATA)
def test_sgd_steps_along_the_mini_batch_gradient_of_the_seeds_batches(key):
    surface = SURFACES[key]
    seeds = np.array([3, 4])
    traj = run(make("sgd", lr=0.2), surface, repeated(surface, 2), 5, batch_size=16, seed=seeds)
    index, _ = batch_order.take(batch_order.BatchStream(seeds.astype(np.uint64), N, 16, 0), 5)
    x = repeated(surface, 2)
    for t in range(5):
        x = x - 0.2 * surface.grad(x, index[t])
        np.testing.assert_array_equal(traj.points[t + 1], x)
    np.testing.assert_array_equal(traj.losses, surface.value(traj.points))  # losses: the full batch's


def test_newton_under_noise_uses_the_mini_batch_hessian():
    surface = SURFACES["moons"]
    index, _ = batch_order.take(batch_order.BatchStream(np.uint64(9), N, 8, 0), 1)
    traj = run(make("newton", lr=1.0), surface, surface.start, 1, batch_size=8, seed=9)
    x = np.array(surface.start)
    expected = x - np.linalg.solve(surface.hessian(x, index[0]), surface.grad(x, index[0]))
    np.testing.assert_allclose(traj.points[1], expected, rtol=1e-12)
    # which is not the full-batch Newton step
    assert not np.allclose(traj.points[1], run(make("newton", lr=1.0), surface, surface.start, 1).points[1])


@pytest.mark.parametrize("name", ["sgd", "adam", "newton"])
def test_a_continued_stochastic_run_continues_its_batches(name):
    surface = SURFACES["linear_regression"]
    opt = make(name, lr=LR[name])
    x0, seeds = repeated(surface, 3), np.array([1, 2, 3])
    whole = run(opt, surface, x0, 90, batch_size=8, seed=seeds)  # 32 batches per epoch: three epochs
    first, state = advance(opt, surface, x0, 45, batch_size=8, seed=seeds)
    assert isinstance(state, NoisyState) and state.batches.taken == 45
    second, state = advance(opt, surface, first.points[-1], 45, state)
    np.testing.assert_array_equal(np.concatenate([first.points, second.points[1:]]), whole.points)
    with pytest.raises(ValueError, match="batch_size=4"):
        advance(opt, surface, second.points[-1], 5, state, batch_size=4)


def test_a_schedule_under_noise_shrinks_the_noise_ball():
    surface = SURFACES["noisy_quadratic"]
    x0 = np.zeros((64, 2))
    constant = run(make("sgd", lr=0.5), surface, x0, 400, batch_size=1, seed=np.arange(64))
    decayed = run(make("sgd", lr=schedules.inverse_time(0.5, 20)), surface, x0, 400, batch_size=1, seed=np.arange(64))
    spread = lambda traj: np.mean(traj.points[-50:] ** 2, axis=(0, 1))  # noqa: E731
    assert (spread(decayed) < 0.3 * spread(constant)).all()


@pytest.mark.parametrize("kwargs,message", [
    ({"batch_size": 0}, "batch_size=0"), ({"batch_size": 257}, "batch_size=257"),
    ({"batch_size": 2.5}, "batch_size=2.5"), ({"batch_size": True}, "batch_size=True"),
    ({"batch_size": 8, "seed": -1}, "seed=-1"), ({"batch_size": 8, "seed": 1.5}, "seed=1.5"),
    ({"batch_size": 8, "seed": np.arange(3)}, "seed has shape (3,)"),
])
def test_invalid_batch_sizes_and_seeds_are_refused(kwargs, message):
    with pytest.raises(ValueError) as info:
        run(make("sgd"), SURFACES["moons"], np.zeros((2, 2)), 3, **kwargs)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_a_batch_size_needs_a_data_set():
    with pytest.raises(ValueError, match="rosenbrock"):
        run(make("sgd"), SURFACES["rosenbrock"], (0.0, 0.0), 3, batch_size=8)


# --- the statistics of the noise ---------------------------------------------------------------
@pytest.mark.parametrize("key", ["moons", "linear_regression"])
def test_first_batches_of_many_seeds_are_unbiased_with_the_predicted_variance(key):
    # One batch per seed: independent draws. Their mean is the full gradient and their variance
    # S·(N − B)/(B(N − 1)), within Z standard errors computed from the draws themselves.
    surface, seeds = SURFACES[key], 6000
    x = np.asarray(surface.start, dtype=np.float64)
    full = surface.grad(x)
    spread = np.diag(noise.example_gradient_covariance(surface, x))
    for size in (1, 4, 16, 64, 128, 255):
        index, _ = batch_order.take(batch_order.BatchStream(np.arange(seeds, dtype=np.uint64), N, size, 0), 1)
        deviation = surface.grad(np.broadcast_to(x, (seeds, 2)), index[0]) - full
        mean, mean_error = deviation.mean(axis=0), deviation.std(axis=0, ddof=1) / np.sqrt(seeds)
        assert (np.abs(mean) <= Z * mean_error).all(), (size, mean, mean_error)
        squares = deviation * deviation
        variance, variance_error = squares.mean(axis=0), squares.std(axis=0, ddof=1) / np.sqrt(seeds)
        predicted = spread * noise.batch_variance_factor(N, size)
        assert (np.abs(variance - predicted) <= Z * variance_error).all(), (size, variance, predicted, variance_error)
        # with replacement (S/B) would be wrong by more than the error for large batches
        if size >= 64:
            assert (np.abs(variance - spread / size) > Z * variance_error).all()


@pytest.mark.parametrize("lr,size", [(0.2, 1), (0.2, 8), (0.5, 64), (0.9, 8), (0.95, 32)])
def test_sgd_stationary_spread_on_the_noisy_quadratic_is_the_closed_form(lr, size):
    surface, reps = SURFACES["noisy_quadratic"], 128
    per_epoch = N // size
    burn, length = per_epoch * -(-600 // per_epoch), per_epoch * -(-2400 // per_epoch)  # whole epochs
    traj = run(make("sgd", lr=lr), surface, np.zeros((reps, 2)), burn + length, batch_size=size,
               seed=np.arange(reps))
    per_run = np.mean(traj.points[burn + 1:] ** 2, axis=0)  # (reps, 2): each seed's time average of x_k²
    measured, error = per_run.mean(axis=0), per_run.std(axis=0, ddof=1) / np.sqrt(reps)
    curvature, shift_variance = noise.quadratic_constants(surface)
    predicted = noise.sgd_stationary_variance(curvature, shift_variance, lr, N, size)
    assert (np.abs(measured - predicted) <= Z * error).all(), (measured, predicted, error)
    # where an epoch is short against the slow coordinate's memory (1/(lr·0.1) steps), reshuffling
    # shrinks its spread well below the independent-batch (Lyapunov) value, measurably so
    lyapunov = noise.lyapunov_variance(curvature, shift_variance, lr, N, size)
    if per_epoch * lr * curvature[0] < 1:
        assert np.abs(measured[0] - lyapunov[0]) > Z * error[0]


def test_lyapunov_formula_solves_the_lyapunov_equation():
    # Σ = AΣA + η²H C_B H for A = I − ηH, H and C diagonal: check the closed form against a direct
    # solve of the 4 × 4 linear system vec(Σ) = (A ⊗ A) vec(Σ) + vec(Q).
    h, s2, lr, size = np.array([0.1, 2.0]), np.array([4.0, 1.5]), 0.7, 8
    A, Q = np.eye(2) - lr * np.diag(h), lr**2 * np.diag(h * s2 * h) * noise.batch_variance_factor(N, size)
    sigma = np.linalg.solve(np.eye(4) - np.kron(A, A), Q.ravel()).reshape(2, 2)
    np.testing.assert_allclose(np.diag(sigma), noise.lyapunov_variance(h, s2, lr, N, size), rtol=1e-12)
    # with one batch per epoch (B > N/2) consecutive batches are independent: the two formulas agree
    np.testing.assert_allclose(noise.sgd_stationary_variance(h, s2, lr, N, 200),
                               noise.lyapunov_variance(h, s2, lr, N, 200), rtol=1e-12)
