"""The claims of the optimizer pages (docs/optimizers/*.md), checked over the build's own runs.

Every sentence on those pages that states a number, a bound or a comparison is either a
``{{ fact }}`` placeholder or asserted here. Each test names its page and claim in its
docstring and reads the settings from the build (``build.row(...)["hparams"]``), so that
changing ``build_assets/experiments.yml`` until a sentence no longer holds fails a test.
Derivations (roots of a recurrence, a bound) are checked numerically against the update
rules of ``optimizers/``.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pytest

from optimizers import OPTIMIZERS, SURFACES, make, run
from optimizers.runner import advance

NAMES = tuple(OPTIMIZERS)
WITH_MINIMUM = ("cubic", "ill_conditioned_bowl", "rotated_bowl", "rosenbrock", "beale", "himmelblau", "rastrigin")


# --- reading the build ------------------------------------------------------------------

def fact(build, key: str) -> str:
    return build.facts[key]


def number(build, key: str) -> float | None:
    """A numeric fact ("never" and "—" are None; "12%" is 12.0)."""
    value = build.facts[key]
    if value in ("never", "—"):
        return None
    return float(value.rstrip("%"))


def hparams(build, surface: str, setting: str, name: str) -> dict:
    return dict(build.row(surface, setting, name)["hparams"])


def start(build, surface: str) -> np.ndarray:
    return np.array(build.json(f"{surface}/seed_metrics.json")["start"], dtype=np.float64)


def budget(build, surface: str) -> int:
    return int(build.facts[f"{surface}.steps"])


def horizon(build, surface: str) -> int:
    return int(build.facts[f"{surface}.horizon"])


def trajectory(build, surface: str, setting: str, name: str, steps: int | None = None, **override):
    """The run the build made (same settings, same start), for ``steps`` steps (the budget)."""
    hp = {**hparams(build, surface, setting, name), **override}
    return run(make(name, **hp), SURFACES[surface], start(build, surface),
               budget(build, surface) if steps is None else steps)


def step_lengths(points: np.ndarray) -> np.ndarray:
    return np.linalg.norm(np.diff(points, axis=0), axis=-1)


def steps_to_target(build, surface, setting, name) -> int | None:
    value = build.facts[f"{surface}.{setting}.{name}.steps_to_target"]
    return None if value == "never" else int(value)


def text(build, page: str) -> str:
    """A page with its facts filled in, whitespace collapsed."""
    return re.sub(r"\s+", " ", build.page(f"optimizers/{page}"))


def says(build, page: str, *phrases: str) -> None:
    """The page still makes the claim a test checks (so that a test is not left checking a
    sentence that was rewritten)."""
    body = text(build, page)
    for phrase in phrases:
        assert re.sub(r"\s+", " ", phrase) in body, f"{page} no longer says: {phrase!r}"


def minima_curvatures(surface: str) -> np.ndarray:
    """The smallest Hessian eigenvalue at each listed minimum."""
    s = SURFACES[surface]
    return np.array([np.linalg.eigvalsh(s.hessian(np.array(p.location, dtype=np.float64))).min()
                     for p in s.stationary_points if p.kind == "minimum"])


# --- AdaDelta (docs/optimizers/adadelta.md) ------------------------------------------------

def test_adadelta_saddle_first_x1_step_is_plain_gradient_descent(build):
    """adadelta.md, saddle: "(1−ρ)g² is about 10⁻¹¹, far below ε … the first x1 step is
    {{ first_step_x1 }}, plain gradient descent with η"; "only the x2 coordinate … gets the
    sign step √(ε/(1−ρ))". The old wording gave x1 a step of about √(ε/(1−ρ)) ("sign-like
    first step"): it is far smaller."""
    hp = hparams(build, "saddle", "seed", "adadelta")
    lr, rho, eps = hp["lr"], hp["rho"], hp["eps"]
    x0 = start(build, "saddle")
    g0 = SURFACES["saddle"].grad(x0)
    assert 0.5e-11 <= (1 - rho) * g0[0] ** 2 <= 2e-11
    assert (1 - rho) * g0[0] ** 2 < 1e-3 * eps
    assert (1 - rho) * g0[1] ** 2 > 100 * eps  # x2: the large-gradient limit
    points = trajectory(build, "saddle", "seed", "adadelta", steps=1).points
    dx1, dx2 = np.abs(points[1] - points[0])
    assert dx1 == pytest.approx(lr * abs(g0[0]), rel=1e-3)
    assert dx1 < 1e-2 * math.sqrt(eps / (1 - rho))  # not a sign step
    assert dx2 == pytest.approx(lr * math.sqrt(eps / (1 - rho)), rel=1e-2)
    assert float(fact(build, "saddle.seed.adadelta.first_step_x1")) == pytest.approx(dx1, rel=5e-3)
    assert float(fact(build, "saddle.seed.adadelta.first_step_x2")) == pytest.approx(dx2, rel=5e-3)
    says(build, "adadelta.md", "far below \\(\\varepsilon =\\) 1e-4", "plain gradient descent with")


