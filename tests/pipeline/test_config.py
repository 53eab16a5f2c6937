"""Validation of the experiments file: every kind of mistake is one line on stderr naming
the file, the entry and the value, exit status 2, and nothing written; and the real
experiments.yml carries the seed material's settings."""
from __future__ import annotations

import copy

import pytest

from build_assets.config import load

from .helpers import ROOT, TINY, run_cli, write_experiments


def _set(path: str, value):
    """A mutation of TINY: set the entry at the dotted ``path`` (list indices as ``[i]``)."""
    def mutate(data):
        *parents, last = path.replace("[", ".[").split(".")
        node = data
        for part in parents:
            node = node[int(part[1:-1])] if part.startswith("[") else node[part]
        if last.startswith("["):
            node[int(last[1:-1])] = value
        else:
            node[last] = value
    return mutate


# id -> (mutation of TINY, or raw file text; strings the error line must contain)
CASES = {
    "yaml-syntax": ("surfaces:\n  cubic: {start: [2, 3\ntuning: {}\n", ["line "]),
    "yaml-tab": ("surfaces:\n\tcubic: {}\n", ["line 2"]),
    "top-level-unknown-key": (_set("colors", {"sgd": "#000000"}), [": colors:", "'colors'"]),
    "top-level-not-a-mapping": ("- just\n- a list\n", ["top level", "['just', 'a list']"]),
    "unknown-surface": (_set("surfaces.moon", {"seed": {"sgd": {"lr": 0.1}}}), ["surfaces.moon", "'moon'"]),
    "unknown-optimizer": (_set("surfaces.cubic.seed.adamw", {"lr": 0.1}),
                          ["surfaces.cubic.seed.adamw", "'adamw'"]),
    "unknown-hyperparameter": (_set("surfaces.cubic.seed.sgd.beta", 0.9),
                               ["surfaces.cubic.seed.sgd.beta:", "'beta'", "0.9"]),
    "lr-zero": (_set("surfaces.cubic.seed.sgd.lr", 0), ["surfaces.cubic.seed.sgd.lr:", "lr=0"]),
    "lr-negative": (_set("surfaces.saddle.seed.adam.lr", -0.05), ["surfaces.saddle.seed.adam.lr:", "lr=-0.05"]),
    "momentum-one": (_set("surfaces.cubic.seed.momentum.momentum", 1.0),
                     ["surfaces.cubic.seed.momentum.momentum:", "momentum=1.0"]),
    "lr-string": (_set("surfaces.cubic.seed.sgd.lr", "fast"), ["surfaces.cubic.seed.sgd.lr", "'fast'"]),
    "lr-bool": (_set("surfaces.cubic.seed.sgd.lr", True), ["surfaces.cubic.seed.sgd.lr", "True"]),
    "start-outside": (_set("surfaces.cubic.start", [5, 0]), ["surfaces.cubic.start", "5"]),
    "start-not-a-pair": (_set("surfaces.cubic.start", [1, 2, 3]), ["surfaces.cubic.start", "[1, 2, 3]"]),
    "steps-zero": (_set("surfaces.cubic.steps", 0), ["surfaces.cubic.steps", "0"]),
    "steps-fraction": (_set("surfaces.cubic.steps", 1.5), ["surfaces.cubic.steps", "1.5"]),
    "steps-string": (_set("surfaces.cubic.steps", "ten"), ["surfaces.cubic.steps", "'ten'"]),
    "surface-unknown-key": (_set("surfaces.cubic.colour", "red"), ["surfaces.cubic.colour", "'colour'"]),
    "set-unknown-optimizer": (_set("sets.mini.optimizers", ["sgd", "adamw"]),
                              ["sets.mini.optimizers", "'adamw'"]),
    "set-bad-colour": (_set("sets.mini.colours.sgd", "blueish"), ["sets.mini.colours.sgd", "'blueish'"]),
    "set-short-hex-colour": (_set("sets.mini.colours.sgd", "#000"), ["sets.mini.colours.sgd", "'#000'"]),
    "set-unknown-view": (_set("sets.mini.figures[0].view", "side"), ["sets.mini.figures[0].view", "'side'"]),
    "tuning-lr-min-equals-max": (_set("tuning.lr", {"min": 1.0, "max": 1.0, "count": 5}), ["tuning.lr", "1.0"]),
    "tuning-grid-bad-value": (_set("tuning.grids.momentum.momentum", [0.5, 1.0]),
                              ["tuning.grids.momentum.momentum:", "momentum=1.0"]),
    "tuning-lr-min-above-max": (_set("tuning.lr", {"min": 2.0, "max": 0.5, "count": 5}),
                                ["tuning.lr", "2.0", "0.5"]),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_experiments_file_is_one_line_exit_2_and_writes_nothing(case, tmp_path):
    mutation, expected = CASES[case]
    bad = tmp_path / "bad.yml"
    if isinstance(mutation, str):
        bad.write_text(mutation, encoding="utf-8")
    else:
        data = copy.deepcopy(TINY)
        mutation(data)
        write_experiments(bad, data)
    out = tmp_path / "out"

    result = run_cli("--experiments", str(bad), "--out", str(out), "--jobs", "1", timeout=60)

    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{result.stderr}"
    line = lines[0]
    assert str(bad) in line, line
    for text in expected:
        assert text in line, f"{text!r} missing from: {line}"
    assert "Traceback" not in line
    assert result.stdout == ""
    assert not out.exists() or not any(out.iterdir()), "a rejected file must not write anything"


def test_bad_file_leaves_an_existing_output_directory_untouched(tmp_path):
    bad = write_experiments(tmp_path / "bad.yml", {**copy.deepcopy(TINY), "extra": 1})
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli("--experiments", str(bad), "--out", str(out), timeout=60)
    assert result.returncode == 2
    assert list(out.iterdir()) == []


def test_missing_experiments_file(tmp_path):
    missing = tmp_path / "nope.yml"
    result = run_cli("--experiments", str(missing), "--out", str(tmp_path / "out"), timeout=60)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and str(missing) in result.stderr
    assert not (tmp_path / "out").exists()


def test_unknown_only_surface_is_rejected_before_writing(tmp_path, tiny_experiments):
    out = tmp_path / "out"
    result = run_cli("--experiments", str(tiny_experiments), "--out", str(out), "--only", "rosenbrock",
                     timeout=60)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "rosenbrock" in result.stderr
    assert not out.exists()


def test_tiny_experiments_are_valid(tiny_experiments):
    exp = load(tiny_experiments)
    assert list(exp.surfaces) == ["saddle", "cubic"]
    assert len(exp.tuning.lrs) == 5


# --------------------------------------------------------------------------
# The real experiments.yml: the seed material's settings, exactly
# --------------------------------------------------------------------------

SEED = {
    "cubic": {
        "start": (2, 3), "steps": 150,
        "seed": {
            "sgd": {"lr": 0.01},
            "adagrad": {"lr": 0.5, "eps": 1e-7},
            "rmsprop": {"lr": 0.1, "beta": 0.9, "eps": 1e-7},
            "momentum": {"lr": 0.01, "momentum": 0.9},
            "adam": {"lr": 0.1, "beta1": 0.9, "beta2": 0.99, "eps": 1e-7},
            "nesterov": {"lr": 0.01, "momentum": 0.9},
        },
    },
    "ill_conditioned_bowl": {
        "start": (-7, 2), "steps": 100,
        "seed": {
            "sgd": {"lr": 0.95},
            "adagrad": {"lr": 1.5, "eps": 1e-7},
            "rmsprop": {"lr": 0.05, "eps": 1e-7},
            "momentum": {"lr": 0.1, "momentum": 0.9},
            "adam": {"lr": 0.3, "beta1": 0.9, "beta2": 0.99, "eps": 1e-7},
        },
    },
    "saddle": {
        "start": (1e-5, 0.5), "steps": 500,
        "seed": {
            "sgd": {"lr": 0.05},
            "adagrad": {"lr": 0.05, "eps": 1e-7},
            "rmsprop": {"lr": 0.05, "eps": 1e-7},
            "momentum": {"lr": 0.05, "momentum": 0.9},
            "adam": {"lr": 0.05, "eps": 1e-7},
            "nesterov": {"lr": 0.01, "momentum": 0.9},
        },
    },
}


@pytest.fixture(scope="module")
def real():
    return load(ROOT / "build_assets" / "experiments.yml")


@pytest.mark.parametrize("surface", SEED)
def test_real_file_has_the_seed_settings(real, surface):
    expected = SEED[surface]
    entry = real.surfaces[surface]
    assert entry.start == expected["start"]
    assert entry.steps == expected["steps"]
    for name, hparams in expected["seed"].items():
        assert name in entry.seed, f"{surface}: {name} missing"
        for key, value in hparams.items():
            assert entry.seed[name].get(key) == value, f"{surface}.seed.{name}.{key}"


def test_real_file_eps_is_1e_7_for_the_seed_adaptive_optimizers(real):
    for surface in SEED:
        for name in ("adagrad", "rmsprop", "adam"):
            assert real.surfaces[surface].seed[name]["eps"] == 1e-7, f"{surface}.{name}"


def test_real_file_cs231n_set(real):
    cs = real.sets["cs231n"]
    assert set(cs.optimizers) == {"sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam"}
    assert len(cs.optimizers) == 7
    colours = {name: colour.lower() for name, colour in cs.colours.items()}
    assert colours["rmsprop"] == "#000000"  # black
    r, g, b = (int(colours["adagrad"][i:i + 2], 16) for i in (1, 3, 5))
    assert b > 150 and b > 1.5 * max(r, g), f"adagrad should be blue: {colours['adagrad']}"
    r, g, b = (int(colours["momentum"][i:i + 2], 16) for i in (1, 3, 5))
    assert g > 120 and g > 1.5 * max(r, b), f"momentum should be green: {colours['momentum']}"
    assert cs.figures, "the set has figures"
