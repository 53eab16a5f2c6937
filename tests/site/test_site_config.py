"""Fast tests of the site configuration: facts placeholders, KaTeX vendoring, the hook,
mkdocs.yml staying offline, and the GitHub Actions workflows (linted by actionlint)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from build_assets import mkdocs_hook
from build_assets.mkdocs_hook import UnknownFactError, fill_facts
from build_assets.vendor import KATEX_PACKAGE, KatexNotInstalled, copy_katex

REPO_ROOT = Path(__file__).resolve().parents[2]
MKDOCS_YML = REPO_ROOT / "mkdocs.yml"
ACTIONLINT = REPO_ROOT / "tests" / "site" / "run_actionlint.cjs"


# --------------------------------------------------------------------------- fill_facts

FACTS = {"adam.rosenbrock.steps": "1,234", "sgd.lr": "0.01", "beale-min": "(3, 0.5)"}


def test_fill_facts_substitutes_every_placeholder():
    md = "Adam needs {{ adam.rosenbrock.steps }} steps ({{sgd.lr}}; {{  beale-min  }})."
    assert fill_facts(md, FACTS, "x.md") == "Adam needs 1,234 steps (0.01; (3, 0.5))."


def test_fill_facts_leaves_other_text_alone():
    md = "No placeholders: {single} {{ not a key }} {{}} and `code`.\n"
    assert fill_facts(md, FACTS, "x.md") == md


def test_fill_facts_converts_non_strings():
    assert fill_facts("{{ n }} / {{ x }}", {"n": 3, "x": 0.5}, "x.md") == "3 / 0.5"


def test_fill_facts_keeps_github_expressions_and_escapes():
    md = "key: ${{ github.sha }} and literally \\{{ sgd.lr }}, value {{ sgd.lr }}"
    assert fill_facts(md, FACTS, "x.md") == "key: ${{ github.sha }} and literally {{ sgd.lr }}, value 0.01"


def test_fill_facts_unknown_key_names_page_and_key():
    with pytest.raises(UnknownFactError) as info:
        fill_facts("fine {{ sgd.lr }}, then {{ adam.bogus }}", FACTS, "optimizers/adam.md")
    message = str(info.value)
    assert "optimizers/adam.md" in message and "adam.bogus" in message
    assert info.value.page_name == "optimizers/adam.md" and info.value.key == "adam.bogus"
    assert isinstance(info.value, LookupError)


def test_hook_turns_unknown_key_into_build_error(monkeypatch):
    monkeypatch.setitem(mkdocs_hook._state, "facts", dict(FACTS))
    page = SimpleNamespace(file=SimpleNamespace(src_uri="surfaces/beale.md"))
    assert mkdocs_hook.on_page_markdown("{{ sgd.lr }}", page=page, config={}, files=None) == "0.01"
    with pytest.raises(PluginError, match=r"surfaces/beale\.md.*nope"):
        mkdocs_hook.on_page_markdown("{{ nope }}", page=page, config={}, files=None)


def test_load_facts(tmp_path):
    assert mkdocs_hook.load_facts(tmp_path / "missing.json") == {}
    (tmp_path / "facts.json").write_text(json.dumps(FACTS))
    assert mkdocs_hook.load_facts(tmp_path / "facts.json") == FACTS
    (tmp_path / "bad.json").write_text("[1, 2]")
    with pytest.raises(PluginError, match="JSON object"):
        mkdocs_hook.load_facts(tmp_path / "bad.json")


# --------------------------------------------------------------------------- copy_katex


def _fake_katex(root: Path, version: str = "9.9.9") -> Path:
    pkg = root / "katex"
    (pkg / "dist" / "contrib").mkdir(parents=True)
    (pkg / "dist" / "fonts").mkdir()
    (pkg / "package.json").write_text(json.dumps({"name": "katex", "version": version}))
    (pkg / "LICENSE").write_text("MIT")
    for rel in ("katex.min.js", "katex.min.css", "contrib/auto-render.min.js", "katex.js"):
        (pkg / "dist" / rel).write_text(f"/* {rel} */")
    for name in ("KaTeX_Main-Regular", "KaTeX_Math-Italic"):
        for ext in ("woff2", "woff", "ttf"):
            (pkg / "dist" / "fonts" / f"{name}.{ext}").write_bytes(b"font " + ext.encode())
    return pkg


def _tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_copy_katex_copies_only_what_the_site_needs(tmp_path):
    pkg = _fake_katex(tmp_path)
    dest = tmp_path / "docs" / "assets" / "vendor" / "katex"
    assert copy_katex(dest, package_dir=pkg) is True
    # The math is typeset at build time: no KaTeX JavaScript in the site.
    assert _tree(dest) == [
        ".vendor-stamp.json", "LICENSE",
        "fonts/KaTeX_Main-Regular.woff2", "fonts/KaTeX_Math-Italic.woff2",
        "katex.min.css",
    ]
    assert (dest / "katex.min.css").read_text() == "/* katex.min.css */"
    assert oct(dest.stat().st_mode & 0o777) == "0o755"
    # Nothing left behind next to it.
    assert sorted(p.name for p in dest.parent.iterdir()) == ["katex"]


def test_copy_katex_skips_when_up_to_date_and_repairs_otherwise(tmp_path):
    pkg = _fake_katex(tmp_path)
    dest = tmp_path / "vendor" / "katex"
    assert copy_katex(dest, package_dir=pkg) is True
    mtime = (dest / "katex.min.css").stat().st_mtime_ns
    assert copy_katex(dest, package_dir=pkg) is False
    assert (dest / "katex.min.css").stat().st_mtime_ns == mtime

    (dest / "fonts" / "KaTeX_Main-Regular.woff2").unlink()  # damaged copy
    assert copy_katex(dest, package_dir=pkg) is True
    assert (dest / "fonts" / "KaTeX_Main-Regular.woff2").is_file()

    (dest / "stray.txt").write_text("old")  # new KaTeX version: fresh tree
    (pkg / "dist" / "katex.min.css").write_text("/* new */")
    assert copy_katex(dest, package_dir=pkg) is True
    assert (dest / "katex.min.css").read_text() == "/* new */"
    assert not (dest / "stray.txt").exists()
    assert sorted(p.name for p in dest.parent.iterdir()) == ["katex"]


def test_copy_katex_without_node_modules_says_run_npm_ci(tmp_path):
    with pytest.raises(KatexNotInstalled, match="run `npm ci`"):
        copy_katex(tmp_path / "dest", package_dir=tmp_path / "node_modules" / "katex")
    assert not (tmp_path / "dest").exists()


def test_vendor_command_line_error_is_one_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-c",
         "import sys, build_assets.vendor as v; from pathlib import Path;"
         f"v.KATEX_PACKAGE = Path({str(tmp_path / 'nowhere' / 'katex')!r});"
         f"sys.exit(v.main([{str(tmp_path / 'dest')!r}]))"],
        cwd=REPO_ROOT, capture_output=True, text=True,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "npm ci" in proc.stderr


def test_copy_katex_from_the_installed_package(tmp_path):
    """The real package from `npm ci` has the files we need (and the pinned version)."""
    if not KATEX_PACKAGE.is_dir():
        pytest.fail("node_modules/katex is missing: run `npm ci`", pytrace=False)
    dest = tmp_path / "katex"
    copy_katex(dest)
    files = _tree(dest)
    assert "katex.min.css" in files and not [f for f in files if f.endswith(".js")]
    fonts = [f for f in files if f.startswith("fonts/")]
    assert len(fonts) >= 15 and all(f.endswith(".woff2") for f in fonts)
    # Every font the stylesheet asks for in woff2 is there.
    css = (dest / "katex.min.css").read_text()
    wanted = set(re.findall(r"url\((fonts/[^)]+\.woff2)\)", css))
    assert wanted and wanted <= set(files)
    pinned = json.loads((REPO_ROOT / "package.json").read_text())["dependencies"]["katex"]
    installed = json.loads((KATEX_PACKAGE / "package.json").read_text())["version"]
    assert installed == pinned, "node_modules is stale: run `npm ci`"


# --------------------------------------------------------------------------- mkdocs.yml


def _mkdocs_text() -> str:
    return MKDOCS_YML.read_text()


def test_mkdocs_yml_loads_no_third_party_host():
    text = _mkdocs_text()
    for needle in ("cdn", "jsdelivr", "unpkg", "cdnjs", "googleapis", "gstatic", "polyfill.io",
                   "mathjax"):
        assert needle not in text.lower(), f"mkdocs.yml mentions {needle}"
    # The only URL allowed is the local default site_url.
    urls = re.findall(r"https?://[^\s\"'\]]+", text)
    assert all(re.match(r"https?://(127\.0\.0\.1|localhost)[:/]", u) for u in urls), urls


def test_mkdocs_config_is_offline_and_complete(monkeypatch):
    from mkdocs.config import load_config

    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.delenv("SITE_URL", raising=False)
    config = load_config(str(MKDOCS_YML))
    assert config.site_name == "Optimizer Atlas"
    assert config.theme["font"] is False, "theme.font must be false (no Google Fonts)"
    assert not config.repo_url, "repo_url makes Material call the GitHub API"
    features = set(config.theme["features"])
    assert {"navigation.sections", "navigation.instant", "navigation.top", "search.highlight",
            "content.code.copy", "content.tabs.link"} <= features
    assert [p["scheme"] for p in config.theme["palette"]] == ["default", "slate"]
    assert all(p.get("toggle", {}).get("icon") for p in config.theme["palette"])
    for path in [*config.extra_css, *(str(s) for s in config.extra_javascript)]:
        assert "://" not in path and not path.startswith("//"), path
    assert config.mdx_configs["pymdownx.arithmatex"]["generic"] is True
    assert {"material/search", "glightbox"} <= set(config.plugins)
    # Every page in docs/ is in the nav, and every nav entry exists.
    nav_files = set()

    def walk(items):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                walk(value)
            else:
                nav_files.add(value)

    walk(config.nav)
    pages = {p.relative_to(REPO_ROOT / "docs").as_posix() for p in (REPO_ROOT / "docs").rglob("*.md")
             if "assets" not in p.relative_to(REPO_ROOT / "docs").parts}
    assert nav_files == pages


def test_snippets_base_path_is_made_absolute(monkeypatch, tmp_path):
    from mkdocs.config import load_config

    monkeypatch.chdir(tmp_path)  # the hook must not depend on the working directory
    monkeypatch.delenv("SITE_URL", raising=False)
    config = load_config(str(MKDOCS_YML))
    mkdocs_hook.on_config(config)
    base = config.mdx_configs["pymdownx.snippets"]["base_path"]
    assert base == [str(REPO_ROOT / "docs" / "assets" / "generated")]


def _mini_project(tmp_path: Path, page: str, facts: dict) -> Path:
    """A tiny MkDocs project using the real hook."""
    (tmp_path / "docs" / "assets" / "generated").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text(page)
    (tmp_path / "docs" / "assets" / "generated" / "facts.json").write_text(json.dumps(facts))
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: Mini
        hooks: [{REPO_ROOT / 'build_assets' / 'mkdocs_hook.py'}]
        """))
    return tmp_path


