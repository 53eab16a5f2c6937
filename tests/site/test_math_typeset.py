"""Build-time math: KaTeX typesets arithmatex's formulas, the cache makes rebuilds free,
and a formula KaTeX cannot parse stops the build with a one-line error."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from build_assets.math_typeset import (
    KatexProcess, MathError, Typesetter, formula_key, renderer_fingerprint)
from build_assets.vendor import KATEX_PACKAGE

if not KATEX_PACKAGE.is_dir():
    pytest.fail("node_modules/katex is missing: run `npm ci`", pytrace=False)

# What pymdownx.arithmatex (generic mode) writes: the TeX is HTML-escaped.
PAGE = """<h1>Mini</h1>
<p>Inline <span class="arithmatex">\\(a &lt; b \\&amp; c\\)</span> and again
<span class="arithmatex">\\(a &lt; b \\&amp; c\\)</span>, then</p>
<div class="arithmatex">\\[
x_{t+1} = x_t - \\eta \\nabla f(x_t)
\\]</div>
<p>Code stays: <code>\\( not math \\)</code></p>
<figure><img alt="x > 0 and \\(x\\) in an attribute" src="a.png">
<figcaption>Raw HTML: \\(f(x) = x^2\\), typeset too</figcaption></figure>
<pre><code>\\[ not math \\]</code></pre><script>const tex = "\\(x\\)";</script>
<nav><a href="#eps"><span class="md-ellipsis">
        Where \\(\\varepsilon\\) goes
      </span></a></nav>
"""


class CountingRenderer:
    """KatexProcess, counting the processes started and the formulas sent."""

    def __init__(self):
        self.started = 0
        self.formulas = 0

    def start(self):
        self.started += 1
        process = KatexProcess()

        def render(formulas):
            self.formulas += len(formulas)
            return process(formulas)

        render.close = process.close
        return render


def refuse_to_start():
    raise AssertionError("KaTeX was started although every formula was in the cache")


@pytest.fixture
def cache_file(tmp_path) -> Path:
    return tmp_path / ".cache" / "katex-math.json"


def test_formulas_are_typeset_and_delimiters_gone(cache_file):
    counter = CountingRenderer()
    typesetter = Typesetter(cache_file, renderer_fingerprint(), counter.start)
    out = typesetter.typeset_page(PAGE, "index.md")
    typesetter.finish()
    # two inline, the caption's, the heading's, and the display one
    assert out.count('<span class="katex">') == 5
    assert out.count('<span class="katex-display">') == 1
    assert re.search(r'<div class="arithmatex"><span class="katex-display">', out)
    # The TeX reached KaTeX unescaped (KaTeX escapes it again in the MathML annotation).
    assert '<annotation encoding="application/x-tex">a &lt; b \\&amp; c</annotation>' in out
    assert "\\varepsilon</annotation>" in out and "Where \\(" not in out
    assert "f(x) = x^2</annotation>" in out
    # No delimiters are left outside code and scripts, which are left alone.
    untouched = ("<code>\\( not math \\)</code>", "<code>\\[ not math \\]</code>", '"\\(x\\)"',
                 '"x > 0 and \\(x\\) in an attribute"')
    assert all(text in out for text in untouched)
    for text in untouched:
        out = out.replace(text, "")
    assert re.findall(r"\\[(\[]", out) == []
    # One process for the page; the repeated formula was sent once.
    assert (counter.started, counter.formulas) == (1, 4)


def test_one_process_per_build_and_a_warm_build_starts_none(cache_file):
    counter = CountingRenderer()
    first = Typesetter(cache_file, renderer_fingerprint(), counter.start)
    html_1 = first.typeset_page(PAGE, "index.md")
    other = first.typeset_page('<span class="arithmatex">\\(y^2\\)</span>', "other.md")
    first.finish()
    assert counter.started == 1 and first.rendered == 5
    assert cache_file.is_file()

    warm = Typesetter(cache_file, renderer_fingerprint(), refuse_to_start)
    assert warm.typeset_page(PAGE, "index.md") == html_1  # deterministic, from the cache
    assert warm.typeset_page('<span class="arithmatex">\\(y^2\\)</span>', "other.md") == other
    before = cache_file.stat().st_mtime_ns
    warm.finish()
    assert warm.rendered == 0
    assert cache_file.stat().st_mtime_ns == before  # nothing new: not rewritten


def test_cache_is_keyed_on_katex_version_and_keeps_only_what_the_build_used(cache_file):
    first = Typesetter(cache_file, "katex-0.19.1-abc", CountingRenderer().start)
    first.typeset_page(PAGE, "index.md")
    first.typeset_page('<span class="arithmatex">\\(y^2\\)</span>', "other.md")
    first.finish()
    assert len(json.loads(cache_file.read_text())) == 5

    counter = CountingRenderer()
    upgraded = Typesetter(cache_file, "katex-0.20.0-abc", counter.start)
    upgraded.typeset_page('<span class="arithmatex">\\(y^2\\)</span>', "other.md")
    upgraded.finish()
    assert counter.formulas == 1  # a new KaTeX typesets again
    entries = json.loads(cache_file.read_text())
    assert list(entries) == [formula_key("katex-0.20.0-abc", "y^2", False)]


def test_bad_formula_fails_with_one_line_naming_page_and_formula(cache_file):
    typesetter = Typesetter(cache_file, renderer_fingerprint(), KatexProcess)
    bad = '<p>ok <span class="arithmatex">\\(x\\)</span></p><div class="arithmatex">\\[\n\\frac{1}{\n\\]</div>'
    with pytest.raises(MathError) as info:
        typesetter.typeset_page(bad, "optimizers/adam.md")
    typesetter.finish(save=False)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("optimizers/adam.md: KaTeX cannot typeset \\[ \\frac{1}{ \\]: ")
    assert "parse error" in message.lower()
    assert not cache_file.exists()  # a failed build writes no cache


def test_missing_node_is_a_clear_error():
    with pytest.raises(RuntimeError, match="not found.*Node.js"):
        KatexProcess(node="/nonexistent/node")
