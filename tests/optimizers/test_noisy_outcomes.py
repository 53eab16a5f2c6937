"""Outcomes of noisy runs: judged as groups of repetitions on their mean loss, with a tolerance."""
import numpy as np
import pytest

from optimizers import SURFACES, classify, horizon_for, make, noise, run, schedules
from optimizers.outcomes import END_KINDS, classify_repetitions

QUADRATIC = SURFACES["noisy_quadratic"]
REPS = 256


def repetitions(opt, surface, batch_size, reps=REPS, budget=None):
    budget = surface.steps if budget is None else budget
    x0 = np.broadcast_to(np.asarray(surface.start, dtype=np.float64), (reps, 2))
    return run(opt, surface, x0, horizon_for(budget), batch_size=batch_size, seed=np.arange(reps)), budget


def judge(traj, surface, budget, tol=None):
    return classify_repetitions(traj.points, traj.losses, traj.diverged_at, surface, budget, tol)


def excess_loss(lr, batch_size):
    """The predicted stationary excess of the mean loss, ½ Σ h_k E[x_k²], on the noisy quadratic."""
    curvature, shift_variance = noise.quadratic_constants(QUADRATIC)
    return 0.5 * float(np.sum(curvature * noise.sgd_stationary_variance(curvature, shift_variance, lr, 256, batch_size)))


def test_the_noise_ball_holds_a_loose_target_but_not_a_tight_one():
    lr, size = 0.5, 8
    excess = excess_loss(lr, size)
    traj, budget = repetitions(make("sgd", lr=lr), QUADRATIC, size)
    # the mean loss settles at f* + the predicted excess (to a few per cent: 256 repetitions)
    settled = judge(traj, QUADRATIC, budget).mean_loss[budget:] - QUADRATIC.min_value
    assert settled.mean() == pytest.approx(excess, rel=0.05)
    loose = judge(traj, QUADRATIC, budget, tol=3 * excess)
    assert loose.kind == "held" and 0 < loose.arrived_at <= budget and loose.end == "target"
    tight = judge(traj, QUADRATIC, budget, tol=excess / 3)
    assert tight.reached_at == -1 and tight.kind not in ("held", "late", "left", "target")
    # each repetition comes within the surface's loss_tol now and then, but the group does not hold it
    single = classify(traj.points, traj.losses, traj.diverged_at, QUADRATIC, budget)
    assert (single.reached_at >= 0).mean() > 0.5 and tight.kind == tight.end


def test_a_decaying_rate_shrinks_the_noise_ball_into_the_tight_target():
    lr, size = 0.5, 8
    tol = excess_loss(lr, size) / 3
    traj, budget = repetitions(make("sgd", lr=schedules.inverse_time(lr, 20)), QUADRATIC, size)
    result = judge(traj, QUADRATIC, budget, tol=tol)
    assert result.kind in ("held", "late") and result.end == "target"
    assert result.mean_loss[-1] - QUADRATIC.min_value < tol


def test_mean_spread_and_shares_are_over_the_last_axis():
    traj, budget = repetitions(make("adam", lr=0.1), SURFACES["moons"], 8, reps=16, budget=40)
    points = np.stack([traj.points, traj.points[:, ::-1]], axis=1)  # two groups of 16
    losses = np.stack([traj.losses, traj.losses[:, ::-1]], axis=1)
    diverged_at = np.stack([traj.diverged_at, traj.diverged_at[::-1]])
    result = classify_repetitions(points, losses, diverged_at, SURFACES["moons"], budget)
    assert result.kind.shape == (2,) and result.mean_loss.shape == (horizon_for(40) + 1, 2)
    np.testing.assert_allclose(result.mean_loss[:, 0], traj.losses.mean(axis=1), rtol=1e-15)
    np.testing.assert_allclose(result.loss_spread[:, 0], traj.losses.std(axis=1), rtol=1e-12)
    np.testing.assert_allclose(result.end_share.sum(axis=-1), 1.0)
    assert result.end_share.shape == (2, len(END_KINDS))
    assert result.kind[0] == result.kind[1]  # the order of the repetitions does not matter


@pytest.mark.parametrize("name,lr", [("sgd", 0.5), ("adam", 0.3), ("lion", 0.1), ("newton", 1.0)])
def test_identical_repetitions_are_judged_as_the_single_run(name, lr):
    # the whole data set as the batch: every repetition is the exact-gradient run
    for key in ("noisy_quadratic", "linear_regression", "moons"):
        surface = SURFACES[key]
        traj, budget = repetitions(make(name, lr=lr), surface, 256, reps=4)
        single = classify(traj.points[:, :1], traj.losses[:, :1], traj.diverged_at[:1], surface, budget)
        group = judge(traj, surface, budget)
        assert group.kind == single.kind[0], (key, group, single)
        assert (group.reached_at, group.arrived_at) == (single.reached_at[0], single.arrived_at[0])
        np.testing.assert_array_equal(group.loss_spread, 0.0)


def test_one_diverged_repetition_makes_the_group_diverged():
    # SGD at a rate beyond the walls' stability limit (η·2 > 2) diverges on the quadratic
    traj, budget = repetitions(make("sgd", lr=0.5), QUADRATIC, 8, reps=8)
    blown, _ = repetitions(make("sgd", lr=1.2), QUADRATIC, 8, reps=1)
    points = np.concatenate([traj.points, blown.points], axis=1)
    losses = np.concatenate([traj.losses, blown.losses], axis=1)
    diverged_at = np.concatenate([traj.diverged_at, blown.diverged_at])
    assert blown.diverged_at[0] > 0
    result = classify_repetitions(points, losses, diverged_at, QUADRATIC, budget, tol=1e9)
    assert (result.kind, result.end) == ("diverged", "diverged")
    assert result.end_share[END_KINDS.index("diverged")] == pytest.approx(1 / 9)
