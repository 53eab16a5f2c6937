"""MkDocs hook for the Optimizer Atlas site (``hooks: [build_assets/mkdocs_hook.py]``).

What it does on every build (``mkdocs build`` and each ``mkdocs serve`` rebuild):

1. ``on_config``: makes ``pymdownx.snippets``' base paths absolute (so ``mkdocs build -f``
   works from any directory).
2. ``on_pre_build``:
   a. copies KaTeX's stylesheet and fonts from ``node_modules/`` into
      ``docs/assets/vendor/katex/`` (:func:`build_assets.vendor.copy_katex`; skipped when
      already up to date), and opens the cache of typeset math;
   b. runs the figure pipeline, cache-aware: ``build_assets.cli.main(["--quiet"])``
      (in ``mkdocs serve``, only again when optimizers/, build_assets/ or
      requirements.txt changed);
   c. loads ``docs/assets/generated/facts.json`` (a flat JSON object, key -> formatted
      string) and merges in the fact fragments that single tasks write, ``*.facts.json``
      under the same directory (e.g. ``ill_conditioned_bowl/rates.facts.json``);
      a key given two different values fails the build;
   d. bundles the playground's JavaScript with esbuild (:mod:`build_assets.bundle`).
3. ``on_page_markdown``: replaces every ``{{ key.path }}`` placeholder in a page with its
   value from facts.json (:func:`fill_facts`).  An unknown key fails the build with an
   error naming the page and the key.  Then gives every run animation an "Explore this
   run" link into the Playground (:mod:`build_assets.explore_links`).
4. ``on_page_content``: gives every generated GIF its still for readers who asked for
   reduced motion (:func:`build_assets.animation_controls.add_stills`), and every figure
   drawn for phones too its phone source (:func:`build_assets.phone_figures.add_phone_sources`).
5. ``on_post_page``: typesets the page's math with KaTeX (:mod:`build_assets.math_typeset`;
   a formula KaTeX cannot parse fails the build, naming the page and the formula), gives
   its images width and height and loads the lightbox late (:mod:`build_assets.page_load`).
6. ``on_post_build``: saves the cache of typeset math (``.cache/katex-math.json`` next to
   ``mkdocs.yml``).

Placeholders: ``{{ adam.rosenbrock.steps }}`` (letters, digits, ``_ . -``; spaces inside
the braces are optional).  ``${{ ... }}`` (GitHub Actions syntax) is never touched, and
``\\{{ key }}`` renders the literal text ``{{ key }}``.

Environment: OPTIMIZER_ATLAS_SKIP_FIGURES=1 skips step 2b (prose-only previews).

The figure build is also a standalone command (``python -m build_assets``); this hook only
calls it so that ``mkdocs serve`` / ``mkdocs build`` are self-contained.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import re
import sys
from pathlib import Path
from typing import Mapping

from mkdocs.exceptions import PluginError

REPO_ROOT = Path(__file__).resolve().parent.parent


def _ensure_repo_on_path() -> None:
    # The `mkdocs` console script does not put the working directory on sys.path, and
    # MkDocs restores sys.path after loading a hook: call this again before each import.
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))


_ensure_repo_on_path()

from build_assets.animation_controls import add_stills  # noqa: E402
from build_assets.bundle import BundleError, bundle  # noqa: E402
from build_assets.cli import EXPERIMENTS  # noqa: E402
from build_assets.config import ConfigError, load  # noqa: E402
from build_assets.explore_links import add_explore_links  # noqa: E402
from build_assets.phone_figures import add_phone_sources  # noqa: E402
from build_assets.math_typeset import (  # noqa: E402
    KatexProcess, MathError, Typesetter, renderer_fingerprint)
from build_assets.page_load import add_image_sizes, defer_lightbox  # noqa: E402
from build_assets.playground import ATLAS_FILE  # noqa: E402
from build_assets.vendor import KatexNotInstalled, copy_katex  # noqa: E402

log = logging.getLogger("mkdocs.hooks.optimizer_atlas")

GENERATED_DIR = Path("assets") / "generated"  # relative to docs_dir
FACTS_FILE = GENERATED_DIR / "facts.json"
KATEX_DIR = Path("assets") / "vendor" / "katex"
MATH_CACHE = Path(".cache") / "katex-math.json"  # relative to the directory of mkdocs.yml

# `\{{ key }}` (escaped), `${{ expr }}` (GitHub Actions) or `{{ key }}` (a fact).
PLACEHOLDER_RE = re.compile(r"(?P<prefix>[\\$]?)\{\{\s*(?P<key>[A-Za-z0-9_.\-]+)\s*\}\}")


class UnknownFactError(LookupError):
    """A page uses a ``{{ key }}`` placeholder that facts.json does not define."""

    def __init__(self, page_name: str, key: str, known: int):
        self.page_name = page_name
        self.key = key
        super().__init__(
            f"{page_name}: unknown fact '{{{{ {key} }}}}' "
            f"(not among the {known} keys of docs/{FACTS_FILE.as_posix()} and its fragments; "
            "is the figure pipeline up to date, or is the key misspelt?)"
        )


def fill_facts(markdown: str, facts: Mapping[str, object], page_name: str) -> str:
    """Return ``markdown`` with each ``{{ key }}`` replaced by ``str(facts[key])``.

    ``page_name`` is only used in the error message.  Raises :class:`UnknownFactError`
    (a ``LookupError``) for the first key that ``facts`` lacks.  ``${{ ... }}`` is left
    alone and ``\\{{ key }}`` becomes the literal ``{{ key }}``.
    """

    def replace(match: re.Match) -> str:
        prefix, key = match.group("prefix"), match.group("key")
        if prefix == "$":
            return match.group(0)
        if prefix == "\\":
            return match.group(0)[1:]
        if key not in facts:
            raise UnknownFactError(page_name, key, len(facts))
        return str(facts[key])

    return PLACEHOLDER_RE.sub(replace, markdown)


def load_facts(path: Path) -> dict[str, object]:
    """Read facts.json; a missing file means no facts (pages using one then fail)."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise PluginError(f"{path}: invalid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise PluginError(f"{path}: expected a JSON object (key -> formatted string)")
    return data


