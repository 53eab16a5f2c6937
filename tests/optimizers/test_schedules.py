"""Learning-rate schedules: values derived by hand, validation, export, use by every optimizer."""
import json
import math

import numpy as np
import pytest

from optimizers import OPTIMIZERS, SURFACES, make, run, schedules
from optimizers.runner import advance

ALL = sorted(OPTIMIZERS)
LR = {"sgd": 0.01, "momentum": 0.003, "nesterov": 0.003, "adagrad": 0.3, "rmsprop": 0.02,
      "adam": 0.05, "amsgrad": 0.05, "nadam": 0.05, "adadelta": 1.0, "lion": 0.02, "newton": 0.5}


def rates(schedule, steps):
    return [schedule(t) for t in steps]


# --- values, derived by hand ------------------------------------------------------------------
def test_constant():
    assert rates(schedules.constant(0.3), [0, 1, 10**6]) == [0.3, 0.3, 0.3]


def test_piecewise_constant_multiplies_the_scales_of_the_boundaries_passed():
    s = schedules.piecewise_constant(1.0, {10: 0.5, 30: 0.1})
    # before 10: 1; from 10: 1·0.5; from 30: 1·0.5·0.1
    assert rates(s, [0, 9, 10, 29, 30, 1000]) == [1.0, 1.0, 0.5, 0.5, 0.5 * 0.1, 0.5 * 0.1]
    # the boundaries may come in any order, as a dict or as [step, scale] pairs
    assert rates(schedules.piecewise_constant(1.0, [[30, 0.1], [10, 0.5]]), [9, 10, 30]) == [1.0, 0.5, 0.05]


def test_step_decay():
    s = schedules.step_decay(0.8, every=3, factor=0.5)
    # ⌊t/3⌋ = 0 0 0 1 1 1 2 ...
    assert rates(s, range(8)) == [0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2]
    # 0.9^⌊1000/1⌋ by squaring is within rounding of the exact power
    assert schedules.step_decay(1.0, 1, 0.9)(1000) == pytest.approx(0.9**1000, rel=1e-12)


def test_power_by_squaring_is_exact_where_the_power_is_representable():
    for n in range(60):
        assert schedules._power(0.5, n) == 2.0**-n
        assert schedules._power(3.0, min(n, 33)) == float(3 ** min(n, 33))


def test_inverse_time():
    s = schedules.inverse_time(1.0, decay_steps=10, decay_rate=2.0)
    # 1/(1 + 2·t/10): t = 0 → 1, t = 5 → 1/2, t = 10 → 1/3, t = 45 → 1/10
    assert rates(s, [0, 5, 10, 45]) == [1.0, 0.5, pytest.approx(1 / 3, rel=1e-15), pytest.approx(0.1, rel=1e-15)]


def test_cosine_decay():
    s = schedules.cosine_decay(2.0, decay_steps=100)
    # ½(1 + cos(πt/100)): 1 at 0, ½ at 50, 0 at 100 and after
    assert s(0) == 2.0
    assert s(50) == pytest.approx(1.0, rel=1e-15)
    assert s(25) == pytest.approx(2.0 * 0.5 * (1 + math.sqrt(0.5)), rel=1e-15)
    assert s(100) == 0.0 and s(500) == 0.0
    floor = schedules.cosine_decay(2.0, decay_steps=100, alpha=0.1)
    assert floor(100) == pytest.approx(0.2, rel=1e-15) and floor(0) == 2.0
    assert floor(50) == pytest.approx(2.0 * (0.9 * 0.5 + 0.1), rel=1e-15)


def test_warmup_alone_and_joined():
    s = schedules.warmup(1.0, warmup_steps=4)
    assert rates(s, range(6)) == [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]
    s = schedules.warmup(1.0, warmup_steps=4, init_value=0.2)
    assert rates(s, [0, 2, 4]) == [0.2, pytest.approx(0.6, rel=1e-15), 1.0]
    # joined: the decay starts afresh at the end of the warm-up
    joined = schedules.warmup(1.0, 4, then=schedules.step_decay(1.0, every=2, factor=0.5))
    assert rates(joined, [3, 4, 5, 6, 7, 8]) == [0.75, 1.0, 1.0, 0.5, 0.5, 0.25]


