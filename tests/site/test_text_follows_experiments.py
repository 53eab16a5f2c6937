"""Numbers in the page text come from the build: change an experiment setting in a
temporary copy of experiments.yml and the rendered text of a page follows."""
import json
import math
import re
from pathlib import Path

import pytest
import yaml

from build_assets import experiment, summary
from build_assets.config import load
from build_assets.mkdocs_hook import fill_facts

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "cs231n.md"


def numbers_only_build(experiments: Path, out: Path) -> dict:
    """Tuning and metrics for every surface (no drawing), then the facts."""
    exp = load(experiments)
    for key, entry in exp.surfaces.items():
        experiment.tune(out, key, entry.start, entry.steps, list(entry.seed), exp.tuning.lrs,
                        {n: exp.tuning.grids.get(n, {}) for n in entry.seed}, seed=entry.seed)
        for setting in ("seed", "tuned"):
            experiment.metrics(out, key, setting, entry.start, entry.steps, entry.seed)
    summary.write(out, exp)
    return json.loads((out / summary.FACTS_FILE).read_text())


def escape_sentence(text: str) -> str:
    match = re.search(r"predicts escape at step \*\*(\S+)\*\*; the measured run\s+escapes at step \*\*(\S+)\*\*",
                      text)
    assert match, "the CS231n page no longer states the predicted and measured escape steps"
    return match.group(1), match.group(2)


@pytest.fixture(scope="module")
def texts(tmp_path_factory):
    source = yaml.safe_load((ROOT / "build_assets" / "experiments.yml").read_text())
    page = PAGE.read_text()
    rendered = {}
    for lr in (0.05, 0.1):
        changed = dict(source)
        changed["surfaces"]["saddle"]["seed"]["sgd"]["lr"] = lr
        work = tmp_path_factory.mktemp(f"lr{lr}")
        (work / "experiments.yml").write_text(yaml.safe_dump(changed))
        facts = numbers_only_build(work / "experiments.yml", work / "out")
        rendered[lr] = fill_facts(page, facts, "cs231n.md")
    return rendered


def test_escape_step_in_the_text_follows_the_learning_rate(texts):
    for lr, text in texts.items():
        # SGD multiplies x1 by (1 + lr) a step: |x1| = 1e-5 reaches 1 at step ceil(ln 1e5 / ln(1 + lr)).
        expected = str(math.ceil(math.log(1e5) / math.log(1 + lr)))
        assert escape_sentence(text) == (expected, expected)
    assert escape_sentence(texts[0.05]) != escape_sentence(texts[0.1])


def test_quoted_hyperparameters_follow_the_setting(texts):
    assert "lr 0.05" in texts[0.05] and "lr 0.1" in texts[0.1]