def test_adadelta_saddle_x1_grows_like_sgd_with_rate_eta(build):
    """adadelta.md, saddle: "along x1 AdaDelta then behaves like SGD with η: each step
    multiplies x1 by 1 + η, as long as (1−ρ)x1² stays far below ε"; "once |x1| nears
    √(ε/(1−ρ)) … the growth per step slows"; "a rate many times the hand-picked SGD's";
    escapes before SGD; then passes the divergence bound after escaping."""
    hp = hparams(build, "saddle", "seed", "adadelta")
    lr, rho, eps = hp["lr"], hp["rho"], hp["eps"]
    x1 = trajectory(build, "saddle", "seed", "adadelta", steps=40).points[:, 0]
    ratios = x1[1:] / x1[:-1]
    small = (1 - rho) * x1[:-1] ** 2 < 1e-2 * eps
    assert small[:5].all() and small.sum() >= 5
    np.testing.assert_allclose(ratios[small], 1 + lr, rtol=1e-2)
    large = np.abs(x1[:-1]) > math.sqrt(eps / (1 - rho))
    assert large.any() and (ratios[large] < 1 + lr - 0.1).all()
    assert lr >= 10 * hparams(build, "saddle", "seed", "sgd")["lr"]
    escape, sgd = steps_to_target(build, "saddle", "seed", "adadelta"), steps_to_target(build, "saddle", "seed", "sgd")
    assert escape is not None and sgd is not None and escape < sgd
    diverged = number(build, "saddle.seed.adadelta.diverged_at")
    assert diverged is not None and diverged > escape
    assert fact(build, "saddle.seed.adadelta.kind") == "held"


@pytest.mark.parametrize("surface", ["cubic", "beale", "rosenbrock"])
def test_adadelta_first_step_is_an_eps_sized_sign_step(build, surface):
    """adadelta.md, "The first step is set by ε": where (1−ρ)g0² ≫ ε the first step is
    √(ε/(1−ρ)) sign(g0) per coordinate; the hand-picked runs start with steps of
    {{ cubic/beale/rosenbrock first_step }}."""
    hp = hparams(build, surface, "seed", "adadelta")
    lr, rho, eps = hp["lr"], hp["rho"], hp["eps"]
    g0 = SURFACES[surface].grad(start(build, surface))
    assert ((1 - rho) * g0 ** 2 > 100 * eps).all()
    expected = lr * math.sqrt(2 * eps / (1 - rho))
    assert float(fact(build, f"{surface}.seed.adadelta.first_step")) == pytest.approx(expected, rel=1e-2)


def test_adadelta_first_steps_about_the_same_on_every_surface(build):
    """adadelta.md: "the first steps are about the same length on every surface, steep or
    flat" (within a factor of 2.5, over every surface of the build)."""
    firsts = [float(fact(build, f"{s}.seed.adadelta.first_step")) for s in (*WITH_MINIMUM, "saddle")]
    assert max(firsts) / min(firsts) <= 2.5


def test_adadelta_effective_rate_rises_and_bowl_path_is_straight_but_late(build):
    """adadelta.md: "the effective rate then rises as the numerator catches up: on the bowl
    from … to …, on Rosenbrock from … to …"; on the bowl "a straight but slow path" (the run
    arrives only after its budget); the nominal η = 1 does not reach the bowl's target."""
    for surface in ("ill_conditioned_bowl", "rosenbrock"):
        first = number(build, f"{surface}.seed.adadelta.first_effective_lr")
        last = number(build, f"{surface}.seed.adadelta.last_effective_lr")
        assert first < last, surface
    assert number(build, "ill_conditioned_bowl.seed.adadelta.path_efficiency") >= 0.9
    assert fact(build, "ill_conditioned_bowl.seed.adadelta.kind") == "late"
    assert hparams(build, "ill_conditioned_bowl", "seed", "adadelta")["lr"] == 1.0


