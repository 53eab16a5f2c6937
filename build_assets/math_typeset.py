"""Typeset the pages' math at build time with KaTeX, so that pages ship no math JavaScript.

``pymdownx.arithmatex`` (generic mode) leaves each formula in the HTML as
``<span class="arithmatex">\\( tex \\)</span>`` or ``<div class="arithmatex">\\[ tex \\]</div>``;
:meth:`Typesetter.typeset_page` replaces the delimited TeX by KaTeX's HTML + MathML (the
MathML is what screen readers read).  Headings with math also put ``\\( tex \\)`` as plain
text into the table of contents' links; those are typeset too.

KaTeX runs in Node (``build_assets/katex_render.cjs``, KaTeX from ``node_modules``): one
process per build, started at the first formula missing from the cache, fed a page's
formulas at a time.  The cache (a JSON file, key -> HTML) is content-keyed: a key hashes
the KaTeX version, the renderer script, display mode and the TeX, so a warm build starts
no process at all.  It is written atomically at the end of a build and then holds exactly
the formulas that build used.

A formula KaTeX cannot parse raises :class:`MathError`, whose one-line message names the
page and the formula.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
from pathlib import Path
from typing import Callable, Iterable

from .atomic import write_text_atomic
from .vendor import KATEX_PACKAGE, katex_version

RENDERER = Path(__file__).resolve().with_name("katex_render.cjs")

# What arithmatex writes (its TeX is HTML-escaped), and inline math left as text in
# Material's navigation links (the table of contents repeats headings as plain text).
FORMULA_RE = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?P<open>\\[(\[])(?P<tex>.*?)\\[)\]]</(?P=tag)>', re.S)
NAV_LABEL_RE = re.compile(r'(<span class="md-ellipsis">)(?P<label>[^<]*\\\([^<]*)(</span>)')
NAV_MATH_RE = re.compile(r"\\\((?P<tex>.+?)\\\)", re.S)

Formula = tuple[str, bool]  # (TeX, display mode)
Render = Callable[[list[Formula]], list[dict]]  # -> [{"html": ...} | {"error": ...}]


class MathError(ValueError):
    """KaTeX cannot typeset a formula of a page."""

    def __init__(self, page: str, tex: str, display: bool, message: str):
        shown = " ".join(tex.split())
        delimiters = ("\\[", "\\]") if display else ("\\(", "\\)")
        super().__init__(f"{page}: KaTeX cannot typeset {delimiters[0]} {shown} {delimiters[1]}: {message}")


class KatexProcess:
    """A Node process running katex_render.cjs: a list of formulas in, their HTML out."""

    def __init__(self, node: str = "node"):
        try:
            self._proc = subprocess.Popen(
                [node, str(RENDERER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                text=True, encoding="utf-8", cwd=RENDERER.parent)
        except FileNotFoundError as exc:
            raise RuntimeError(f"'{node}' not found: the math is typeset with KaTeX in Node.js "
                               "(install Node.js and run `npm ci`)") from exc

    def __call__(self, formulas: list[Formula]) -> list[dict]:
        self._proc.stdin.write(json.dumps([{"tex": t, "display": d} for t, d in formulas]) + "\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError(f"{RENDERER.name} exited with {self._proc.wait()} (is KaTeX installed? `npm ci`)")
        return json.loads(line)

    def close(self) -> None:
        self._proc.stdin.close()
        self._proc.wait()


def renderer_fingerprint(package_dir: Path = KATEX_PACKAGE) -> str:
    """What the typeset HTML depends on besides the formula: KaTeX's version and our script."""
    script = hashlib.sha256(RENDERER.read_bytes()).hexdigest()[:16]
    return f"katex-{katex_version(package_dir)}-{script}"


def formula_key(fingerprint: str, tex: str, display: bool) -> str:
    blob = json.dumps([fingerprint, display, tex])
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


class Typesetter:
    """Typesets pages, from the cache where it can; one per build (see module docstring)."""

    def __init__(self, cache_file: Path, fingerprint: str, start_renderer: Callable[[], Render]):
        self.cache_file = cache_file
        self.fingerprint = fingerprint
        self._start_renderer = start_renderer
        self._renderer: Render | None = None
        self._cached = self._load()
        self._loaded = set(self._cached)
        self._used: dict[str, str] = {}
        self.rendered = 0  # formulas KaTeX typeset in this build (the rest came from the cache)

    def _load(self) -> dict[str, str]:
        try:
            entries = json.loads(self.cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return entries if isinstance(entries, dict) else {}

    def typeset_page(self, page_html: str, page: str) -> str:
        """``page_html`` with every formula typeset; MathError names the first bad one."""
        found = [(html.unescape(m["tex"]), m["open"] == "\\[") for m in FORMULA_RE.finditer(page_html)]
        found += [(html.unescape(tex), False) for tex in self._nav_formulas(page_html)]
        typeset = self._typeset_all(found, page)
        page_html = FORMULA_RE.sub(
            lambda m: '<{0} class="arithmatex">{1}</{0}>'.format(
                m["tag"], typeset[(html.unescape(m["tex"]), m["open"] == "\\[")]), page_html)

        def nav_label(m: re.Match) -> str:
            label = NAV_MATH_RE.sub(lambda f: typeset[(html.unescape(f["tex"]), False)], m["label"])
            return m.group(1) + label + m.group(3)

        return NAV_LABEL_RE.sub(nav_label, page_html)

    @staticmethod
    def _nav_formulas(page_html: str) -> Iterable[str]:
        for label in NAV_LABEL_RE.finditer(page_html):
            yield from (m["tex"] for m in NAV_MATH_RE.finditer(label["label"]))

    def _typeset_all(self, formulas: list[Formula], page: str) -> dict[Formula, str]:
        keys = {f: formula_key(self.fingerprint, *f) for f in dict.fromkeys(formulas)}
        missing = [f for f, key in keys.items() if key not in self._cached]
        if missing:
            if self._renderer is None:
                self._renderer = self._start_renderer()
            for (tex, display), result in zip(missing, self._renderer(missing), strict=True):
                if "error" in result:
                    raise MathError(page, tex, display, result["error"])
                self._cached[keys[tex, display]] = result["html"]
            self.rendered += len(missing)
        for key in keys.values():
            self._used[key] = self._cached[key]
        return {f: self._cached[key] for f, key in keys.items()}

    def finish(self, save: bool = True) -> None:
        """Stop the renderer; with ``save``, write the cache as this build used it."""
        if self._renderer is not None and hasattr(self._renderer, "close"):
            self._renderer.close()
        self._renderer = None
        if save and (self.rendered or set(self._used) != self._loaded):
            write_text_atomic(self.cache_file, json.dumps(self._used, sort_keys=True, indent=0) + "\n")
