"""The rotated bowl's claims, checked over the build's own runs (numbers only, no drawing):
docs/surfaces/rotated_bowl.md, the rotation paragraphs of docs/surfaces/ill_conditioned_bowl.md
and of the AdaGrad, RMSprop and Adam pages."""
from pathlib import Path

import numpy as np
import pytest

from build_assets import experiment
from build_assets.config import load
from build_assets.mkdocs_hook import PLACEHOLDER_RE
from optimizers import SURFACES

ROOT = Path(__file__).resolve().parents[2]
BOWL, ROTATED = "ill_conditioned_bowl", "rotated_bowl"
ROTATION = np.array([[1.0, -1.0], [1.0, 1.0]]) * np.sqrt(0.5)  # by 45°, counter-clockwise
INVARIANT = ("sgd", "momentum", "nesterov", "newton")  # their steps turn with the plane
PAGES = ["surfaces/rotated_bowl.md", "surfaces/ill_conditioned_bowl.md", "optimizers/adagrad.md",
         "optimizers/rmsprop.md", "optimizers/adam.md"]


@pytest.fixture(scope="module")
def facts(build) -> dict:
    """The facts of the real build (tests/site/conftest.py)."""
    return build.facts


def steps(facts, surface, setting, name) -> int | None:
    value = facts[f"{surface}.{setting}.{name}.steps_to_target"]
    return None if value == "never" else int(value)


def test_the_comparison_is_fair_same_settings_same_start():
    exp = load(ROOT / "build_assets" / "experiments.yml")
    bowl, rotated = exp.surfaces[BOWL], exp.surfaces[ROTATED]
    assert rotated.seed == bowl.seed and rotated.steps == bowl.steps
    np.testing.assert_allclose(rotated.start, ROTATION @ np.array(bowl.start), rtol=0, atol=1e-12)


def test_rotation_invariant_methods_run_the_bowls_runs_turned():
    """SGD, Momentum, Nesterov and Newton: each rotated run is the bowl's run turned by 45°
    (to round-off); AdaGrad, RMSprop and Adam's are not."""
    exp = load(ROOT / "build_assets" / "experiments.yml")
    bowl, rotated = exp.surfaces[BOWL], exp.surfaces[ROTATED]
    on_bowl = experiment.run_setting(BOWL, bowl.start, bowl.steps, bowl.seed)
    on_rotated = experiment.run_setting(ROTATED, rotated.start, rotated.steps, rotated.seed)
    for name in INVARIANT:
        turned = on_bowl[name].points @ ROTATION.T
        np.testing.assert_allclose(on_rotated[name].points, turned, rtol=0, atol=1e-9, err_msg=name)
    for name in ("adagrad", "rmsprop", "adam"):
        turned = on_bowl[name].points @ ROTATION.T
        assert np.abs(on_rotated[name].points - turned).max() > 0.1, name


@pytest.mark.parametrize("setting", ["seed", "tuned"])
def test_invariant_methods_take_as_many_steps_on_both(facts, setting):
    # rotated_bowl.md: "SGD, Momentum, Nesterov and Newton take exactly as many steps here as on
    # the bowl, with the hand-picked and with the tuned settings"; the bowl, AdaGrad, RMSprop and
    # Adam pages: SGD / Momentum "need the same number on both"
    for name in INVARIANT:
        assert steps(facts, ROTATED, setting, name) == steps(facts, BOWL, setting, name), name
        assert steps(facts, ROTATED, setting, name) is not None, name


def test_per_coordinate_methods_lose_their_advantage_when_turned(facts):
    # every page: tuned AdaGrad / RMSprop / Adam need more steps on the rotated bowl
    for name in ("adagrad", "rmsprop", "adam"):
        on_bowl, on_rotated = steps(facts, BOWL, "tuned", name), steps(facts, ROTATED, "tuned", name)
        assert on_bowl is not None and on_rotated is not None, name
        assert on_rotated > on_bowl, name
        # and on the bowl they beat SGD: the advantage that is lost
        assert on_bowl < steps(facts, BOWL, "tuned", "sgd"), name
    # rotated_bowl.md and adagrad.md: tuned AdaGrad needs more steps than tuned SGD when turned
    assert steps(facts, ROTATED, "tuned", "adagrad") > steps(facts, ROTATED, "tuned", "sgd")


def test_the_pages_quote_only_facts_of_the_rotated_bowl_that_exist(facts):
    for page in PAGES:
        text = (ROOT / "docs" / page).read_text()
        quoted = {m.group("key") for m in PLACEHOLDER_RE.finditer(text)
                  if not m.group("prefix") and m.group("key").startswith(f"{ROTATED}.")}
        assert quoted, f"{page} no longer quotes the rotated bowl"
        # (the sweeps' and basin maps' facts come from drawing tasks, not built here)
        numbers = {k for k in quoted if k.split(".")[1] not in ("sensitivity", "basins")}
        assert numbers <= set(facts), (page, numbers - set(facts))


def test_adagrads_fast_starts_lie_on_the_eigen_directions():
    """rotated_bowl.md (basins): started on a diagonal, the two coordinates' gradients are
    equal in size at every step and AdaGrad's run stays on that line."""
    from optimizers import make, run

    surface = SURFACES[ROTATED]
    hparams = load(ROOT / "build_assets" / "experiments.yml").surfaces[ROTATED].seed["adagrad"]
    for start in ((-6.0, -6.0), (5.0, -5.0)):
        points = run(make("adagrad", **hparams), surface, start, 100).points
        grads = np.abs(surface.grad(points))
        np.testing.assert_allclose(grads[:, 0], grads[:, 1], rtol=1e-9, atol=1e-300)
        np.testing.assert_allclose(np.abs(points[:, 0]), np.abs(points[:, 1]), rtol=1e-9, atol=1e-12)
