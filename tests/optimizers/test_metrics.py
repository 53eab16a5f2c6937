"""Metrics and hyperparameter search on hand-made trajectories and closed-form runs."""
import math

import numpy as np
import pytest

from optimizers import SURFACES, Trajectory, evaluate, grid_search, lr_sweep, make, run, score, stationary_kind
from optimizers.metrics import steps_to_tolerance

from _optref import ref_value

BOWL = SURFACES["ill_conditioned_bowl"]
HIMMELBLAU = SURFACES["himmelblau"]


def trajectory(surface, points, diverged_at=-1):
    """A hand-made Trajectory: points (T, ..., 2), losses from the contract's formula."""
    points = np.asarray(points, dtype=np.float64)
    diverged = np.full(points.shape[1:-1], diverged_at)
    return Trajectory(points, ref_value(surface.key, points), diverged)


# --- steps_to_tolerance ------------------------------------------------------------------------
@pytest.mark.parametrize("gaps,expected", [
    ([5, 3, 0.5, 0.2, 0.1], 2),  # reaches at 2 and stays
    ([5, 0.5, 2, 0.5, 0.1], 3),  # reaches at 1, leaves at 2, back for good at 3
    ([5, 0.5, 0.2, 2], -1),  # reaches, then leaves at the end
    ([5, 4, 3, 2], -1),  # never
    ([0.1, 0.2, 0.3], 0),  # there from the start
    ([2, 1.0, 1.0], 1),  # the tolerance itself counts as within
    ([1.5], -1),
])
def test_steps_to_tolerance(gaps, expected):
    assert steps_to_tolerance(np.array(gaps, dtype=float), 1.0) == expected


def test_steps_to_tolerance_is_per_column():
    gaps = np.array([[5, 5, 0.0], [0.5, 5, 0.0], [0.5, 0.5, 2.0]])  # (T=3, batch=3)
    assert steps_to_tolerance(gaps, 1.0).tolist() == [1, 2, -1]


def test_steps_to_tolerance_nan_is_not_within():
    assert steps_to_tolerance(np.array([0.5, np.nan, 0.5]), 1.0) == 2


# --- path length, efficiency, oscillation ----------------------------------------------------
def test_l_shaped_path():
    m = evaluate(trajectory(BOWL, [[0, 0], [1, 0], [1, 1]]), BOWL)
    assert m.path_length == pytest.approx(2.0)
    assert m.path_efficiency == pytest.approx(math.sqrt(2) / 2)


def test_straight_path_and_standing_still():
    m = evaluate(trajectory(BOWL, [[0, 0], [1, 1], [2, 2], [3, 3]]), BOWL)
    assert m.path_length == pytest.approx(3 * math.sqrt(2))
    assert m.path_efficiency == pytest.approx(1.0)
    assert m.oscillation == 0.0
    still = evaluate(trajectory(BOWL, [[1, 2]] * 4), BOWL)
    assert still.path_length == 0.0
    assert still.path_efficiency == 1.0  # by convention: nothing wasted
    assert still.oscillation == 0.0


def test_there_and_back_path_has_zero_efficiency():
    m = evaluate(trajectory(BOWL, [[0, 0], [3, 4], [0, 0]]), BOWL)
    assert m.path_length == pytest.approx(10.0)
    assert m.path_efficiency == pytest.approx(0.0)


def test_oscillation_zig_zag_vs_straight():
    # x1 always increases (0 reversals in 3 successive pairs); x2 flips every step (3 of 3):
    # the mean over the two coordinates is (0 + 1)/2.
    zig = evaluate(trajectory(BOWL, [[0, 0], [1, 1], [2, 0], [3, 1], [4, 0]]), BOWL)
    assert zig.oscillation == pytest.approx(0.5)
    # both coordinates flip every step
    back_and_forth = evaluate(trajectory(BOWL, [[0, 0], [1, 1], [0, 0], [1, 1]]), BOWL)
    assert back_and_forth.oscillation == pytest.approx(1.0)
    straight = evaluate(trajectory(BOWL, [[0, 0], [1, 0.5], [2, 1], [3, 1.5], [4, 2]]), BOWL)
    assert straight.oscillation == 0.0
    assert straight.oscillation < zig.oscillation < back_and_forth.oscillation


