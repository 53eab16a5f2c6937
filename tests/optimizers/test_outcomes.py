"""The outcome taxonomy on hand-made trajectories, where each verdict can be read off the path."""
import numpy as np
import pytest

from optimizers import SURFACES, Trajectory, classify, evaluate, make, run, run_verified
from optimizers.outcomes import KINDS

from _optref import ref_value

BOWL = SURFACES["ill_conditioned_bowl"]  # f = x1²/20 + x2², target f <= 1e-3, plot [−10, 10] × [−5, 5]
CUBIC = SURFACES["cubic"]
HIMMELBLAU = SURFACES["himmelblau"]


def outcome(surface, points, budget, diverged_at=-1):
    points = np.asarray(points, dtype=np.float64)
    return classify(points, ref_value(surface.key, points), np.full(points.shape[1:-1], diverged_at),
                    surface, budget)


def test_held_late_and_left():
    at, off = [0.0, 0.01], [0.0, 1.0]  # f = 1e-4 (at the target) and f = 1 (off it)
    held = outcome(BOWL, [off, off, at, at, at, at], budget=3)
    assert (held.kind, held.arrived_at, held.reached_at) == ("held", 2, 2)
    late = outcome(BOWL, [off, off, off, off, at, at], budget=3)
    assert (late.kind, late.arrived_at) == ("late", 4)
    left = outcome(BOWL, [off, at, at, off, off, off], budget=3)
    assert (left.kind, left.reached_at, left.left_at, left.arrived_at) == ("left", 1, 3, -1)
    # within the budget it looked held: only the horizon tells
    assert outcome(BOWL, [off, at, at, at], budget=3).kind == "held"
    # a two-step cycle across the target's edge (tuned Lion on the bowl): reached, then left
    flicker = outcome(BOWL, [off] + [at, [0.0, 0.1]] * 20, budget=10)
    assert (flicker.kind, flicker.reached_at, flicker.left_at, flicker.end) == ("left", 1, 2, "cycling")
    # ... also when the horizon's last step happens to be one of its steps inside
    inside_last = outcome(BOWL, [off] + [at, [0.0, 0.1]] * 20 + [at], budget=10)
    assert (inside_last.kind, inside_last.arrived_at, inside_last.end) == ("left", -1, "cycling")
    # a return counts once the run has stayed longer than it was ever away
    back = outcome(BOWL, [off, off, at, off, off, at, at, at, at], budget=3)
    assert (back.kind, back.reached_at, back.arrived_at) == ("late", 2, 5)
    too_short = outcome(BOWL, [off, off, at, off, off, off, at, at, at], budget=3)
    assert (too_short.kind, too_short.left_at, too_short.arrived_at, too_short.end) == ("left", 3, -1, "target")


def test_diverged_escaping_and_left_plot_are_told_apart():
    down = [[0.0, -3.0 - k] for k in range(12)]  # over the cubic's ridge: f = x2² + x2³ falls for ever
    assert outcome(CUBIC, down, budget=4).kind == "escaping"
    assert outcome(CUBIC, down, budget=4, diverged_at=9).kind == "diverged"
    # the same straight path on the bowl climbs out of the plot: not "escaping" (f is bounded below)
    assert outcome(BOWL, [[0.0, 1.0 + k] for k in range(12)], budget=4).kind == "left_plot"
    # rising back towards the ridge on the cubic is not escaping either
    assert outcome(CUBIC, down[::-1], budget=4).kind != "escaping"


@pytest.mark.parametrize("location,kind,index", [
    ((-0.270845, -0.923039), "maximum", 4), ((0.086677, 2.884254), "saddle", 5)])
def test_another_stationary_point_names_which(location, kind, index):
    path = [[0.0, 0.0]] + [list(location)] * 10
    result = outcome(HIMMELBLAU, path, budget=5)
    assert result.kind == kind
    point = HIMMELBLAU.stationary_points[result.point]
    assert point.kind == kind and np.allclose(point.location, location, atol=1e-5)
    assert index >= 0