FRAGMENTS = "**/*.facts.json"  # facts written by single tasks, relative to the generated directory


def load_all_facts(generated: Path) -> dict[str, object]:
    """facts.json merged with every fact fragment (``*.facts.json``) under ``generated``.

    A key present in two files must have the same value in both, else PluginError.
    """
    facts = load_facts(generated / "facts.json")
    for path in sorted(generated.glob(FRAGMENTS)):
        for key, value in load_facts(path).items():
            if key in facts and facts[key] != value:
                raise PluginError(f"{path}: fact '{key}' = {value!r} contradicts {facts[key]!r} "
                                  "given elsewhere under the generated directory")
            facts[key] = value
    return facts


SKIP_ENV = "OPTIMIZER_ATLAS_SKIP_FIGURES"


def run_figure_pipeline() -> None:
    """Run the cache-aware figure pipeline, ``build_assets.cli.main(["--quiet"])``.

    Set OPTIMIZER_ATLAS_SKIP_FIGURES=1 to skip it (prose-only previews, hook tests).
    """
    if os.environ.get(SKIP_ENV, "") not in ("", "0"):
        log.info("%s is set: figure pipeline skipped", SKIP_ENV)
        return
    _ensure_repo_on_path()
    cli = importlib.import_module("build_assets.cli")
    try:
        status = cli.main(["--quiet"])
    except SystemExit as exc:  # argparse-style exits
        status = exc.code
    if status not in (None, 0):
        raise PluginError(f"figure pipeline failed (build_assets.cli exited with {status!r})")


