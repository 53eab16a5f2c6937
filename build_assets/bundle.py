"""Bundle the playground's JavaScript (``playground/``) with esbuild into the docs tree.

esbuild comes from the npm registry (pinned in ``package.json``; ``npm ci``). The bundle,
``docs/assets/vendor/playground/playground.js`` (not committed), inlines the build's export
``docs/assets/generated/playground/atlas.json``, so it is made after the figure pipeline.
It is rebuilt only when an input changed (the sources, the export, the lock file), and
written atomically: a page never loads half a bundle.

    python -m build_assets.bundle      (the MkDocs hook runs it on every build)
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

from .atomic import write_bytes_atomic
from .playground import ATLAS_FILE

ROOT = Path(__file__).resolve().parent.parent
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
ENTRY = ROOT / "playground" / "src" / "page" / "main.js"
GENERATED = ROOT / "docs" / "assets" / "generated"
DEFAULT_DEST = ROOT / "docs" / "assets" / "vendor" / "playground" / "playground.js"
STAMP_SUFFIX = ".stamp"  # ".playground.js.stamp": a dot file, which MkDocs does not publish


class BundleError(RuntimeError):
    """esbuild or an input is missing, or esbuild failed (one line, naming what)."""


def _inputs() -> list[Path]:
    atlas = GENERATED / ATLAS_FILE
    if not atlas.is_file():
        raise BundleError(f"{atlas} not found: run `python -m build_assets` first")
    return sorted((ROOT / "playground" / "src").rglob("*.js")) + [atlas, ROOT / "package-lock.json"]


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(f"{path.relative_to(ROOT)}:{hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return digest.hexdigest()


def bundle(dest: Path = DEFAULT_DEST) -> bool:
    """Bundle into ``dest``; returns False when it was already up to date."""
    if not ESBUILD.exists():
        raise BundleError(f"{ESBUILD} not found: run `npm ci` in {ROOT} first")
    inputs = _inputs()
    key = _digest(inputs)
    stamp = dest.with_name(f".{dest.name}{STAMP_SUFFIX}")
    if dest.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == key:
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".bundle-") as tmp:
        out = Path(tmp) / dest.name
        command = [str(ESBUILD), str(ENTRY), "--bundle", "--format=esm", "--minify", "--target=es2020",
                   "--legal-comments=eof", "--log-level=error", f"--outfile={out}"]
        proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            raise BundleError(f"esbuild failed bundling {ENTRY.relative_to(ROOT)}: {proc.stderr.strip()}")
        write_bytes_atomic(dest, out.read_bytes())
    write_bytes_atomic(stamp, key.encode())
    return True


def main(argv: list[str] | None = None) -> int:
    try:
        changed = bundle()
    except BundleError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"playground bundle {'written to' if changed else 'already up to date in'} {DEFAULT_DEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
