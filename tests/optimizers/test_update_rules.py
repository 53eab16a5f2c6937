"""Every update rule against numbers derived by hand from the contract's formulas.

Unless stated otherwise the surface is f = ½·x1² + x2², so g = (x1, 2·x2), started
from x0 = (1, 2), where g0 = (1, 4). Expected values are literal arithmetic.
"""
import math

import numpy as np
import pytest

from optimizers import OPTIMIZERS, SURFACES, make, run

from _optref import Quadratic

Q = Quadratic(0.5, 1.0)  # f = ½x1² + x2²,  g = (x1, 2x2)
X0 = (1.0, 2.0)  # g0 = (1, 4)

ALL = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "amsgrad", "nadam",
       "adadelta", "lion", "newton"]


def points(name, steps, surface=Q, x0=X0, **hparams):
    traj = run(make(name, **hparams), surface, x0, steps)
    assert (traj.diverged_at == -1).all()
    return traj.points


def close(actual, expected):
    np.testing.assert_allclose(actual, np.asarray(expected, dtype=np.float64), rtol=1e-12, atol=1e-14)


def test_registry_has_exactly_the_eleven_optimizers():
    assert sorted(OPTIMIZERS) == sorted(ALL)


# --- first-order methods ---------------------------------------------------------------------
def test_sgd_first_steps():
    p = points("sgd", 3, lr=0.1)
    close(p[0], [1.0, 2.0])
    close(p[1], [1 - 0.1 * 1, 2 - 0.1 * 4])  # (0.9, 1.6); g1 = (0.9, 3.2)
    close(p[2], [0.9 - 0.1 * 0.9, 1.6 - 0.1 * 3.2])  # (0.81, 1.28); g2 = (0.81, 2.56)
    close(p[3], [0.81 - 0.1 * 0.81, 1.28 - 0.1 * 2.56])  # (0.729, 1.024)


def test_sgd_matches_closed_form_for_many_steps():
    # f = 1.5·x1² + 0.25·x2²  ->  g = (3·x1, 0.5·x2);  x_t = (1 − lr·3)^t·x1_0, (1 − lr·0.5)^t·x2_0
    surface = Quadratic(1.5, 0.25)
    lr, steps = 0.1, 300
    p = points("sgd", steps, surface, (-2.0, 5.0), lr=lr)
    t = np.arange(steps + 1)
    np.testing.assert_allclose(p[:, 0], -2.0 * 0.7**t, rtol=1e-11, atol=0)
    np.testing.assert_allclose(p[:, 1], 5.0 * 0.95**t, rtol=1e-11, atol=0)


def test_momentum_first_steps():
    p = points("momentum", 3, lr=0.1, momentum=0.5)
    # v1 = −0.1·(1, 4) = (−0.1, −0.4);  x1 = (0.9, 1.6);  g1 = (0.9, 3.2)
    close(p[1], [0.9, 1.6])
    # v2 = 0.5·(−0.1, −0.4) − 0.1·(0.9, 3.2) = (−0.14, −0.52);  x2 = (0.76, 1.08);  g2 = (0.76, 2.16)
    close(p[2], [0.9 - 0.14, 1.6 - 0.52])
    # v3 = 0.5·(−0.14, −0.52) − 0.1·(0.76, 2.16) = (−0.146, −0.476);  x3 = (0.614, 0.604)
    close(p[3], [0.76 - 0.146, 1.08 - 0.476])


def test_nesterov_first_steps():
    p = points("nesterov", 3, lr=0.1, momentum=0.5)
    # v1 = (−0.1, −0.4);  x1 = x0 − 0.5·0 + 1.5·v1 = (0.85, 1.4);  g1 = (0.85, 2.8)
    close(p[1], [1 - 0.15, 2 - 0.6])
    # v2 = 0.5·v1 − 0.1·g1 = (−0.135, −0.48);  x2 = x1 − 0.5·v1 + 1.5·v2
    close(p[2], [0.85 + 0.05 - 1.5 * 0.135, 1.4 + 0.2 - 1.5 * 0.48])  # (0.6975, 0.88)
    # g2 = (0.6975, 1.76);  v3 = 0.5·v2 − 0.1·g2 = (−0.13725, −0.416);  x3 = x2 − 0.5·v2 + 1.5·v3
    close(p[3], [0.6975 + 0.0675 - 1.5 * 0.13725, 0.88 + 0.24 - 1.5 * 0.416])  # (0.559125, 0.496)


