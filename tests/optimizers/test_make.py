"""make(): validation messages, defaults, array-valued hyperparameters."""
import numpy as np
import pytest

from optimizers import OPTIMIZERS, SURFACES, make, run

# The contract's hyperparameters per optimizer, and what each must satisfy:
# lr > 0 ("rate"), momentum/beta/rho in [0, 1) ("decay"), eps >= 0 ("eps"); all finite.
HYPERS = {
    "sgd": {"lr": "rate"},
    "momentum": {"lr": "rate", "momentum": "decay"},
    "nesterov": {"lr": "rate", "momentum": "decay"},
    "adagrad": {"lr": "rate", "eps": "eps"},
    "rmsprop": {"lr": "rate", "beta": "decay", "eps": "eps"},
    "adam": {"lr": "rate", "beta1": "decay", "beta2": "decay", "eps": "eps"},
    "amsgrad": {"lr": "rate", "beta1": "decay", "beta2": "decay", "eps": "eps"},
    "nadam": {"lr": "rate", "beta1": "decay", "beta2": "decay", "eps": "eps"},
    "adadelta": {"lr": "rate", "rho": "decay", "eps": "eps"},
    "lion": {"lr": "rate", "beta1": "decay", "beta2": "decay"},
    "newton": {"lr": "rate"},
}

INVALID = {
    "rate": [0, 0.0, -0.1, -1e-300, float("nan"), float("inf"), float("-inf")],
    "decay": [1, 1.0, 1.5, -0.1, -1e-12, float("nan"), float("inf")],
    "eps": [-1e-8, -1, float("nan"), float("inf")],
}
NOT_NUMBERS = ["fast", "0.1", "", None, True, [0.1, "x"], {"a": 1}, 1 + 2j]

VALID = {"rate": [1e-12, 0.5, 10, 3], "decay": [0, 0.0, 0.5, 0.999999], "eps": [0, 0.0, 1e-12, 5]}

CASES = [(name, key, kind) for name, hypers in HYPERS.items() for key, kind in hypers.items()]


def test_hyperparameter_names_are_the_contracts():
    assert {name: list(spec.hypers) for name, spec in OPTIMIZERS.items()} == {
        name: list(hypers) for name, hypers in HYPERS.items()}
    for name, hypers in HYPERS.items():
        assert set(make(name).hparams) == set(hypers)


def assert_names(message, *parts):
    for part in parts:
        assert part in message, f"{part!r} not in {message!r}"


@pytest.mark.parametrize("name", ["adamw", "SGD", "", "sgd "])
def test_unknown_optimizer(name):
    with pytest.raises(ValueError) as info:
        make(name)
    assert_names(str(info.value), repr(name))


@pytest.mark.parametrize("name", sorted(HYPERS))
def test_unknown_hyperparameter(name):
    with pytest.raises(ValueError) as info:
        make(name, weight_decay=0.25)
    assert_names(str(info.value), name, "weight_decay", "0.25")


def test_hyperparameter_of_another_optimizer_is_unknown():
    with pytest.raises(ValueError) as info:
        make("sgd", momentum=0.9)
    assert_names(str(info.value), "sgd", "momentum", "0.9")
    with pytest.raises(ValueError) as info:
        make("rmsprop", beta1=0.9)  # RMSprop's decay is called beta
    assert_names(str(info.value), "rmsprop", "beta1", "0.9")


@pytest.mark.parametrize("name,key,kind", CASES)
def test_invalid_values(name, key, kind):
    for value in INVALID[kind]:
        with pytest.raises(ValueError) as info:
            make(name, **{key: value})
        assert_names(str(info.value), name, key, repr(value))


@pytest.mark.parametrize("name,key,kind", CASES)
def test_values_that_are_not_numbers(name, key, kind):
    for value in NOT_NUMBERS:
        with pytest.raises(ValueError) as info:
            make(name, **{key: value})
        assert_names(str(info.value), name, key, repr(value))


@pytest.mark.parametrize("name,key,kind", CASES)
def test_invalid_entry_in_an_array(name, key, kind):
    good, bad = VALID[kind][2], INVALID[kind][2]
    value = np.array([[good], [bad]])
    with pytest.raises(ValueError) as info:
        make(name, **{key: value})
    assert_names(str(info.value), name, key, repr(bad))


@pytest.mark.parametrize("name,key,kind", CASES)
def test_valid_boundary_values_are_accepted(name, key, kind):
    for value in VALID[kind]:
        opt = make(name, **{key: value})
        assert opt.hparams[key] == value
        assert isinstance(opt.hparams[key], float)


