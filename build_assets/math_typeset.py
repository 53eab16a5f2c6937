"""Typeset the pages' math at build time with KaTeX, so that pages ship no math JavaScript.

``pymdownx.arithmatex`` (generic mode) leaves each formula in the HTML as
``<span class="arithmatex">\\( tex \\)</span>`` or ``<div class="arithmatex">\\[ tex \\]</div>``;
raw HTML (a ``<figcaption>`` without ``markdown``) and the table of contents (headings as
plain text) hold ``\\( tex \\)`` as text.  :meth:`Typesetter.typeset_page` does what
KaTeX's auto-render did in the browser: every ``\\( ... \\)`` and ``\\[ ... \\]`` in the
page's text, outside code, scripts and styles, is replaced by KaTeX's HTML + MathML (the
MathML is what screen readers read).

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

# A page as tokens: comments, tags (group "close", "name"; quoted attribute values may
# hold ">") and text.  Text inside SKIPPED elements is never math, like auto-render's
# ignoredTags; nor are attribute values.
TOKEN_RE = re.compile(
    r"""<!--.*?-->|<(?P<close>/?)(?P<name>[A-Za-z][\w-]*)(?:[^>"']|"[^"]*"|'[^']*')*>|[^<]+|<""", re.S)
SKIPPED = frozenset({"code", "pre", "script", "style", "textarea", "title", "option"})
MATH_RE = re.compile(r"\\\((?P<inline>.+?)\\\)|\\\[(?P<display>.+?)\\\]", re.S)

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


def _math_texts(page_html: str) -> Iterable[tuple[int, int]]:
    """(start, end) of each text run outside SKIPPED elements that holds a TeX delimiter."""
    skipped = 0
    for token in TOKEN_RE.finditer(page_html):
        name = (token["name"] or "").lower()
        if name in SKIPPED:
            skipped = max(0, skipped + (-1 if token["close"] else 1))
        elif not name and not skipped and token.group(0)[:1] != "<" and (
                "\\(" in token.group(0) or "\\[" in token.group(0)):
            yield token.span()


def _formula(match: re.Match) -> Formula:
    display = match["display"] is not None
    return html.unescape(match["display"] if display else match["inline"]), display


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
        texts = list(_math_texts(page_html))
        found = [_formula(m) for start, end in texts for m in MATH_RE.finditer(page_html, start, end)]
        typeset = self._typeset_all(found, page)
        out, done = [], 0
        for start, end in texts:
            out.append(page_html[done:start])
            out.append(MATH_RE.sub(lambda m: typeset[_formula(m)], page_html[start:end]))
            done = end
        out.append(page_html[done:])
        return "".join(out)

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