def test_nesterov_equals_the_classic_look_ahead_form():
    # Sutskever et al. (2013): v ← μv − lr·∇f(y + μv); y ← y + v. The Bengio form tracks
    # x = y + μ·v. Written out here by hand for f = ½x1² + x2² (∇f(z) = (z1, 2·z2)).
    lr, mu, steps = 0.05, 0.9, 40
    p = points("nesterov", steps, lr=lr, momentum=mu)
    y, v = np.array(X0), np.zeros(2)
    for t in range(1, steps + 1):
        z = y + mu * v
        v = mu * v - lr * np.array([z[0], 2 * z[1]])
        y = y + v
        np.testing.assert_allclose(p[t], y + mu * v, rtol=1e-10, atol=1e-12)


def test_adagrad_first_steps():
    p = points("adagrad", 2, lr=0.1, eps=0.0)
    # G1 = (1, 16);  x1 = x0 − 0.1·(1/1, 4/4) = (0.9, 1.9);  g1 = (0.9, 3.8)
    close(p[1], [0.9, 1.9])
    # G2 = (1 + 0.81, 16 + 14.44) = (1.81, 30.44)
    close(p[2], [0.9 - 0.1 * 0.9 / math.sqrt(1.81), 1.9 - 0.1 * 3.8 / math.sqrt(30.44)])


def test_rmsprop_first_steps():
    p = points("rmsprop", 2, lr=0.1, beta=0.5, eps=0.0)
    # G1 = 0.5·(1, 16) = (0.5, 8);  x1 = (1 − 0.1·1/√0.5, 2 − 0.1·4/√8) = x0 − 0.1·√2
    a, b = 1 - 0.1 * math.sqrt(2), 2 - 0.1 * math.sqrt(2)
    close(p[1], [a, b])
    # g1 = (a, 2b);  G2 = 0.5·G1 + 0.5·g1² = (0.25 + 0.5a², 4 + 2b²)
    close(p[2], [a - 0.1 * a / math.sqrt(0.25 + 0.5 * a**2),
                 b - 0.1 * 2 * b / math.sqrt(4 + 0.5 * (2 * b) ** 2)])


def test_adam_first_steps():
    p = points("adam", 2, lr=0.1, beta1=0.5, beta2=0.75, eps=0.0)
    # m1 = 0.5·g0, m̂1 = g0;  v1 = 0.25·g0², v̂1 = g0²  ->  x1 = x0 − 0.1·sign(g0) = (0.9, 1.9)
    close(p[1], [0.9, 1.9])
    # g1 = (0.9, 3.8);  m2 = 0.25·g0 + 0.5·g1 = (0.7, 2.9),  m̂2 = m2/(1 − 0.25)
    # v2 = 0.75·0.25·g0² + 0.25·g1² = (0.1875 + 0.2025, 3 + 3.61) = (0.39, 6.61),  v̂2 = v2/(1 − 0.5625)
    close(p[2], [0.9 - 0.1 * (0.7 / 0.75) / math.sqrt(0.39 / 0.4375),
                 1.9 - 0.1 * (2.9 / 0.75) / math.sqrt(6.61 / 0.4375)])


def test_adam_with_paper_defaults_first_step():
    # Step 1 of Adam moves each coordinate by lr·|g|/(|g| + eps) = 1e-3·|g|/(|g| + 1e-8).
    p = points("adam", 1)
    close(p[1], [1 - 1e-3 * 1 / (1 + 1e-8), 2 - 1e-3 * 4 / (4 + 1e-8)])


