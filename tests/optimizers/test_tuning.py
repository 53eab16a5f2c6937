"""Honest tuning (never worse than hand-picked, refined between grid points) and chaos detection."""
import numpy as np

from optimizers import SURFACES, evaluate, make, run, score
from optimizers.chaos import start_sensitivity
from optimizers.sweep import tune

BOWL = SURFACES["ill_conditioned_bowl"]
GRID = {"lr": np.logspace(-4, 1, 41)}  # the site's grid: a factor 1.33 between rates


def steps_of(lr):
    return score(run(make("sgd", lr=lr), BOWL, BOWL.start, 100), BOWL)


def test_refinement_beats_the_grid_between_its_points():
    # SGD on x1²/20 + x2²: the best constant rate 2/(L + μ) = 2/2.1 = 0.952 lies between the
    # grid's 0.75 and 1.0 (1.0 = 2/L never converges); the grid's best arrives at step 51.
    assert steps_of(0.75) == 51 and steps_of(1.0) > 100
    found = tune("sgd", BOWL, BOWL.start, 100, GRID)
    assert found.source == "refined" and found.score < 51
    assert 0.75 < found.hparams["lr"] < 1.0
    assert found.tried == 41 + 9


def test_tuned_never_loses_to_hand_picked():
    # a hand-picked rate better than anything searched wins, and is reported as such
    found = tune("sgd", BOWL, BOWL.start, 100, {"lr": [0.01, 0.1]}, hand_picked={"lr": 0.95}, refine=0)
    assert found.source == "hand-picked" and found.hparams == {"lr": 0.95}
    assert found.score == steps_of(0.95) == 43
    worse = tune("sgd", BOWL, BOWL.start, 100, GRID, hand_picked={"lr": 0.01})
    assert worse.source != "hand-picked" and worse.score <= steps_of(0.01)


def test_tuning_rejects_a_setting_that_leaves_the_target_later():
    # Lion (lr 0.1, beta1 0.5, beta2 0.9) on the bowl hops on and off the minimum: it is at the
    # target at step 100, the end of its budget, and at the horizon's last step, without staying.
    lion = make("lion", lr=0.1, beta1=0.5, beta2=0.9)
    traj = run(lion, BOWL, BOWL.start, 500)
    on = traj.losses <= BOWL.loss_tol
    assert on[100] and on[500] and not on[101:500].all()
    outcome = evaluate(traj, BOWL, 100).outcome
    assert (outcome.kind, outcome.end) == ("left", "cycling")
    assert score(run(lion, BOWL, BOWL.start, 100), BOWL) > 100
    found = tune("lion", BOWL, BOWL.start, 100, {"lr": [0.1]}, refine=0, beta1=0.5, beta2=0.9)
    assert found.score > 100


def test_a_run_on_rastrigin_is_chaotic_and_one_on_the_bowl_is_not():
    rastrigin = SURFACES["rastrigin"]
    chaotic = start_sensitivity(make("sgd", lr=0.013), rastrigin, (-4.2, 4.4), 300, 1500)
    assert chaotic.chaotic and np.ptp(chaotic.final_losses) > 1
    calm = start_sensitivity(make("sgd", lr=0.9), BOWL, BOWL.start, 100, 500)
    assert not calm.chaotic and set(calm.kinds) == {"held"}
    # the same small rate settles in one dip from every shifted start: not chaotic
    dip = start_sensitivity(make("sgd", lr=0.002), rastrigin, (-4.2, 4.4), 300, 1500)
    assert not dip.chaotic and set(dip.kinds) == {"minimum"}