# The inputs of the figure pipeline: while they are unchanged, a rebuild in the same
# process (`mkdocs serve` after a prose edit) does not run the pipeline again.  Besides
# saving time this avoids a rebuild loop: `mkdocs serve` rebuilds on any change under docs/.
PIPELINE_INPUTS = ("optimizers", "build_assets", "requirements.txt")


def pipeline_fingerprint(root: Path = REPO_ROOT) -> tuple:
    entries = []
    for name in PIPELINE_INPUTS:
        top = root / name
        paths = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        for path in paths:
            if "__pycache__" in path.parts or not path.is_file():
                continue
            stat = path.stat()
            entries.append((path.relative_to(root).as_posix(), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


_state: dict[str, object] = {"facts": {}, "pipeline_fingerprint": None, "typesetter": None}


def on_config(config, **kwargs):
    root = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
    snippets = config.mdx_configs.get("pymdownx.snippets")
    if snippets and snippets.get("base_path"):
        base = snippets["base_path"]
        base = [base] if isinstance(base, str) else list(base)
        snippets["base_path"] = [str((root / p).resolve()) for p in base]
    return config


def on_pre_build(config, **kwargs):
    docs_dir = Path(config.docs_dir)
    try:
        if copy_katex(docs_dir / KATEX_DIR):
            log.info("KaTeX copied to %s", docs_dir / KATEX_DIR)
        katex_fingerprint = renderer_fingerprint()
    except KatexNotInstalled as exc:
        raise PluginError(str(exc)) from exc
    project = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
    _state["typesetter"] = Typesetter(project / MATH_CACHE, katex_fingerprint, KatexProcess)
    fingerprint = pipeline_fingerprint()
    if fingerprint != _state["pipeline_fingerprint"]:
        run_figure_pipeline()
        _state["pipeline_fingerprint"] = fingerprint
    else:
        log.debug("figure pipeline inputs unchanged since the last build: not run again")
    _state["facts"] = load_all_facts(docs_dir / GENERATED_DIR)
    try:
        _state["experiments"] = load(EXPERIMENTS)
    except ConfigError as exc:
        raise PluginError(str(exc)) from exc
    bundle_playground(docs_dir)


def bundle_playground(docs_dir: Path) -> None:
    """Bundle the playground's JavaScript (after the pipeline, whose export it inlines)."""
    if os.environ.get(SKIP_ENV, "") not in ("", "0") and not (docs_dir / GENERATED_DIR / ATLAS_FILE).is_file():
        log.info("%s is set and there is no export yet: playground bundle skipped", SKIP_ENV)
        return
    try:
        if bundle():
            log.info("playground bundle written")
    except BundleError as exc:
        raise PluginError(str(exc)) from exc


def on_page_markdown(markdown, page, config, files, **kwargs):
    try:
        markdown = fill_facts(markdown, _state["facts"], page.file.src_uri)
    except UnknownFactError as exc:
        raise PluginError(str(exc)) from exc
    experiments = _state.get("experiments")
    return add_explore_links(markdown, experiments) if experiments else markdown


def on_page_content(html, page, config, files, **kwargs):
    return add_phone_sources(add_stills(html), Path(config["docs_dir"]), page.url)


def on_post_page(output, page, config, **kwargs):
    try:
        output = _state["typesetter"].typeset_page(output, page.file.src_uri)
    except (MathError, RuntimeError) as exc:
        raise PluginError(str(exc)) from exc
    output = add_image_sizes(output, Path(config.docs_dir), page.url)
    try:
        return defer_lightbox(output)
    except ValueError as exc:
        raise PluginError(f"{page.file.src_uri}: {exc}") from exc


def on_post_build(config, **kwargs):
    typesetter = _state["typesetter"]
    typesetter.finish(save=True)
    log.info("math: %d formulas typeset by KaTeX, the others from %s",
             typesetter.rendered, typesetter.cache_file)


def on_build_error(error, **kwargs):
    if _state["typesetter"] is not None:
        _state["typesetter"].finish(save=False)