def test_amsgrad_first_steps_uses_the_running_maximum():
    # lr = 0.9, beta1 = beta2 = 0.5: step 1 overshoots, the gradient shrinks, so v falls
    # below its maximum and AMSGrad keeps dividing by the old, larger v.
    p = points("amsgrad", 3, lr=0.9, beta1=0.5, beta2=0.5, eps=0.0)
    # m1 = 0.5·g0, v1 = 0.5·g0² = (0.5, 8);  m̂1 = g0, v̂1 = g0²;  x1 = x0 − 0.9 = (0.1, 1.1)
    close(p[1], [0.1, 1.1])
    # g1 = (0.1, 2.2);  m2 = 0.25·g0 + 0.5·g1 = (0.3, 2.1),  m̂2 = m2/0.75 = (0.4, 2.8)
    # v2 = 0.25·g0² + 0.5·g1² = (0.255, 6.42) < v1, so v_max = (0.5, 8); denominator √(v_max/0.75)
    x2 = [0.1 - 0.9 * 0.4 / math.sqrt(0.5 / 0.75), 1.1 - 0.9 * 2.8 / math.sqrt(8 / 0.75)]
    close(p[2], x2)
    # step 3: the EMA continues from v2 (not from v_max): v3 = 0.5·v2 + 0.5·g2², v_max = max(v_max, v3)
    g2 = [x2[0], 2 * x2[1]]
    m3 = [0.5 * 0.3 + 0.5 * g2[0], 0.5 * 2.1 + 0.5 * g2[1]]
    v3 = [0.5 * 0.255 + 0.5 * g2[0] ** 2, 0.5 * 6.42 + 0.5 * g2[1] ** 2]
    vmax3 = [max(0.5, v3[0]), max(8.0, v3[1])]
    close(p[3], [x2[i] - 0.9 * (m3[i] / (1 - 0.125)) / math.sqrt(vmax3[i] / (1 - 0.125)) for i in range(2)])
    # ... which differs from Adam's step 2, so the maximum really is used
    adam = points("adam", 2, lr=0.9, beta1=0.5, beta2=0.5, eps=0.0)
    assert not np.allclose(adam[2], p[2])


def test_nadam_first_steps():
    lr, b1, b2 = 0.1, 0.9, 0.5
    mu = [None] + [b1 * (1 - 0.5 * 0.96 ** (0.004 * t)) for t in (1, 2, 3)]  # Dozat's schedule μ_t
    p = points("nadam", 2, lr=lr, beta1=b1, beta2=b2, eps=0.0)
    g0 = [1.0, 4.0]
    # t = 1: m1 = 0.1·g0, v̂1 = g0², Π1 = μ1
    #   x1 = x0 − lr·(1 − μ1)/(1 − μ1)·g0/|g0| − lr·μ2/(1 − μ1μ2)·0.1·g0/|g0|
    s1 = 1 + 0.1 * mu[2] / (1 - mu[1] * mu[2])
    x1 = [1 - lr * s1, 2 - lr * s1]
    close(p[1], x1)
    # t = 2: g1 = (x1_1, 2·x1_2), m2 = 0.9·m1 + 0.1·g1, v̂2 = (0.5·v1 + 0.5·g1²)/(1 − 0.25), Π2 = μ1μ2
    g1 = [x1[0], 2 * x1[1]]
    x2 = []
    for i in range(2):
        m2 = 0.9 * 0.1 * g0[i] + 0.1 * g1[i]
        v2_hat = (0.5 * 0.5 * g0[i] ** 2 + 0.5 * g1[i] ** 2) / 0.75
        pi2 = mu[1] * mu[2]
        step = (lr * (1 - mu[2]) / (1 - pi2) * g1[i] + lr * mu[3] / (1 - pi2 * mu[3]) * m2) / math.sqrt(v2_hat)
        x2.append(x1[i] - step)
    close(p[2], x2)


