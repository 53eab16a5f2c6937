"""The content-hash cache: which outputs are up to date.

A task's key hashes its parameters (its slice of the experiments file), the
source of the code that makes it and the versions of the libraries involved.
The manifest (``<out>/.manifest.json``) records, per output file, the key it
was made with and its size; it is rewritten atomically after every finished
task, so it never lists a file that was not fully written.
"""
from __future__ import annotations

import hashlib
import json
import platform
from functools import cache
from importlib import metadata
from pathlib import Path

from .atomic import write_text_atomic

ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = ("numpy", "matplotlib", "pillow", "pyyaml")


def _file_hash(path: Path) -> str:
    stat = path.stat()  # keyed on the file's state: edits are seen in a long-lived process
    return _content_hash(path, stat.st_mtime_ns, stat.st_size)


@cache
def _content_hash(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _versions() -> str:
    return ";".join([platform.python_version()] + [f"{n}={metadata.version(n)}" for n in LIBRARIES])


def code_hash(patterns: tuple[str, ...]) -> str:
    """Hash of the source files matching ``patterns`` (globs relative to the repository)."""
    files = sorted({p for pattern in patterns for p in ROOT.glob(pattern) if p.is_file()})
    digest = hashlib.sha256()
    for path in files:
        digest.update(f"{path.relative_to(ROOT)}:{_file_hash(path)}\n".encode())
    return digest.hexdigest()


def task_key(kind: str, params: dict, code: tuple[str, ...]) -> str:
    blob = json.dumps({"kind": kind, "params": params, "code": code_hash(code), "versions": _versions()},
                      sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


class Manifest:
    """Output path (relative to the output directory) -> the key and size it was made with."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / ".manifest.json"
        self.out_dir = out_dir
        try:
            entries = json.loads(self.path.read_text())
        except (OSError, ValueError):
            entries = {}
        if not isinstance(entries, dict):  # valid JSON, but not a manifest: start afresh
            entries = {}
        self.entries: dict[str, dict] = {
            output: entry for output, entry in entries.items()
            if isinstance(entry, dict) and isinstance(entry.get("key"), str) and isinstance(entry.get("size"), int)
        }

    def is_fresh(self, outputs: tuple[str, ...], key: str) -> bool:
        for output in outputs:
            entry = self.entries.get(output)
            file = self.out_dir / output
            if entry is None or entry["key"] != key or not file.is_file() or file.stat().st_size != entry["size"]:
                return False
        return True

    def record(self, outputs: tuple[str, ...], key: str) -> None:
        for output in outputs:
            self.entries[output] = {"key": key, "size": (self.out_dir / output).stat().st_size}
        self._save()

    def forget(self, outputs: tuple[str, ...]) -> None:
        """Drop the entries of outputs about to be rebuilt, on disk too: an interrupted
        build must not leave an entry describing a file it has since replaced."""
        if [output for output in outputs if self.entries.pop(output, None) is not None]:
            self._save()

    def _save(self) -> None:
        write_text_atomic(self.path, json.dumps(self.entries, indent=1, sort_keys=True))
