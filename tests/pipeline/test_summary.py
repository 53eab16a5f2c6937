"""facts.json and the Markdown tables agree with the metrics JSON of every setting."""
from __future__ import annotations

import json
import math

import pytest

from build_assets.experiment import fmt, format_hparams
from build_assets.summary import FACTS_FILE

SETTINGS = ("seed", "tuned")


@pytest.fixture(scope="module")
def facts(tiny_build) -> dict[str, str]:
    return json.loads((tiny_build / FACTS_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def metrics(tiny_build) -> dict[tuple[str, str], dict]:
    return {(surface, setting): json.loads((tiny_build / f"{surface}/{setting}_metrics.json").read_text())
            for surface in ("saddle", "cubic") for setting in SETTINGS}


def test_fact_keys_exist(facts):
    for key in ("saddle.seed.sgd.steps_to_target", "saddle.seed.adam.final_loss", "cubic.seed.momentum.diverged_at",
                "saddle.start", "saddle.steps", "cubic.tuned.sgd.hparams", "saddle.seed.sgd.escape_predicted",
                "saddle.seed.sgd.escape_measured"):
        assert key in facts, key
    assert all(isinstance(v, str) for v in facts.values())


def test_facts_agree_with_the_metrics(facts, metrics):
    for (surface, setting), summary in metrics.items():
        assert facts[f"{surface}.steps"] == str(summary["steps"])
        for name, row in summary["optimizers"].items():
            base = f"{surface}.{setting}.{name}"
            for field in ("steps_to_target", "diverged_at", "left_plot_at"):
                assert facts[f"{base}.{field}"] == ("never" if row[field] is None else str(row[field])), \
                    f"{base}.{field}"
            assert facts[f"{base}.final_loss"] == fmt(row["final_loss"])
            assert facts[f"{base}.hparams"] == format_hparams(row["hparams"])
            for hp, value in row["hparams"].items():
                assert facts[f"{base}.{hp}"] == fmt(value)


def test_seed_hyperparameters_are_the_experiment_file_ones(metrics):
    assert metrics["saddle", "seed"]["optimizers"]["sgd"]["hparams"] == {"lr": 0.05}
    assert metrics["cubic", "seed"]["optimizers"]["momentum"]["hparams"] == {"lr": 0.01, "momentum": 0.9}


def test_sgd_saddle_escape_step_predicted_equals_measured(facts, metrics):
    # x1 grows by (1 + lr) a step from 1e-5: |x1| >= 1 after ceil(ln(1e5) / ln(1.05)) steps.
    predicted = math.ceil(math.log(1e5) / math.log(1.05))
    assert predicted == 236
    assert facts["saddle.seed.sgd.escape_predicted"] == str(predicted)
    assert facts["saddle.seed.sgd.escape_measured"] == str(predicted)
    assert metrics["saddle", "seed"]["optimizers"]["sgd"]["steps_to_target"] == predicted
    assert facts["saddle.seed.sgd.steps_to_target"] == str(predicted)


def _rows(table: str) -> list[str]:
    return [line for line in table.splitlines() if line.startswith("| [")]


def test_setting_tables_have_a_row_per_optimizer(tiny_build, metrics):
    for (surface, setting), summary in metrics.items():
        table = (tiny_build / f"{surface}/{setting}_table.md").read_text(encoding="utf-8")
        lines = table.splitlines()
        assert lines[1].startswith("|---"), "a header row, then the separator"
        rows = _rows(table)
        assert len(rows) == len(summary["optimizers"]) == len(lines) - 2
        columns = lines[0].count("|")
        for name, row in summary["optimizers"].items():
            mine = [r for r in rows if f"(../optimizers/{name}.md)" in r]
            assert len(mine) == 1, (surface, setting, name)
            assert mine[0].count("|") == columns
            steps = "—" if row["steps_to_target"] is None else str(row["steps_to_target"])
            assert f"| {steps} |" in mine[0]


def test_verdict_tables_have_a_row_per_optimizer(tiny_build, metrics):
    for setting in SETTINGS:
        table = (tiny_build / f"summary/verdict_{setting}.md").read_text(encoding="utf-8")
        names = {name for (_, s), summary in metrics.items() if s == setting for name in summary["optimizers"]}
        rows = _rows(table)
        assert len(rows) == len(names)
        for name in names:
            assert sum(f"(optimizers/{name}.md)" in r for r in rows) == 1, (setting, name)
        sgd = next(r for r in rows if "(optimizers/sgd.md)" in r)
        if setting == "seed":
            assert "**236**" in sgd