def test_adadelta_first_steps():
    lr, rho, eps = 0.5, 0.5, 0.01
    p = points("adadelta", 2, lr=lr, rho=rho, eps=eps)
    # E[g²]1 = 0.5·(1, 16) = (0.5, 8);  Δ1 = √(0 + 0.01)/√(E[g²]1 + 0.01)·g0 = (0.1/√0.51, 0.4/√8.01)
    d1 = [0.1 / math.sqrt(0.51) * 1, 0.1 / math.sqrt(8.01) * 4]
    x1 = [1 - 0.5 * d1[0], 2 - 0.5 * d1[1]]
    close(p[1], x1)
    # E[Δ²]1 = 0.5·Δ1²;  g1 = (x1_1, 2·x1_2);  E[g²]2 = 0.5·E[g²]1 + 0.5·g1²
    g1 = [x1[0], 2 * x1[1]]
    eg2 = [0.25 + 0.5 * g1[0] ** 2, 4 + 0.5 * g1[1] ** 2]
    d2 = [math.sqrt(0.5 * d1[i] ** 2 + eps) / math.sqrt(eg2[i] + eps) * g1[i] for i in range(2)]
    close(p[2], [x1[0] - 0.5 * d2[0], x1[1] - 0.5 * d2[1]])


def test_lion_first_steps():
    # beta1 = 0.5, beta2 = 0: c_t = 0.5·g_{t−1} + 0.5·g_t (m is the previous gradient).
    # Only x2 is tracked here: g0 = 4.
    p = points("lion", 3, lr=1.5, beta1=0.5, beta2=0.0)
    # t=1: c = 0.5·0 + 0.5·4 > 0  -> x = 2 − 1.5 = 0.5;      m = 4
    # t=2: g = 1,  c = 0.5·4 + 0.5·1 > 0 -> x = 0.5 − 1.5 = −1;  m = 1
    # t=3: g = −2, c = 0.5·1 + 0.5·(−2) = −0.5 < 0 -> x = −1 + 1.5 = 0.5
    close(p[:, 1], [2.0, 0.5, -1.0, 0.5])
    # x1: g0 = 1 -> x = −0.5, m = 1;  g = −0.5, c = 0.5 − 0.25 > 0 -> x = −2  (sign(g) alone would
    # go back up: the interpolation with the momentum matters);  m = −0.5;  g = −2, c < 0 -> x = −0.5
    close(p[:, 0], [1.0, -0.5, -2.0, -0.5])


def test_lion_uses_beta1_for_the_direction_and_beta2_for_the_memory():
    # beta1 = 0.99, beta2 = 0.5, lr = 1.2, only x1 (g0 = 1):
    # t=1: c = 0.01·1 > 0 -> x = −0.2;  m = 0.5·1 = 0.5
    # t=2: g = −0.2, c = 0.99·0.5 − 0.01·0.2 = 0.493 > 0 -> x = −1.4;  m = 0.25 − 0.1 = 0.15
    # t=3: g = −1.4, c = 0.99·0.15 − 0.014 = 0.1345 > 0 -> x = −2.6;  m = 0.075 − 0.7 = −0.625
    # t=4: g = −2.6, c = 0.99·(−0.625) − 0.026 < 0 -> x = −1.4
    # (with the betas swapped, m1 = 0.01·1 and t=2 would have c = 0.5·0.01 − 0.5·0.2 < 0: back to 1.0)
    p = points("lion", 4, lr=1.2, beta1=0.99, beta2=0.5)
    close(p[:, 0], [1.0, -0.2, -1.4, -2.6, -1.4])


# --- Newton ------------------------------------------------------------------------------------
def test_newton_reaches_a_quadratic_minimum_in_one_step():
    # f = x1² + x1·x2 + x2² (H = [[2, 1], [1, 2]], positive definite): minimum at the origin.
    p = points("newton", 2, Quadratic(1.0, 1.0, 1.0), (1.0, 2.0), lr=1.0)
    np.testing.assert_allclose(p[1], [0.0, 0.0], atol=1e-14)
    np.testing.assert_allclose(p[2], [0.0, 0.0], atol=1e-14)