def test_oscillation_a_pause_is_not_a_reversal():
    # x2 moves +, +, then stands still: one moving pair (+, +), no reversal; x1 never reverses
    m = evaluate(trajectory(BOWL, [[0, 0], [1, 1], [2, 2], [3, 2]]), BOWL)
    assert m.oscillation == 0.0


def test_oscillation_ignores_settling_jitter():
    # a straight approach, then 20 reversals of 4e-7-long steps at the end (AdaGrad settling
    # on Himmelblau): below 1e-3 of the path's extent (5·√2), so no oscillation at all
    path = [[0, 0], [1, 1], [2, 2], [3, 3], [4, 4], [5, 5]] + [[5 + 4e-7 * (k % 2)] * 2 for k in range(1, 21)]
    assert evaluate(trajectory(BOWL, path), BOWL).oscillation == 0.0
    # the same reversals at the scale of the path do count: 19 of 20 significant pairs
    path = [[0, 0], [1, 1]] + [[1 + 0.5 * (k % 2)] * 2 for k in range(1, 21)]
    assert evaluate(trajectory(BOWL, path), BOWL).oscillation == pytest.approx(19 / 20)


def test_sgd_oscillation_on_the_bowl():
    # lr = 0.9: x2 ← (1 − 1.8)·x2 = −0.8·x2 flips sign every step, x1 ← 0.91·x1 never does.
    m = evaluate(run(make("sgd", lr=0.9), BOWL, BOWL.start, 30), BOWL)
    assert m.oscillation == pytest.approx(0.5)
    # lr = 0.3: both factors (0.97, 0.4) positive: no reversal at all
    m = evaluate(run(make("sgd", lr=0.3), BOWL, BOWL.start, 30), BOWL)
    assert m.oscillation == 0.0


def test_metrics_are_vectorised():
    points = np.array([[[0, 0], [0, 0]], [[1, 0], [3, 4]], [[1, 1], [0, 0]]])  # (T=3, batch=2, 2)
    m = evaluate(trajectory(BOWL, points), BOWL)
    np.testing.assert_allclose(m.path_length, [2.0, 10.0])
    np.testing.assert_allclose(m.path_efficiency, [math.sqrt(2) / 2, 0.0], atol=1e-15)
    for field in (*m[:-1], *m.outcome[:-2]):  # the outcome's budget and horizon are scalars
        assert np.shape(field) == (2,)


# --- stationary kinds ---------------------------------------------------------------------------
@pytest.mark.parametrize("location,expected", [
    ((3.0, 2.0), "minimum"),
    ((3.584428, -1.848126), "minimum"),
    ((-0.270845, -0.923039), "maximum"),
    ((0.086677, 2.884254), "saddle"),
    ((-3.073026, -0.081353), "saddle"),
    ((0.0, 0.0), ""),  # g = (4·0·(−11) + 2·(−7), 2·(−11) + 0) = (−14, −22): not stationary
    ((2.9, 2.0), ""),
])
def test_stationary_kind_on_himmelblau(location, expected):
    assert stationary_kind(HIMMELBLAU, np.array(location)) == expected


def test_stationary_kind_batched_and_on_the_saddle_and_the_bowl():
    finals = np.array([[3.0, 2.0], [-0.270845, -0.923039], [0.086677, 2.884254], [0.0, 0.0]])
    assert stationary_kind(HIMMELBLAU, finals).tolist() == ["minimum", "maximum", "saddle", ""]
    assert stationary_kind(SURFACES["saddle"], np.array([0.0, 0.0])) == "saddle"
    assert stationary_kind(BOWL, np.array([1e-4, -1e-4])) == "minimum"