def _build(project: Path, quiet: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, OPTIMIZER_ATLAS_SKIP_FIGURES="1", NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *(["-q"] if quiet else []),
         "-f", str(project / "mkdocs.yml"), "-d", str(project / "out")],
        cwd=project, env=env, capture_output=True, text=True,
    )


def test_build_fills_facts(tmp_path):
    project = _mini_project(tmp_path, "# Mini\n\nAdam took {{ adam.steps }} steps.\n",
                            {"adam.steps": "417"})
    proc = _build(project)
    assert proc.returncode == 0, proc.stderr
    html = (project / "out" / "index.html").read_text()
    assert "Adam took 417 steps." in html
    assert (project / "docs" / "assets" / "vendor" / "katex" / "katex.min.css").is_file()


def test_build_fails_on_unknown_fact(tmp_path):
    project = _mini_project(tmp_path, "# Mini\n\n{{ adam.steps }} and {{ adam.stpes }}\n",
                            {"adam.steps": "417"})
    proc = _build(project)
    assert proc.returncode != 0
    assert "index.md" in proc.stderr and "adam.stpes" in proc.stderr, proc.stderr


MATH_PAGE = "# Mini\n\nInline \\(a < b\\), display:\n\n\\[\n\\sum_i x_i^2\n\\]\n"


