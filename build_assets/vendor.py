"""Copy KaTeX's stylesheet and fonts from ``node_modules`` into the docs tree.

KaTeX is installed from the npm registry (``npm ci``, pinned in ``package.json`` /
``package-lock.json``); it is never committed.  The math is typeset at build time
(:mod:`build_assets.math_typeset`), so pages load no KaTeX JavaScript; they only need what
the typeset HTML is drawn with, copied into ``docs/assets/vendor/katex/`` (gitignored),
where MkDocs picks them up as static files:

* ``katex.min.css`` and ``fonts/*.woff2`` (the CSS finds its fonts in ``fonts/`` next to
  itself; every browser the site targets uses the woff2 variant)
* ``LICENSE`` (KaTeX is MIT-licensed; we redistribute it with the site)

The copy is atomic-ish: files go into a temporary sibling directory that is renamed into
place, so a concurrent ``mkdocs serve`` never sees a half-written tree.  When the
destination already holds exactly these files (same KaTeX version, same content) nothing
is touched, which keeps ``mkdocs serve`` from rebuilding in a loop.

Run ``python -m build_assets.vendor [DEST]`` to do it by hand.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
KATEX_PACKAGE = REPO_ROOT / "node_modules" / "katex"
DEFAULT_DEST = REPO_ROOT / "docs" / "assets" / "vendor" / "katex"
STAMP_NAME = ".vendor-stamp.json"

# Paths relative to node_modules/katex/dist (except LICENSE, relative to the package).
_DIST_FILES = ("katex.min.css",)
_FONT_GLOB = "fonts/*.woff2"


class KatexNotInstalled(FileNotFoundError):
    """node_modules/katex is missing or incomplete."""


def _hint(package_dir: Path) -> str:
    return f"KaTeX not found in {package_dir}: run `npm ci` in {REPO_ROOT} first"


def katex_version(package_dir: Path = KATEX_PACKAGE) -> str:
    """The installed KaTeX's version; KatexNotInstalled if there is none."""
    try:
        return json.loads((package_dir / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError) as exc:
        raise KatexNotInstalled(_hint(package_dir)) from exc


def _sources(package_dir: Path) -> dict[str, Path]:
    """Map destination-relative path -> source file; raise KatexNotInstalled if missing."""
    dist = package_dir / "dist"
    hint = _hint(package_dir)
    if not (package_dir / "package.json").is_file() or not dist.is_dir():
        raise KatexNotInstalled(hint)
    sources: dict[str, Path] = {}
    for rel in _DIST_FILES:
        path = dist / rel
        if not path.is_file():
            raise KatexNotInstalled(f"{hint} (missing {path})")
        sources[rel] = path
    fonts = sorted(dist.glob(_FONT_GLOB))
    if not fonts:
        raise KatexNotInstalled(f"{hint} (no {_FONT_GLOB} in {dist})")
    for font in fonts:
        sources[f"fonts/{font.name}"] = font
    licence = package_dir / "LICENSE"
    if licence.is_file():
        sources["LICENSE"] = licence
    return sources


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(package_dir: Path, sources: dict[str, Path]) -> dict:
    return {
        "katex_version": katex_version(package_dir),
        "files": {rel: _digest(src) for rel, src in sorted(sources.items())},
    }


def _is_up_to_date(dest: Path, manifest: dict) -> bool:
    stamp = dest / STAMP_NAME
    try:
        if json.loads(stamp.read_text(encoding="utf-8")) != manifest:
            return False
    except (OSError, ValueError):
        return False
    # The stamp matches; make sure nobody deleted or edited a file since.
    for rel, digest in manifest["files"].items():
        target = dest / rel
        if not target.is_file() or _digest(target) != digest:
            return False
    return True


def copy_katex(dest_dir: str | os.PathLike | None = None,
               package_dir: str | os.PathLike | None = None) -> bool:
    """Copy KaTeX's stylesheet, fonts and licence into ``dest_dir`` (default ``docs/assets/vendor/katex``).

    Returns True if files were (re)written, False if ``dest_dir`` was already up to date.
    Raises :class:`KatexNotInstalled` (a ``FileNotFoundError``) with a one-line hint to
    run ``npm ci`` when ``node_modules/katex`` is missing.
    """
    dest = Path(dest_dir) if dest_dir is not None else DEFAULT_DEST
    package = Path(package_dir) if package_dir is not None else KATEX_PACKAGE
    sources = _sources(package)
    manifest = _manifest(package, sources)
    if _is_up_to_date(dest, manifest):
        return False

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    try:
        for rel, src in sources.items():
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
        (tmp / STAMP_NAME).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o755)  # mkdtemp makes it 0700; the site must be world-readable.

        old = None
        if dest.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
            try:
                os.rename(dest, old / "x")
            except FileNotFoundError:  # a parallel build moved it first
                pass
        try:
            os.rename(tmp, dest)
        except OSError:
            # Someone else (a parallel build) put a fresh copy in place meanwhile.
            if not _is_up_to_date(dest, manifest):
                raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return True


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) > 1 or (argv and argv[0] in ("-h", "--help")):
        print("usage: python -m build_assets.vendor [DEST_DIR]", file=sys.stderr)
        return 2
    dest = Path(argv[0]) if argv else DEFAULT_DEST
    try:
        changed = copy_katex(dest)
    except KatexNotInstalled as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"KaTeX {'copied to' if changed else 'already up to date in'} {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