# --- left_plot_at --------------------------------------------------------------------------------
def test_left_plot_at():
    # the bowl's plot range is [−10, 10] × [−5, 5]
    out_at_2 = trajectory(BOWL, [[0, 0], [5, 0], [11, 0], [5, 0]])
    assert evaluate(out_at_2, BOWL).left_plot_at == 2
    x2_out = trajectory(BOWL, [[0, 0], [0, 4], [0, 5], [0, 5.5]])  # the edge itself is inside
    assert evaluate(x2_out, BOWL).left_plot_at == 3
    inside = trajectory(BOWL, [[0, 0], [10, 5], [-10, -5]])
    assert evaluate(inside, BOWL).left_plot_at == -1
    starts_out = trajectory(BOWL, [[-10.5, 0], [0, 0]])
    assert evaluate(starts_out, BOWL).left_plot_at == 0


# --- evaluate on a closed-form run ---------------------------------------------------------------
def sgd_bowl_closed_form(lr, steps, x0=(-7.0, 2.0)):
    """SGD on x1²/20 + x2²: x_t = ((1 − lr/10)^t·x1_0, (1 − 2·lr)^t·x2_0)."""
    t = np.arange(steps + 1)
    return np.stack([(1 - lr / 10) ** t * x0[0], (1 - 2 * lr) ** t * x0[1]], axis=-1)


def first_stay(values, tol):
    """Plain-Python 'first step from which values <= tol to the end', else -1."""
    for t in range(len(values)):
        if all(v <= tol for v in values[t:]):
            return t
    return -1


def test_evaluate_sgd_on_the_bowl_against_the_closed_form():
    lr, steps = 0.9, 100  # factors (0.91, −0.8)
    traj = run(make("sgd", lr=lr), BOWL, BOWL.start, steps)
    expected = sgd_bowl_closed_form(lr, steps)
    np.testing.assert_allclose(traj.points, expected, rtol=1e-12, atol=1e-300)
    f = expected[:, 0] ** 2 / 20 + expected[:, 1] ** 2  # = 2.45·0.8281^t + 4·0.64^t
    target = first_stay(f, 1e-3)  # the bowl's target: within loss_tol = 1e-3 of f* = 0
    # the x1 term dominates: 2.45·0.8281^t <= 1e-3 from t = ln(2450)/ln(1/0.8281) = 41.4 on
    assert target == 42
    assert f[target] < 1e-3 * 0.95 and f[target - 1] > 1e-3 * 1.05  # not a rounding coin-flip
    m = evaluate(traj, BOWL)
    assert m.steps_to_target == target
    assert m.steps_to_loss_tol == target
    distance = np.linalg.norm(expected, axis=-1)
    assert m.steps_to_distance_tol == first_stay(distance, 1e-3)
    assert m.final_loss == pytest.approx(f[-1], rel=1e-9)
    assert m.final_distance == pytest.approx(distance[-1], rel=1e-9)
    assert m.nearest_minimum == 0
    assert m.path_length == pytest.approx(np.linalg.norm(np.diff(expected, axis=0), axis=-1).sum(), rel=1e-12)
    assert m.outcome.kind == "held" and m.outcome.end == "target"
    assert m.diverged_at == -1 and m.left_plot_at == -1


def test_evaluate_picks_the_nearest_of_several_minima():
    # Himmelblau: a path that ends 0.01 to the right of the minimum (−2.805118, 3.131312).
    target = np.array([-2.805118, 3.131312])
    path = np.array([[0.0, 0.0], [-2.0, 3.0], target + [0.01, 0.0]])
    m = evaluate(trajectory(HIMMELBLAU, path), HIMMELBLAU)
    listed = HIMMELBLAU.minima
    assert np.linalg.norm(listed[m.nearest_minimum] - target) < 1e-5
    assert m.final_distance == pytest.approx(0.01, abs=1e-5)
    assert m.steps_to_distance_tol == -1  # 0.01 > the default distance_tol 1e-3
    assert evaluate(trajectory(HIMMELBLAU, path), HIMMELBLAU, distance_tol=0.011).steps_to_distance_tol == 2
    # f(target + (0.01, 0)) ≈ ½·H11·0.01² with H11 = 12·x1² + 4·x2 − 42 ≈ 65.0: ≈ 3.3e-3 > 1e-3
    assert m.final_loss == pytest.approx(0.5 * (12 * 2.805118**2 + 4 * 3.131312 - 42) * 1e-4, rel=0.02)
    assert m.steps_to_loss_tol == -1 and m.steps_to_target == -1