def test_numpy_scalars_are_accepted():
    assert make("adam", lr=np.float32(0.5), beta1=np.float64(0.5)).hparams["lr"] == 0.5


def test_make_returns_an_independent_optimizer():
    a = make("adam", lr=0.1)
    b = make("adam")
    assert a.hparams["lr"] == 0.1 and b.hparams["lr"] == 0.001
    assert make("newton").uses_hessian and not make("adam").uses_hessian


# --- array-valued hyperparameters ---------------------------------------------------------
LR = {"sgd": 0.01, "momentum": 0.003, "nesterov": 0.003, "adagrad": 0.3, "rmsprop": 0.02,
      "adam": 0.05, "amsgrad": 0.05, "nadam": 0.05, "adadelta": 1.0, "lion": 0.02, "newton": 0.5}


@pytest.mark.parametrize("name", sorted(HYPERS))
def test_array_learning_rate_equals_separate_runs(name):
    surface = SURFACES["rosenbrock"]
    lrs = LR[name] * np.array([0.25, 0.5, 1.0, 2.0])[:, None]  # (K, 1)
    x0 = np.broadcast_to(np.asarray(surface.start), (4, 2))
    batch = run(make(name, lr=lrs), surface, x0, 60)
    assert batch.points.shape == (61, 4, 2)
    for k in range(4):
        single = run(make(name, lr=float(lrs[k, 0])), surface, surface.start, 60)
        np.testing.assert_array_equal(batch.points[:, k], single.points)
        np.testing.assert_array_equal(batch.losses[:, k], single.losses)
        assert batch.diverged_at[k] == single.diverged_at
    # and the learning rate matters: the four runs differ
    assert len({batch.points[-1, k].tobytes() for k in range(4)}) == 4


@pytest.mark.parametrize("name,key", [(n, k) for n, k, kind in CASES if kind == "decay"])
def test_array_decay_equals_separate_runs(name, key):
    surface = SURFACES["himmelblau"]
    values = np.array([0.0, 0.5, 0.9, 0.99])[:, None]
    x0 = np.broadcast_to(np.asarray(surface.start), (4, 2))
    batch = run(make(name, lr=LR[name], **{key: values}), surface, x0, 40)
    for k in range(4):
        single = run(make(name, lr=LR[name], **{key: float(values[k, 0])}), surface, surface.start, 40)
        np.testing.assert_array_equal(batch.points[:, k], single.points)


def test_learning_rate_grid_times_start_grid():
    # lr (K, 1, 1) against starts (1, M, 2) broadcasts to a (K, M) batch of independent runs.
    surface = SURFACES["ill_conditioned_bowl"]
    lrs = np.array([0.1, 0.5, 0.9])[:, None, None]
    starts = np.array([[[-7.0, 2.0], [3.0, -1.0]]])
    x0 = np.broadcast_to(starts, (3, 2, 2))
    batch = run(make("sgd", lr=lrs), surface, x0, 15)
    for k in range(3):
        for m in range(2):
            # SGD on x1²/20 + x2²: x_t = ((1 − lr/10)^t·x1, (1 − 2·lr)^t·x2)
            lr = lrs[k, 0, 0]
            t = np.arange(16)
            expected = np.stack([(1 - lr / 10) ** t * starts[0, m, 0], (1 - 2 * lr) ** t * starts[0, m, 1]], -1)
            np.testing.assert_allclose(batch.points[:, k, m], expected, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("name,fields", [("adam", ("beta1", "beta2")), ("amsgrad", ("beta1", "beta2")),
                                         ("nadam", ("beta2",))])
def test_decay_powers_are_running_products(name, fields):
    # beta^t as repeated multiplication is exact on every CPU, where a vectorised pow is not;
    # that is what makes the array sweeps above bit-identical to single runs on any machine.
    betas = {"beta1": 0.9, "beta2": 0.99}
    opt = make(name, lr=0.01, **{key: np.array([[betas[key]], [0.37]]) for key in fields})
    state = opt.init(np.zeros((2, 2)))
    x = np.ones((2, 2))
    for _ in range(25):
        x, state = opt.update(np.full((2, 2), 0.5), state, x)
    for key in fields:
        expected = np.array([[1.0], [1.0]])
        for _ in range(25):
            expected = expected * np.array([[betas[key]], [0.37]])
        np.testing.assert_array_equal(getattr(state, f"{key}_power"), expected)
