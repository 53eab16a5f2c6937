"""Fixtures of the figure-pipeline tests: ``tiny_build`` is built once per session,
in-process, from the tiny experiments of :mod:`.helpers`; tests that modify a build work
on a copy of it (``build_copy``)."""
from __future__ import annotations

import functools
import importlib
import pkgutil
import shutil
from pathlib import Path

import pytest

from .helpers import TINY, build, note_sources, write_experiments


@pytest.fixture(scope="session", autouse=True)
def frozen_code_hashes():
    """In this process, hash each set of source files once: the in-process builds then see
    the same code for the whole session even while the renderers are being edited (a new
    file under build_assets/render/ would otherwise change every drawing task's key)."""
    from build_assets import cache

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "code_hash", functools.cache(cache.code_hash))
        yield


@pytest.fixture(scope="session")
def tiny_experiments(tmp_path_factory) -> Path:
    return write_experiments(tmp_path_factory.mktemp("experiments") / "tiny.yml", TINY)


@pytest.fixture(scope="session")
def tiny_build(tmp_path_factory, tiny_experiments) -> Path:
    """A clean build of the tiny experiments (do not modify: copy it with ``build_copy``)."""
    # Import the renderers before forking workers, so that every build of this session
    # draws with the same code the cache keys were computed from.
    import build_assets.figures  # noqa: F401
    import build_assets.render

    for module in pkgutil.iter_modules(build_assets.render.__path__, "build_assets.render."):
        importlib.import_module(module.name)

    out = tmp_path_factory.mktemp("tiny_build") / "out"
    note_sources(out)
    assert build(out, tiny_experiments, "--quiet") == 0
    return out


@pytest.fixture
def build_copy(tiny_build, tmp_path) -> Path:
    """A private copy of the session build."""
    out = tmp_path / "out"
    shutil.copytree(tiny_build, out)
    return out
