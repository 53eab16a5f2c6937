"""The saddle f = −x1²/2 + x2²: gradient descent escapes at a predictable step; Newton is attracted."""
import math

import numpy as np
import pytest

from optimizers import SURFACES, evaluate, make, run, stationary_kind

SADDLE = SURFACES["saddle"]


def test_sgd_leaves_the_saddle_at_the_predicted_step():
    # g = (−x1, 2·x2), so SGD gives x1_t = x1_0·(1 + lr)^t and x2_t = x2_0·(1 − 2·lr)^t.
    # From x1_0 = 1e-5 with lr = 0.05, |x1| >= 1 first when t >= ln(1e5)/ln(1.05) = 235.97…
    lr = 0.05
    predicted = math.ceil(math.log(1e5) / math.log(1 + lr))
    assert predicted == 236
    traj = run(make("sgd", lr=lr), SADDLE, SADDLE.start, SADDLE.steps)
    x1 = traj.points[:, 0]
    t = np.arange(SADDLE.steps + 1)
    np.testing.assert_allclose(x1, 1e-5 * 1.05**t, rtol=1e-11)
    np.testing.assert_allclose(traj.points[:, 1], 0.5 * 0.9**t, rtol=1e-11, atol=1e-300)
    escaped = np.flatnonzero(np.abs(x1) >= 1)
    assert escaped[0] == predicted
    assert (np.abs(x1[predicted:]) >= 1).all()  # and it keeps going
    assert traj.diverged_at == -1  # 1e-5·1.05^500 ≈ 3.9e5 is still inside the 1e6 bound
    # The surface's escape target (f <= −0.5): at t = 236, f = −(1.0015)²/2 + (0.5·0.9^236)² < −0.5,
    # at t = 235, x1 = 0.954 and f ≈ −0.455.
    assert evaluate(traj, SADDLE).steps_to_target == predicted
    assert SADDLE.escape_loss == -0.5


def test_sgd_from_exactly_on_the_ridge_never_escapes():
    # x1_0 = 0: the gradient's x1 component is 0 forever, so SGD converges to the saddle point.
    traj = run(make("sgd", lr=0.05), SADDLE, (0.0, 0.5), 500)
    assert (traj.points[:, 0] == 0).all()
    assert abs(traj.points[-1, 1]) < 1e-20  # 0.5·0.9^500
    assert stationary_kind(SADDLE, traj.points[-1]) == "saddle" and traj.diverged_at == -1
    assert evaluate(traj, SADDLE).steps_to_target == -1


@pytest.mark.parametrize("x0", [SADDLE.start, (1.5, -0.7), (-0.9, 0.9)])
def test_newton_jumps_straight_onto_the_saddle(x0):
    # H = diag(−1, 2): x − H⁻¹g = (x1 − (−x1)/(−1), x2 − 2·x2/2) = (0, 0) in one step, whatever x0.
    traj = run(make("newton", lr=1.0), SADDLE, x0, 10)
    np.testing.assert_allclose(traj.points[1:], 0.0, atol=1e-15)
    assert stationary_kind(SADDLE, traj.points[-1]) == "saddle" and traj.diverged_at == -1
    assert evaluate(traj, SADDLE).steps_to_target == -1  # never escapes


def test_damped_newton_approaches_the_saddle_geometrically():
    # lr = 0.5: each step halves the distance to the stationary point, x_t = x0·0.5^t.
    traj = run(make("newton", lr=0.5), SADDLE, (0.8, 0.4), 30)
    t = np.arange(31)[:, None]
    np.testing.assert_allclose(traj.points, np.array([0.8, 0.4]) * 0.5**t, rtol=1e-12, atol=1e-300)
