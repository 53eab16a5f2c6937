"""The pins: each installs on Debian 12's own Python (3.11.2), each build dependency is
used, and the cache key names only pinned libraries."""
from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from build_assets.cache import LIBRARIES

ROOT = Path(__file__).resolve().parents[1]
DEBIAN_12_PYTHON = "3.11.2"  # what `apt-get install python3` gives on Debian 12


def pins(name: str) -> dict[str, str]:
    """``{distribution (lower case): version}`` of the ``name==version`` lines of a file."""
    out = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            dist, version = (part.strip() for part in line.split("==", 1))
            out[dist.lower()] = version
    return out


ALL_PINS = {**pins("requirements.txt"), **pins("requirements-test.txt")}


@pytest.mark.parametrize("dist", sorted(ALL_PINS))
def test_pin_installs_on_debian_12_python(dist):
    version = ALL_PINS[dist]
    try:
        installed = metadata.metadata(dist)
    except metadata.PackageNotFoundError:
        pytest.skip(f"{dist} is not installed here")
    if installed["Version"] != version:
        pytest.skip(f"{dist} {installed['Version']} is installed here, not the pinned {version} "
                    "(`make test` installs the pins into .venv/)")
    requires = installed.get("Requires-Python") or ""
    assert DEBIAN_12_PYTHON in SpecifierSet(requires), (
        f"{dist}=={version} requires Python {requires}: it does not install on Debian 12's "
        f"Python {DEBIAN_12_PYTHON}; pin the newest version that does")


def test_cache_key_names_only_pinned_libraries():
    build = pins("requirements.txt")
    assert set(LIBRARIES) <= set(build), set(LIBRARIES) - set(build)


def test_every_build_dependency_is_used():
    """No build dependency is pinned and unused: each is imported by the project's code,
    or named in mkdocs.yml (theme, plugin, Markdown extension)."""
    sources = "\n".join(p.read_text() for folder in ("optimizers", "build_assets")
                        for p in sorted((ROOT / folder).rglob("*.py")))
    imported = set(re.findall(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", sources, re.M))
    config = (ROOT / "mkdocs.yml").read_text()
    named_in_config = {"mkdocs": "mkdocs", "mkdocs-material": "name: material",
                       "mkdocs-glightbox": "- glightbox", "pymdown-extensions": "pymdownx."}
    modules = metadata.packages_distributions()
    unused = []
    for dist in pins("requirements.txt"):
        if dist in named_in_config and named_in_config[dist] in config:
            continue
        names = {m for m, ds in modules.items() if dist in {d.lower() for d in ds}}
        if not names:
            pytest.skip(f"{dist} is not installed here")
        if not names & imported:
            unused.append(dist)
    assert not unused, f"pinned in requirements.txt but never imported: {unused}"