def test_moving_and_cycling():
    creeping = [[-8.0 + 0.1 * k, 0.0] for k in range(50)]  # steady progress, f falling
    assert outcome(BOWL, creeping, budget=10).kind == "moving"
    bouncing = [[-5.0, 1.0], [-5.0, -1.0]] * 25  # f the same at both ends: no progress
    assert outcome(BOWL, bouncing, budget=10).kind == "cycling"
    spiral_in = [[-5.0 * 0.9**k, (-1) ** k * 0.9**k] for k in range(50)]  # shrinking: settling
    assert outcome(BOWL, spiral_in, budget=10).kind != "cycling"


def test_every_kind_is_named_once():
    assert len(set(KINDS)) == len(KINDS) == 11


def test_real_run_reported_held_within_the_budget_may_leave():
    # SGD on the cubic with lr 0.3 from (0.2, -0.45): near the saddle (0.25, −0.5), it first
    # falls towards the minimum... whatever it does, evaluate over a horizon must agree with
    # the verdict over the budget wherever the run holds the target to the horizon.
    traj = run(make("adam", lr=0.1, beta2=0.99), CUBIC, (2.0, 3.0), 750)
    short = evaluate(Trajectory(traj.points[:151], traj.losses[:151], traj.diverged_at), CUBIC)
    long = evaluate(traj, CUBIC, budget=150)
    if long.outcome.kind == "held":
        assert short.steps_to_target == long.steps_to_target
    else:
        assert long.steps_to_target == -1


def test_run_verified_continues_only_the_held_runs():
    lrs = np.array([0.01, 0.9, 1.5])
    calls = []

    def make_opt(index):
        calls.append(None if index is None else index.tolist())
        chosen = slice(None) if index is None else index
        return make("sgd", lr=lrs[chosen, None])

    traj, metrics = run_verified(make_opt, BOWL, np.broadcast_to(BOWL.start, (3, 2)), 60)
    assert calls[0] is None and calls[1:] and all(c == [1] for c in calls[1:])  # only lr 0.9 holds (from 42)
    assert traj.points.shape == (61, 3, 2)
    assert metrics.outcome.kind.tolist() == ["moving", "held", "diverged"]
    assert metrics.outcome.horizon == 300 and metrics.steps_to_target.tolist() == [-1, 42, -1]


def test_run_verified_continues_runs_back_on_the_target_late_in_the_budget():
    # Momentum (lr 0.1, 0.9) spirals through the bowl's target from step 58 and stays from step
    # 96: judged at the end of the budget alone it has not yet stayed longer than it was away
    opt = make("momentum", lr=0.1, momentum=0.9)
    starts = BOWL.grid(12).reshape(-1, 2)
    full = evaluate(run(opt, BOWL, starts, 500), BOWL, 100)
    back = (full.outcome.reached_at < full.outcome.arrived_at) & (full.outcome.kind == "held")
    assert back.sum() > 10
    _, verified = run_verified(lambda index: opt, BOWL, starts, 100)
    assert verified.steps_to_target.tolist() == full.steps_to_target.tolist()


@pytest.mark.parametrize("name,hparams", [("newton", {}), ("momentum", {"lr": 0.001, "momentum": 0.9}),
                                          ("adam", {"lr": 0.05})])
def test_continued_runs_equal_runs_made_to_the_horizon(name, hparams):
    # runs that hold to the end of the budget are resumed from their state (and no longer
    # stepped once at an exact fixed point): their verdicts equal those of runs made in one go
    rosenbrock = SURFACES["rosenbrock"]
    starts = rosenbrock.grid(6).reshape(-1, 2)
    opt = make(name, **hparams)
    _, verified = run_verified(lambda index: opt, rosenbrock, starts, 600)
    whole_run = run(opt, rosenbrock, starts, 3000)
    whole = evaluate(whole_run, rosenbrock, 600)
    budget_only = evaluate(Trajectory(whole_run.points[:601], whole_run.losses[:601], whole_run.diverged_at),
                           rosenbrock)
    continued = budget_only.steps_to_target >= 0
    assert continued.any()
    for field in ("kind", "end", "reached_at", "arrived_at", "left_at"):
        np.testing.assert_array_equal(getattr(verified.outcome, field)[continued],
                                      getattr(whole.outcome, field)[continued])
    np.testing.assert_array_equal(verified.steps_to_target, whole.steps_to_target)