def test_build_typesets_math_and_reuses_the_cache(tmp_path):
    project = _mini_project(tmp_path, MATH_PAGE, {})
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text()
                                        + "markdown_extensions:\n  - pymdownx.arithmatex: {generic: true}\n")
    cold = _build(project, quiet=False)
    assert cold.returncode == 0, cold.stderr
    assert "math: 2 formulas typeset by KaTeX" in cold.stderr
    def page() -> str:  # the theme stamps the build time into a comment
        return re.sub(r"Build Date UTC : .*", "", (project / "out" / "index.html").read_text())

    html = page()
    assert html.count('class="katex"') == 2 and 'class="katex-display"' in html
    assert "\\(" not in html and "\\[" not in html
    assert "katex.min.js" not in html and "auto-render" not in html
    assert (project / ".cache" / "katex-math.json").is_file()

    warm = _build(project, quiet=False)
    assert warm.returncode == 0, warm.stderr
    assert "math: 0 formulas typeset by KaTeX" in warm.stderr
    assert page() == html


def test_build_fails_on_a_formula_katex_cannot_parse(tmp_path):
    project = _mini_project(tmp_path, "# Mini\n\nFine \\(x\\), broken \\(\\frac{1}{\\).\n", {})
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text()
                                        + "markdown_extensions:\n  - pymdownx.arithmatex: {generic: true}\n")
    proc = _build(project)
    assert proc.returncode != 0
    lines = [line for line in proc.stderr.splitlines() if "KaTeX cannot typeset" in line]
    assert len(lines) == 1, proc.stderr
    assert "index.md" in lines[0] and "\\( \\frac{1}{ \\)" in lines[0]


