"""Convergence rates on the ill-conditioned bowl (build_assets/rates.py): the closed forms,
checked by hand for κ = 20; the theory's iteration matrices against the site's own
optimizers; and the measured rates of the build's runs against the predicted ones."""
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from build_assets import rates
from build_assets.config import load
from build_assets.mkdocs_hook import fill_facts
from optimizers import SURFACES, make, run

ROOT = Path(__file__).resolve().parents[2]
BOWL = "ill_conditioned_bowl"
SQRT5 = math.sqrt(5)


# --- closed forms, by hand ----------------------------------------------------------------
# The bowl x1²/20 + x2² has Hessian diag(1/10, 2): μ = 1/10, L = 2, κ = 20.
# Gradient descent, η = 2/(L + μ) = 2/2.1 = 20/21: factors 1 − η/10 = 19/21 and 1 − 2η = −19/21,
#   so ‖x − x*‖ shrinks by (κ − 1)/(κ + 1) = 19/21 ≈ 0.904762 and f − f* by (19/21)² = 361/441 ≈ 0.818594.
# Heavy ball: √κ = 2√5, so (√κ − 1)/(√κ + 1) = (2√5 − 1)/(2√5 + 1) = (2√5 − 1)²/19 = (21 − 4√5)/19 ≈ 0.634512
#   and β = its square = (441 − 168√5 + 80)/361 = (521 − 168√5)/361 ≈ 0.402605;
#   η = 4/(√2 + √0.1)² = 4/(2.1 + 2√0.2) = 4/(2.1 + 0.4√5) ≈ 1.335815.
def test_the_bowl_has_mu_one_tenth_and_L_two():
    mu, L = rates.curvatures(SURFACES[BOWL])
    assert mu == pytest.approx(0.1, rel=1e-15) and L == pytest.approx(2.0, rel=1e-15)


def test_closed_forms_for_kappa_20_by_hand():
    forms = rates.closed_forms(20.0)
    assert forms["gd_distance"] == pytest.approx(19 / 21, rel=1e-15)
    assert forms["gd"] == pytest.approx(361 / 441, rel=1e-15)
    assert forms["heavy_ball_distance"] == pytest.approx((21 - 4 * SQRT5) / 19, rel=1e-14)
    assert forms["heavy_ball"] == pytest.approx((521 - 168 * SQRT5) / 361, rel=1e-13)
    # the decimals quoted in the derivation above
    assert [round(forms[k], 6) for k in ("gd_distance", "gd", "heavy_ball_distance", "heavy_ball")] == \
        [0.904762, 0.818594, 0.634512, 0.402605]
    # f − f* is quadratic in the error: its rate is the square of the distance rate
    assert forms["gd"] == pytest.approx(forms["gd_distance"] ** 2, rel=1e-15)
    assert forms["heavy_ball"] == pytest.approx(forms["heavy_ball_distance"] ** 2, rel=1e-15)


def test_optimal_settings_for_kappa_20_by_hand():
    assert rates.optimal_gd(0.1, 2.0)["lr"] == pytest.approx(20 / 21, rel=1e-15)
    heavy_ball = rates.optimal_heavy_ball(0.1, 2.0)
    assert heavy_ball["lr"] == pytest.approx(4 / (2.1 + 0.4 * SQRT5), rel=1e-14)
    assert round(heavy_ball["lr"], 6) == 1.335815
    assert heavy_ball["momentum"] == pytest.approx((521 - 168 * SQRT5) / 361, rel=1e-13)


def test_the_spectral_radius_gives_the_closed_forms():
    mu, L = 0.1, 2.0
    forms = rates.closed_forms(L / mu)
    assert rates.predicted_rate("sgd", rates.optimal_gd(mu, L), (mu, L)) == pytest.approx(forms["gd"], rel=1e-14)
    # eigenvalues of a defective matrix are found only to about √eps: 1e-7 is what can be asked
    assert rates.predicted_rate("momentum", rates.optimal_heavy_ball(mu, L), (mu, L)) == \
        pytest.approx(forms["heavy_ball"], rel=1e-7)