# --- validation -------------------------------------------------------------------------------
INVALID = [
    (schedules.constant, {"value": -0.1}, "value", "-0.1"),
    (schedules.constant, {"value": 0}, "value", "0"),
    (schedules.constant, {"value": float("nan")}, "value", "nan"),
    (schedules.constant, {"value": "0.1"}, "value", "'0.1'"),
    (schedules.constant, {"value": True}, "value", "True"),
    (schedules.piecewise_constant, {"init_value": 1.0, "boundaries_and_scales": {0: 0.5}}, "boundary", "0"),
    (schedules.piecewise_constant, {"init_value": 1.0, "boundaries_and_scales": {10: -1}}, "scale at step 10", "-1"),
    (schedules.piecewise_constant, {"init_value": 1.0, "boundaries_and_scales": 3}, "boundaries_and_scales", "3"),
    (schedules.step_decay, {"init_value": 1.0, "every": 0, "factor": 0.5}, "every", "0"),
    (schedules.step_decay, {"init_value": 1.0, "every": 2.5, "factor": 0.5}, "every", "2.5"),
    (schedules.step_decay, {"init_value": 1.0, "every": 10, "factor": 1.5}, "factor", "1.5"),
    (schedules.step_decay, {"init_value": 1.0, "every": 10, "factor": 0}, "factor", "0"),
    (schedules.inverse_time, {"init_value": 1.0, "decay_steps": 0}, "decay_steps", "0"),
    (schedules.inverse_time, {"init_value": 1.0, "decay_steps": -5}, "decay_steps", "-5"),
    (schedules.inverse_time, {"init_value": 1.0, "decay_steps": 5, "decay_rate": -1}, "decay_rate", "-1"),
    (schedules.cosine_decay, {"init_value": -1.0, "decay_steps": 10}, "init_value", "-1.0"),
    (schedules.cosine_decay, {"init_value": 1.0, "decay_steps": 0}, "decay_steps", "0"),
    (schedules.cosine_decay, {"init_value": 1.0, "decay_steps": 10, "alpha": 1.0}, "alpha", "1.0"),
    (schedules.cosine_decay, {"init_value": 1.0, "decay_steps": float("inf")}, "decay_steps", "inf"),
    (schedules.warmup, {"peak_value": 1.0, "warmup_steps": 0}, "warmup_steps", "0"),
    (schedules.warmup, {"peak_value": 1.0, "warmup_steps": 5, "init_value": -0.1}, "init_value", "-0.1"),
    (schedules.warmup, {"peak_value": 0.0, "warmup_steps": 5}, "peak_value", "0.0"),
    (schedules.warmup, {"peak_value": 1.0, "warmup_steps": 5, "then": 0.5}, "then", "0.5"),
]


@pytest.mark.parametrize("build,params,key,shown", INVALID, ids=[f"{b.__name__}-{k}-{s}" for b, _, k, s in INVALID])
def test_invalid_parameters_are_refused_with_a_one_line_message(build, params, key, shown):
    with pytest.raises(ValueError) as info:
        build(**params)
    message = str(info.value)
    assert "\n" not in message
    for part in (build.__name__, key, shown):
        assert part in message, (part, message)


def test_numpy_numbers_are_accepted():
    assert schedules.step_decay(np.float32(0.5), np.int64(10), np.float64(0.5))(10) == 0.25


def test_make_takes_a_schedule_for_lr_only():
    s = schedules.cosine_decay(0.1, 100)
    assert make("adam", lr=s).hparams["lr"] is s
    with pytest.raises(ValueError) as info:
        make("adam", beta1=s)
    assert "adam" in str(info.value) and "beta1" in str(info.value) and "cosine_decay" in str(info.value)


def test_make_takes_a_schedules_description_and_refuses_a_bad_one():
    spec = {"kind": "step_decay", "init_value": 0.5, "every": 10, "factor": 0.5}
    opt = make("sgd", lr=spec)
    assert opt.hparams["lr"].describe() == spec
    for bad, shown in [({"kind": "step_decay", "init_value": 0.5, "every": 0, "factor": 0.5}, "every=0"),
                       ({"kind": "linear"}, "'linear'"), ({"kind": "constant"}, "value")]:
        with pytest.raises(ValueError) as info:
            make("sgd", lr=bad)
        message = str(info.value)
        assert message.startswith("sgd: lr=") and shown in message and "\n" not in message