def test_newton_damped_step():
    # lr = 0.5 goes half way to the minimum of the quadratic model: (1, 2) -> (0.5, 1)
    p = points("newton", 1, Quadratic(1.0, 1.0, 1.0), (1.0, 2.0), lr=0.5)
    np.testing.assert_allclose(p[1], [0.5, 1.0], rtol=1e-13)


def test_newton_on_the_bowl_surface_in_one_step():
    bowl = SURFACES["ill_conditioned_bowl"]
    p = points("newton", 1, bowl, bowl.start, lr=1.0)
    np.testing.assert_allclose(p[1], [0.0, 0.0], atol=1e-13)


class _Valley:
    """f = (x1 + x2)²: g = 2(x1 + x2)·(1, 1), H = [[2, 2], [2, 2]], singular everywhere."""

    def value(self, x):
        return (x[..., 0] + x[..., 1]) ** 2

    def grad(self, x):
        s = 2 * (x[..., 0] + x[..., 1])
        return np.stack([s, s], -1)

    def hessian(self, x):
        return np.broadcast_to(np.array([[2.0, 2.0], [2.0, 2.0]]), (*x.shape[:-1], 2, 2))


class _Plane:
    """f = x1 + 2·x2: constant gradient, zero Hessian."""

    def value(self, x):
        return x[..., 0] + 2 * x[..., 1]

    def grad(self, x):
        return np.broadcast_to(np.array([1.0, 2.0]), x.shape)

    def hessian(self, x):
        return np.zeros((*x.shape[:-1], 2, 2))


def test_newton_with_singular_hessian_does_not_crash():
    traj = run(make("newton"), _Valley(), np.array([[1.0, 2.0], [-3.0, 0.5]]), 5)
    assert np.isfinite(traj.points).all() and (traj.diverged_at == -1).all()
    # The valley floor x1 + x2 = 0 is a (non-isolated) minimum; the step reaches it.
    np.testing.assert_allclose(traj.points[1:].sum(axis=-1), 0.0, atol=1e-12)
    traj = run(make("newton"), _Plane(), (1.0, 2.0), 5)
    assert np.isfinite(traj.points).all() and np.isfinite(traj.losses).all()


