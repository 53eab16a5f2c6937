"""Helpers of the figure-pipeline tests: the tiny experiments, builds, file snapshots.

Builds are kept small: a tiny experiments file (saddle: 3 optimizers, 300 steps, so that
SGD escapes at step 236 and the animation hits the 150-frame cap; cubic: 2 optimizers,
40 steps, momentum diverging; a 5-point learning-rate grid; a one-figure set).
The session fixtures are in ``conftest.py``.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from build_assets import cli  # noqa: E402
from build_assets.config import load  # noqa: E402
from build_assets.tasks import plan  # noqa: E402

TINY = {
    "surfaces": {
        "saddle": {
            "start": [1.0e-5, 0.5],
            "steps": 300,
            "seed": {
                "sgd": {"lr": 0.05},
                "nesterov": {"lr": 0.01, "momentum": 0.9},
                "adam": {"lr": 0.05, "beta1": 0.9, "beta2": 0.99, "eps": 1.0e-7},
            },
        },
        "cubic": {
            "start": [2, 3],
            "steps": 40,
            "seed": {
                "sgd": {"lr": 0.01},
                "momentum": {"lr": 0.01, "momentum": 0.9},
            },
        },
    },
    "tuning": {
        "lr": {"min": 1.0e-3, "max": 1.0, "count": 5},
        "grids": {"momentum": {"momentum": [0.5, 0.9]}},
    },
    "sets": {
        "mini": {
            "title": "Mini set",
            "optimizers": ["sgd", "adam"],
            "colours": {"sgd": "#000000"},
            "figures": [{"surface": "saddle", "setting": "seed", "view": "contour"}],
        },
    },
}

HIDDEN = (".lock", ".manifest.json")
SOURCES = ("optimizers/**/*.py", "build_assets/**/*.py")
_BUILT_WITH: dict[str, str] = {}  # output directory -> source_digest() when it was built


def source_digest() -> str:
    """A fresh hash of the code the assets are made from (not cached, unlike the build's)."""
    digest = hashlib.sha256()
    for path in sorted({p for pattern in SOURCES for p in ROOT.glob(pattern) if p.is_file()}):
        digest.update(f"{path.relative_to(ROOT)}:{hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return digest.hexdigest()


def note_sources(out: Path) -> None:
    _BUILT_WITH[str(out)] = source_digest()


def skip_if_sources_changed(out: Path) -> None:
    """Comparing a new process's build with ``out`` only makes sense if nobody has edited the
    code since ``out`` was built (as happens while the renderers are being worked on)."""
    import pytest

    if _BUILT_WITH.get(str(out)) != source_digest():
        pytest.skip("optimizers/ or build_assets/ changed since the reference build")


def write_experiments(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def build(out: Path, experiments: Path, *extra: str) -> int:
    """An in-process build (quiet unless ``extra`` says otherwise); returns the exit status."""
    return cli.main(["--experiments", str(experiments), "--out", str(out), *extra])


def run_cli(*args: str, timeout: float = 300, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``python -m build_assets ARGS`` in a subprocess (from the repository root by default)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "build_assets", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def files(out: Path) -> list[str]:
    """Every file under ``out`` (relative, sorted), hidden ones included."""
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


def outputs(out: Path) -> list[str]:
    """The visible output files (no lock, manifest or temporaries)."""
    return [f for f in files(out) if not Path(f).name.startswith(".")]


def digests(out: Path) -> dict[str, str]:
    return {f: hashlib.sha256((out / f).read_bytes()).hexdigest() for f in files(out)}


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) per file but the lock: an atomic rewrite replaces the inode."""
    result = {}
    for f in files(out):
        if f == ".lock":
            continue
        st = os.stat(out / f)
        result[f] = (st.st_ino, st.st_mtime_ns)
    return result


def changed(before: dict, after: dict) -> set[str]:
    return {f for f in after if before.get(f) != after[f]}


def planned_outputs(experiments: Path, only: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    """Task name -> its outputs, from the build plan (the list of assets is not hard-coded)."""
    return {t.name: t.outputs for t in plan(load(experiments), only)}




def check_complete(out: Path) -> None:
    """Every visible file parses completely and every manifest entry describes a file
    that exists with the recorded size."""
    import json

    from PIL import Image

    for name in outputs(out):
        path = out / name
        if path.suffix in (".png", ".gif"):
            with Image.open(path) as image:
                image.verify()
            with Image.open(path) as image:  # decode every frame: a truncated file fails here
                for frame in range(getattr(image, "n_frames", 1)):
                    image.seek(frame)
                    image.load()
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
            assert text.endswith("\n"), f"{name} is truncated"
    manifest = out / ".manifest.json"
    if manifest.exists():
        entries = json.loads(manifest.read_text())
        for name, entry in entries.items():
            assert (out / name).is_file(), f"the manifest lists {name}, which does not exist"
            assert (out / name).stat().st_size == entry["size"], f"the manifest has the wrong size of {name}"


def temporaries(out: Path) -> list[str]:
    return [f for f in files(out) if Path(f).name.endswith(".tmp")]