def test_polyaks_optimum_puts_double_roots_at_both_ends_of_the_spectrum():
    """z² − (1 + β − ηλ)z + β has discriminant 0 at λ = μ (root +√β) and λ = L (root −√β)."""
    mu, L = 0.1, 2.0
    hp = rates.optimal_heavy_ball(mu, L)
    beta = hp["momentum"]
    for curvature, root in ((mu, math.sqrt(beta)), (L, -math.sqrt(beta))):
        a = 1 + beta - hp["lr"] * curvature
        assert a * a - 4 * beta == pytest.approx(0.0, abs=1e-14)
        assert a / 2 == pytest.approx(root, rel=1e-14)
        # defective: one eigenvalue, but M − zI is not zero (a Jordan block, hence the t prefactor)
        matrix = rates.iteration_matrix("momentum", hp, curvature)
        assert np.abs(matrix - root * np.eye(2)).max() > 0.5


@pytest.mark.parametrize("name, hparams", [
    ("sgd", {"lr": 0.95}), ("momentum", {"lr": 0.1, "momentum": 0.9}), ("momentum", {"lr": 1.3, "momentum": 0.4}),
])
def test_the_iteration_matrices_are_the_sites_optimizers(name, hparams):
    """The theory's linear maps reproduce the site's SGD and Momentum step by step on the
    bowl, coordinate by coordinate (each is an eigen-direction); Momentum starts at rest."""
    surface, start, steps = SURFACES[BOWL], np.array([-7.0, 2.0]), 30
    points = run(make(name, **hparams), surface, start, steps).points
    for axis, curvature in enumerate((0.1, 2.0)):
        matrix = rates.iteration_matrix(name, hparams, curvature)
        state = np.full(len(matrix), start[axis])  # (e_0) or (e_0, e_−1 = e_0)
        for t in range(1, steps + 1):
            state = matrix @ state
            assert state[0] == pytest.approx(points[t, axis], rel=1e-9, abs=1e-12)


# --- measured against predicted -----------------------------------------------------------
@pytest.fixture(scope="module")
def measured():
    entry = load(ROOT / "build_assets" / "experiments.yml").surfaces[BOWL]
    seed = {n: entry.seed[n] for n in rates.HAND_PICKED}
    return {row["key"]: row for row in rates.measure(BOWL, entry.start, rates.STEPS, seed)}


def test_gradient_descent_at_the_optimal_step_contracts_by_exactly_the_predicted_rate(measured):
    # both error components shrink by ±19/21 every step, so f − f* is f0·(19/21)^(2t) up to rounding
    row = measured["gd"]
    assert row["predicted"] == pytest.approx(rates.closed_forms(20.0)["gd"], rel=1e-12)
    assert row["measured"] == pytest.approx(row["predicted"], rel=1e-9)


def test_heavy_ball_at_polyaks_optimum_has_the_predicted_late_slope(measured):
    """f − f* ~ t²·β^t: the fitted rate exceeds β by the t² prefactor's share (about 2/t over
    the window, +0.7 % for steps 200–400) and by nothing else (0.05 %); within 1 % of β."""
    row = measured["heavy_ball"]
    predicted, factor = rates.closed_forms(20.0)["heavy_ball"], rates.prefactor_factor(rates.STEPS)
    assert row["predicted"] == pytest.approx(predicted, rel=1e-7)
    assert 1.004 < factor < 1.01
    assert row["measured"] > predicted
    assert row["measured"] == pytest.approx(predicted * factor, rel=5e-4)
    assert row["measured"] == pytest.approx(predicted, rel=0.01)
    # and it is the heavy-ball rate, far from gradient descent's
    assert row["measured"] < 0.6 * measured["gd"]["measured"]


def test_the_hand_picked_runs_follow_their_predicted_rates(measured):
    # SGD lr 0.95: factors 0.905 and −0.9, rate 0.905² = 0.819025. Momentum lr 0.1, momentum 0.9:
    # complex roots of modulus √0.9 for both curvatures, rate 0.9 (f − f* oscillates around it).
    assert measured["seed.sgd"]["predicted"] == pytest.approx(0.905**2, rel=1e-12)
    assert measured["seed.momentum"]["predicted"] == pytest.approx(0.9, rel=1e-9)
    for key in ("seed.sgd", "seed.momentum"):
        assert measured[key]["measured"] == pytest.approx(measured[key]["predicted"], rel=0.01), key