# --- defaults and the eps convention -----------------------------------------------------------
PAPER_DEFAULTS = {
    "sgd": {"lr": 0.01},
    "momentum": {"lr": 0.01, "momentum": 0.9},
    "nesterov": {"lr": 0.01, "momentum": 0.9},
    "adagrad": {"lr": 0.01, "eps": 1e-10},
    "rmsprop": {"lr": 0.001, "beta": 0.9, "eps": 1e-8},  # Hinton's lecture 6.5: decay 0.9
    "adam": {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},  # Kingma & Ba, Alg. 1
    "amsgrad": {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
    "nadam": {"lr": 0.002, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},  # Dozat 2016 / Keras
    "adadelta": {"lr": 1.0, "rho": 0.95, "eps": 1e-6},  # Zeiler 2012: rho 0.95, eps 1e-6
    "lion": {"lr": 1e-4, "beta1": 0.9, "beta2": 0.99},  # Chen et al. 2023
    "newton": {"lr": 1.0},
}


@pytest.mark.parametrize("name", ALL)
def test_defaults_match_the_papers(name):
    opt = make(name)
    assert opt.name == name
    assert dict(opt.hparams) == PAPER_DEFAULTS[name]
    assert OPTIMIZERS[name].defaults == PAPER_DEFAULTS[name]


@pytest.mark.parametrize("name", ALL)
def test_defaults_are_what_the_rule_uses(name):
    explicit = run(make(name, **PAPER_DEFAULTS[name]), Q, X0, 5).points
    default = run(make(name), Q, X0, 5).points
    np.testing.assert_array_equal(default, explicit)


# With eps = 1 and g0 = (1, 4) the first step is lr·g/(|g| + 1) = lr·(1/2, 4/5) when eps is
# added outside the square root; inside it would be lr·(1/√2, 4/√17) (and, for Adam, eps added
# before the bias correction, lr·g/(|g| + eps/√(1 − beta2)), would be lr·(1/3, 4/6) here).
def test_eps_outside_the_square_root_adagrad():
    close(points("adagrad", 1, lr=0.1, eps=1.0)[1], [1 - 0.1 / 2, 2 - 0.1 * 4 / 5])


def test_eps_outside_the_square_root_rmsprop():
    # G1 = 0.25·g0² = (0.25, 4), √G1 = (0.5, 2)
    close(points("rmsprop", 1, lr=0.1, beta=0.75, eps=1.0)[1], [1 - 0.1 * 1 / 1.5, 2 - 0.1 * 4 / 3])


@pytest.mark.parametrize("name", ["adam", "amsgrad"])
def test_eps_outside_the_square_root_adam_family(name):
    # v̂1 = g0² whatever beta2: √v̂1 + eps = |g0| + 1
    close(points(name, 1, lr=0.1, beta1=0.5, beta2=0.75, eps=1.0)[1], [1 - 0.1 / 2, 2 - 0.1 * 4 / 5])


def test_eps_outside_the_square_root_nadam():
    mu1, mu2 = (0.5 * (1 - 0.5 * 0.96 ** (0.004 * t)) for t in (1, 2))
    # step = lr·[g + μ2/(1 − μ1μ2)·(1 − beta1)·g]/(|g| + 1), with beta1 = 0.5
    k = 1 + mu2 / (1 - mu1 * mu2) * 0.5
    close(points("nadam", 1, lr=0.1, beta1=0.5, beta2=0.75, eps=1.0)[1],
          [1 - 0.1 * k * 1 / 2, 2 - 0.1 * k * 4 / 5])


class _Kinked:
    """f = ½·x1² for x1 >= 0 and 8·x1² for x1 < 0 (g1 = x1 or 16·x1), plus x2²: the gradient
    shrinks and then grows again when a step crosses the kink."""

    def value(self, x):
        x1 = x[..., 0]
        return np.where(x1 >= 0, 0.5, 8.0) * x1**2 + x[..., 1] ** 2

    def grad(self, x):
        x1 = x[..., 0]
        return np.stack([np.where(x1 >= 0, 1.0, 16.0) * x1, 2 * x[..., 1]], -1)

    def hessian(self, x):
        raise AssertionError("not a second-order test")


def test_amsgrad_moving_average_continues_from_v_not_from_its_maximum():
    # lr = 0.9, beta1 = beta2 = 0.5, eps = 0; x1 only (g0 = 1):
    # t=1: m = 0.5, v = 0.5, v_max = 0.5; x = 1 − 0.9·(0.5/0.5)/√(0.5/0.5) = 0.1
    # t=2: g = 0.1, m = 0.3, v = 0.255, v_max = 0.5; x = 0.1 − 0.9·(0.3/0.75)/√(0.5/0.75)
    x2 = 0.1 - 0.9 * 0.4 / math.sqrt(0.5 / 0.75)  # ≈ −0.341: across the kink
    # t=3: g = 16·x2 ≈ −5.45, m = 0.15 + 0.5·g, v = 0.5·0.255 + 0.5·g² = v_max (> 0.5);
    # carrying v_max instead of v would give 0.5·0.5 + 0.5·g² here.
    g = 16 * x2
    m3, v3 = 0.15 + 0.5 * g, 0.1275 + 0.5 * g * g
    x3 = x2 - 0.9 * (m3 / 0.875) / math.sqrt(v3 / 0.875)
    p = points("amsgrad", 3, _Kinked(), X0, lr=0.9, beta1=0.5, beta2=0.5, eps=0.0)
    close(p[1:, 0], [0.1, x2, x3])