# --------------------------------------------------------------------------- workflows


def _actionlint(*files: Path) -> subprocess.CompletedProcess:
    if shutil.which("node") is None:
        pytest.fail("node is not installed", pytrace=False)
    if not (REPO_ROOT / "node_modules" / "@tktco" / "node-actionlint").is_dir():
        pytest.fail("actionlint is missing: run `npm ci`", pytrace=False)
    return subprocess.run(["node", str(ACTIONLINT), *map(str, files)], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)


def test_workflows_pass_actionlint():
    workflows = sorted((REPO_ROOT / ".github" / "workflows").glob("*.y*ml"))
    assert workflows, "no workflow found"
    proc = _actionlint(*workflows)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{len(workflows)} file(s), 0 problem(s)" in proc.stdout


def test_actionlint_really_lints(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(textwrap.dedent("""\
        on:
          pushh:
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  no-such-input: true
              - run: echo "${{ matrix.nope }}"
        """))
    proc = _actionlint(broken)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    assert 'unknown Webhook event "pushh"' in out
    assert "no-such-input" in out
    assert 'property "nope" is not defined' in out


def test_pipeline_fingerprint_tracks_pipeline_inputs(tmp_path):
    (tmp_path / "optimizers" / "__pycache__").mkdir(parents=True)
    (tmp_path / "build_assets").mkdir()
    (tmp_path / "optimizers" / "sgd.py").write_text("x = 1\n")
    (tmp_path / "build_assets" / "experiments.yml").write_text("a: 1\n")
    (tmp_path / "requirements.txt").write_text("numpy\n")
    first = mkdocs_hook.pipeline_fingerprint(tmp_path)
    assert len(first) == 3
    (tmp_path / "optimizers" / "__pycache__" / "sgd.pyc").write_bytes(b"\0")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text("prose")
    assert mkdocs_hook.pipeline_fingerprint(tmp_path) == first
    (tmp_path / "build_assets" / "experiments.yml").write_text("a: 22\n")
    assert mkdocs_hook.pipeline_fingerprint(tmp_path) != first