def test_score_of_arriving_missing_and_diverging_runs():
    steps = 100
    # arrives at step 42 (see above): the score is that step
    assert score(run(make("sgd", lr=0.9), BOWL, BOWL.start, steps), BOWL) == 42
    # lr = 1e-4 barely moves: x_100 ≈ (−7·(1 − 1e-5)^100, 2·(1 − 2e-4)^100); scores
    # steps + 1 + log10(1 + gap), gap = f − loss_tol
    x = sgd_bowl_closed_form(1e-4, steps)[-1]
    gap = x[0] ** 2 / 20 + x[1] ** 2 - 1e-3
    assert score(run(make("sgd", lr=1e-4), BOWL, BOWL.start, steps), BOWL) == pytest.approx(101 + math.log10(1 + gap))
    # lr = 2 leaves the plot range (|x2| = 2·3^t > 5 at t = 1) and diverges at 12: + steps
    s = score(run(make("sgd", lr=2.0), BOWL, BOWL.start, steps), BOWL)
    assert s > 2 * steps + 1


# --- grid_search and lr_sweep ---------------------------------------------------------------------
def test_grid_search_shapes_and_best():
    lrs, momenta = [0.01, 0.05, 0.2], [0.0, 0.5, 0.8, 0.95]
    result = grid_search("momentum", BOWL, BOWL.start, 100, {"lr": lrs, "momentum": momenta})
    assert set(result.params) == {"lr", "momentum"}
    # grid order: lr major, momentum minor
    np.testing.assert_array_equal(result.params["lr"], np.repeat(lrs, 4))
    np.testing.assert_array_equal(result.params["momentum"], np.tile(momenta, 3))
    assert result.scores.shape == (12,)
    for field in (*result.metrics[:-1], *result.metrics.outcome[:-2]):
        assert np.shape(field) == (12,)
    assert result.best_index == int(np.argmin(result.scores))
    assert result.best == {"lr": result.params["lr"][result.best_index],
                           "momentum": result.params["momentum"][result.best_index]}
    # each combination scored as one separate run would be
    for k in (0, 5, 11):
        single = run(make("momentum", lr=result.params["lr"][k], momentum=result.params["momentum"][k]),
                     BOWL, BOWL.start, 100)
        assert result.scores[k] == score(single, BOWL)


def test_grid_search_passes_fixed_hyperparameters():
    a = grid_search("adam", BOWL, BOWL.start, 50, {"lr": [0.1, 0.3]}, beta1=0.5)
    single = run(make("adam", lr=0.3, beta1=0.5), BOWL, BOWL.start, 50)
    assert a.scores[1] == score(single, BOWL)


def closed_form_steps_to_target(lr, steps):
    f = [(x1**2 / 20 + x2**2) for x1, x2 in sgd_bowl_closed_form(lr, steps)]
    return first_stay(f, 1e-3)


def test_lr_sweep_on_the_bowl_picks_a_derivable_learning_rate():
    # SGD on x1²/20 + x2²: curvatures μ = 0.1, L = 2. Stable iff lr < 2/L = 1; the contraction
    # factor max(|1 − lr·μ|, |1 − lr·L|) is smallest at 2/(L + μ) = 0.952…, so the best grid value
    # is large but below 1.
    steps = 100
    result = lr_sweep("sgd", BOWL, BOWL.start, steps)
    lrs = np.logspace(-4, 1, 41)
    np.testing.assert_allclose(result.params["lr"], lrs)
    assert result.scores.shape == (41,)
    best = result.best["lr"]
    assert 0.5 < best < 2 / 2.1 + 1e-9
    # and exactly the grid value that the closed form says arrives first (ties: the smaller lr)
    arrival = np.array([closed_form_steps_to_target(lr, steps) for lr in lrs])
    arrival = np.where(arrival >= 0, arrival, np.inf)
    assert best == pytest.approx(lrs[int(np.argmin(arrival))])
    assert result.scores[result.best_index] == arrival.min()
    # every learning rate >= 2/L = 1 fails to arrive and scores more than the number of steps
    assert (result.scores[lrs >= 1] > steps).all()
    assert (result.metrics.diverged_at[lrs > 1] >= 0).all()