def test_the_bowl_pages_claims_about_the_hand_picked_momentum(measured):
    """ill_conditioned_bowl.md: the hand-picked Momentum "has complex roots of modulus √β at both
    curvatures" and "momentum this high is slower than gradient descent at its best step"."""
    row = measured["seed.momentum"]
    beta = row["hparams"]["momentum"]
    for curvature in rates.curvatures(SURFACES[BOWL]):
        roots = np.linalg.eigvals(rates.iteration_matrix("momentum", row["hparams"], curvature))
        assert np.all(np.abs(roots.imag) > 1e-3)
        np.testing.assert_allclose(np.abs(roots), math.sqrt(beta), rtol=1e-12)
    assert row["predicted"] > measured["gd"]["predicted"] and row["measured"] > measured["gd"]["measured"]


@pytest.mark.parametrize("sgd, momentum", [
    ({"lr": 0.5}, {"lr": 0.5, "momentum": 0.5}), ({"lr": 0.99}, {"lr": 1.0, "momentum": 0.5}),
    ({"lr": 0.2}, {"lr": 0.3, "momentum": 0.7}), ({"lr": 0.8}, {"lr": 1.5, "momentum": 0.6}),
])
def test_predictions_hold_away_from_the_optimum(sgd, momentum):
    rows = rates.measure(BOWL, (-7.0, 2.0), rates.STEPS, {"sgd": sgd, "momentum": momentum})
    for row in rows[2:]:
        assert row["measured"] == pytest.approx(row["predicted"], rel=0.01), row["hparams"]


def test_the_fit_is_a_least_squares_slope():
    t = np.arange(50, dtype=np.float64)
    assert rates.fitted_slope(3.0 * 0.7**t, 10, 40) == pytest.approx(math.log(0.7), rel=1e-12)
    assert rates.window(400) == (200, 400)


# --- the task's outputs ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def task_outputs(tmp_path_factory):
    entry = load(ROOT / "build_assets" / "experiments.yml").surfaces[BOWL]
    seed = {n: entry.seed[n] for n in rates.HAND_PICKED}
    dirs = [tmp_path_factory.mktemp(f"rates{i}") for i in range(2)]
    for out in dirs:
        rates.rates(out, BOWL, list(entry.start), rates.STEPS, seed)
    return dirs


def test_the_task_writes_its_outputs_deterministically(task_outputs):
    first, second = task_outputs
    for name in rates.outputs(BOWL):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    with Image.open(first / rates.FIGURE.format(surface=BOWL)) as image:
        image.verify()
    table = (first / rates.TABLE.format(surface=BOWL)).read_text()
    assert table.endswith("\n") and len(table.splitlines()) == 2 + 4


def test_the_facts_are_the_measured_numbers(task_outputs, measured):
    from build_assets.experiment import fmt

    facts = json.loads((task_outputs[0] / rates.FACTS.format(surface=BOWL)).read_text())
    base = f"{BOWL}.rates"
    assert facts[f"{base}.kappa"] == "20"
    for key, row in measured.items():
        assert facts[f"{base}.{key}.predicted"] == fmt(row["predicted"], 4)
        assert facts[f"{base}.{key}.measured"] == fmt(row["measured"], 4)
    assert facts[f"{base}.gd.predicted"] == "0.8186" and facts[f"{base}.heavy_ball.predicted"] == "0.4026"


def test_the_bowl_page_quotes_only_facts_the_task_writes(task_outputs):
    facts = json.loads((task_outputs[0] / rates.FACTS.format(surface=BOWL)).read_text())
    page = (ROOT / "docs" / "surfaces" / f"{BOWL}.md").read_text()
    used = set(re.findall(r"\{\{\s*(" + re.escape(BOWL) + r"\.rates\.[A-Za-z0-9_.\-]+)\s*\}\}", page))
    assert {f"{BOWL}.rates.{k}.{f}" for k in ("gd", "heavy_ball") for f in ("predicted", "measured")} <= used
    assert used <= set(facts)
    fill_facts("".join(f"{{{{ {key} }}}}" for key in used), facts, "surfaces/ill_conditioned_bowl.md")
