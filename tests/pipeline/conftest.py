"""Fixtures of the figure-pipeline tests: ``tiny_build`` is built once per session,
in-process, from the tiny experiments of :mod:`.helpers`; tests that modify a build work
on a copy of it (``build_copy``)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .helpers import TINY, build, write_experiments


@pytest.fixture(scope="session")
def tiny_experiments(tmp_path_factory) -> Path:
    return write_experiments(tmp_path_factory.mktemp("experiments") / "tiny.yml", TINY)


@pytest.fixture(scope="session")
def tiny_build(tmp_path_factory, tiny_experiments) -> Path:
    """A clean build of the tiny experiments (do not modify: copy it with ``build_copy``)."""
    # Import the renderers before forking workers, so that every build of this session
    # draws with the same code the cache keys were computed from.
    import build_assets.figures  # noqa: F401
    import build_assets.render.animate  # noqa: F401
    import build_assets.render.loss  # noqa: F401
    import build_assets.render.scene  # noqa: F401

    out = tmp_path_factory.mktemp("tiny_build") / "out"
    assert build(out, tiny_experiments, "--quiet") == 0
    return out


@pytest.fixture
def build_copy(tiny_build, tmp_path) -> Path:
    """A private copy of the session build."""
    out = tmp_path / "out"
    shutil.copytree(tiny_build, out)
    return out