# --- export -----------------------------------------------------------------------------------
SPECIMENS = [
    schedules.constant(0.25),
    schedules.piecewise_constant(0.5, {100: 0.1, 20: 0.5}),
    schedules.step_decay(0.5, 7, 0.8),
    schedules.inverse_time(0.5, 20.0, 0.5),
    schedules.cosine_decay(0.5, 90, 0.05),
    schedules.warmup(0.5, 10, then=schedules.cosine_decay(0.5, 90), init_value=0.01),
    schedules.warmup(0.5, 10),
]


@pytest.mark.parametrize("schedule", SPECIMENS, ids=[s.kind for s in SPECIMENS])
def test_description_is_plain_json_and_rebuilds_the_same_schedule(schedule):
    spec = schedule.describe()
    assert spec["kind"] == schedule.kind
    text = json.dumps(spec)  # only plain values: what the browser port receives
    rebuilt = schedules.from_spec(json.loads(text))
    assert rebuilt.describe() == spec
    assert rates(rebuilt, range(300)) == rates(schedule, range(300))


def test_description_of_a_joined_schedule_nests_the_second():
    spec = schedules.warmup(1.0, 5, then=schedules.step_decay(1.0, 10, 0.5)).describe()
    assert spec == {"kind": "warmup", "peak_value": 1.0, "warmup_steps": 5, "init_value": 0.0,
                    "then": {"kind": "step_decay", "init_value": 1.0, "every": 10, "factor": 0.5}}


@pytest.mark.parametrize("spec", [{"kind": "exponential"}, {"value": 1.0}, "constant",
                                  {"kind": "constant", "value": -1.0}, {"kind": "constant", "rate": 1.0}])
def test_invalid_descriptions_are_refused(spec):
    with pytest.raises(ValueError):
        schedules.from_spec(spec)


# --- every optimizer reads the rate of the step it takes ---------------------------------------
@pytest.mark.parametrize("name", ALL)
def test_constant_schedule_equals_the_number_bit_for_bit(name):
    surface = SURFACES["rosenbrock"]
    x0 = surface.grid(3).reshape(-1, 2)
    plain = run(make(name, lr=LR[name]), surface, x0, 80)
    scheduled = run(make(name, lr=schedules.constant(LR[name])), surface, x0, 80)
    np.testing.assert_array_equal(plain.points, scheduled.points)
    np.testing.assert_array_equal(plain.losses, scheduled.losses)


@pytest.mark.parametrize("name", ALL)
def test_every_optimizer_switches_rate_at_the_boundary(name):
    # A rate halved from step 15 on equals 15 steps at the first rate continued (same state)
    # by an optimizer built with the second: the rate is read from the state's step count.
    surface = SURFACES["himmelblau"]
    lr = LR[name]
    scheduled = run(make(name, lr=schedules.piecewise_constant(lr, {15: 0.5})), surface, surface.start, 40)
    first, state = advance(make(name, lr=lr), surface, surface.start, 15)
    second, _ = advance(make(name, lr=lr * 0.5), surface, first.points[-1], 25, state)
    np.testing.assert_array_equal(scheduled.points, np.concatenate([first.points, second.points[1:]]))
    unscheduled = run(make(name, lr=lr), surface, surface.start, 40)
    assert not np.array_equal(scheduled.points[16:], unscheduled.points[16:])  # the switch mattered
    np.testing.assert_array_equal(scheduled.points[:16], unscheduled.points[:16])


def test_a_run_that_stands_still_under_a_schedule_is_not_taken_for_a_fixed_point():
    # A rate of 1e-300 moves nothing (x − 1e-300·g rounds to x), which the runner's fixed-point
    # shortcut would freeze for ever; from step 40 the rate is 1e-300·1e300 = 1 and SGD moves.
    s = schedules.piecewise_constant(1e-300, {40: 1e300})
    traj = run(make("sgd", lr=s), SURFACES["ill_conditioned_bowl"], (-7.0, 2.0), 60)
    np.testing.assert_array_equal(traj.points[:41], np.broadcast_to([-7.0, 2.0], (41, 2)))
    # from step 41: x1 ← (1 − 1/10)·x1
    assert traj.points[41, 0] == pytest.approx(-7.0 * 0.9, rel=1e-15)