def test_adadelta_rattles_in_valleys_and_those_runs_are_chaotic(build):
    """adadelta.md: on Rosenbrock and Beale "the growing steps rattle across the narrow
    valleys" (oscillation, path efficiency); "where such a run ends is chaotic"."""
    for surface in ("rosenbrock", "beale"):
        assert number(build, f"{surface}.seed.adadelta.oscillation") >= 0.5, surface
        assert number(build, f"{surface}.seed.adadelta.path_efficiency") < 0.1, surface
        assert fact(build, f"{surface}.seed.adadelta.chaotic") == "yes", surface


@pytest.mark.parametrize("surface", ["himmelblau", "rastrigin"])
def test_adadelta_converges_to_round_off_then_is_ejected(build, surface):
    """adadelta.md: on Himmelblau "the run converges to a minimum to round-off precision …
    the update becomes x − ηg … minima far steeper than 2/η … the iterate is thrown out";
    on Rastrigin the run "settles in the local minimum it first reaches, is ejected from it
    just as on Himmelblau"."""
    lr = hparams(build, surface, "seed", "adadelta")["lr"]
    assert (minima_curvatures(surface) > 2 / lr).all()
    traj = trajectory(build, surface, "seed", "adadelta", steps=horizon(build, surface))
    lengths = step_lengths(traj.points)
    settled = int(np.argmax(lengths < 1e-12))
    assert lengths[settled] < 1e-12, "never settled to round-off"
    stationary = SURFACES[surface].grad(traj.points[settled])
    assert np.linalg.norm(stationary) < 1e-6
    assert lengths[settled:].max() > 0.1, "never ejected"
    assert traj.losses[-1] > traj.losses[settled] + SURFACES[surface].loss_tol
    if surface == "himmelblau":
        assert fact(build, "himmelblau.seed.adadelta.kind") == "left"


def test_adadelta_tuning_uses_eta_and_eps_as_a_learning_rate(build):
    """adadelta.md, "No learning rate to tune?": "η = 1 is on its grid"; "where the gradient
    is large, the first step is η√(ε/(1−ρ)) per coordinate … a larger ε or η means a faster
    start (on the cubic the tuned first step is …, the hand-picked one …)"."""
    from build_assets.config import load
    from tests.site.conftest import ROOT

    lrs = np.asarray(load(ROOT / "build_assets" / "experiments.yml").tuning.lrs)
    assert np.isclose(lrs, 1.0, rtol=1e-12, atol=0).any()
    hp = hparams(build, "cubic", "tuned", "adadelta")
    per_coordinate = hp["lr"] * math.sqrt(hp["eps"] / (1 - hp["rho"]))
    assert float(fact(build, "cubic.tuned.adadelta.first_step_x1")) == pytest.approx(per_coordinate, rel=2e-2)
    assert number(build, "cubic.tuned.adadelta.first_step") > number(build, "cubic.seed.adadelta.first_step")


def test_adadelta_wide_band_only_where_travel_matters(build):
    """adadelta.md: the sweep "still shows a wide tolerance where only travel matters" (the
    saddle, up to the end of the sweep) "but on the bowl … [fewer] of them reach the target;
    the nominal η = 1 does not"."""
    assert number(build, "saddle.sensitivity.adadelta.count") > number(build, "ill_conditioned_bowl.sensitivity.adadelta.count")
    assert fact(build, "saddle.sensitivity.adadelta.highest_lr") == fact(build, "tuning.lr_max")
    assert number(build, "saddle.sensitivity.adadelta.decades") >= 2


def test_adadelta_blows_up_where_adagrad_only_escapes(build):
    """adadelta.md: "unlike AdaGrad and RMSprop, [AdaDelta] has no fixed bound on its step:
    … {{ cubic.basins.adadelta.diverged }} of its runs blow up numerically (AdaGrad: …)";
    "… of [AdaGrad's] runs cross the ridge and keep falling towards f → −∞, just too slowly
    to count as diverged"."""
    assert number(build, "cubic.basins.adadelta.diverged") > 0
    assert number(build, "cubic.basins.adagrad.diverged") == 0
    assert number(build, "cubic.basins.rmsprop.diverged") == 0
    assert number(build, "cubic.basins.adagrad.escaping") > 0
