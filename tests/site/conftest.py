"""The build's own numbers, for tests of the claims the pages make.

``build`` runs the figure pipeline once per test session into docs/assets/generated/
(cache-aware, exactly as ``make site`` and the browser tests' site build do, which then
find it up to date) and gives access to what it wrote and to the pages with their
``{{ facts }}`` filled in. A claim test names its page and claim, and asserts the claim
over these runs: change experiments.yml so that a sentence no longer holds, and its test fails.
"""
from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path

import pytest
# The browser fixtures (the built site served locally, Chromium, pages), for every module here.
from served_site import browser, open_page, site  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
GENERATED = DOCS / "assets" / "generated"


class Build:
    def __init__(self, generated: Path):
        self.generated = generated

    @cached_property
    def facts(self) -> dict[str, str]:
        from build_assets.mkdocs_hook import load_all_facts

        return {key: str(value) for key, value in load_all_facts(self.generated).items()}

    def json(self, relative: str) -> dict:
        """A JSON file the build wrote, e.g. ``cubic/seed_metrics.json``."""
        return json.loads((self.generated / relative).read_text(encoding="utf-8"))

    def row(self, surface: str, setting: str, name: str) -> dict:
        """One optimizer's row of a setting's metrics (``build_assets.experiment.summarise``)."""
        return self.json(f"{surface}/{setting}_metrics.json")["optimizers"][name]

    def page(self, relative: str) -> str:
        """A page's Markdown with its facts filled in, e.g. ``optimizers/adam.md``."""
        from build_assets.mkdocs_hook import fill_facts

        return fill_facts((DOCS / relative).read_text(encoding="utf-8"), self.facts, relative)


@pytest.fixture(scope="session")
def build() -> Build:
    from build_assets.cli import main

    assert main(["--quiet"]) == 0, "the figure pipeline failed"
    return Build(GENERATED)
