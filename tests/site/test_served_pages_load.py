"""The built pages as served: ready to paint without shifting.

The math is typeset at build time (no KaTeX script; it shows even with JavaScript off),
every local raster image states its pixel size, and the lightbox's script is deferred.
Fixtures from served_site.py (one site build per session, shared with test_browser.py).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from PIL import Image
from test_browser import PAGES

_IMG_TAG = re.compile(r"<img\b[^>]*>")


def _attr(tag: str, name: str) -> str | None:
    match = re.search(rf'\s{name}="([^"]*)"', tag)
    return match.group(1) if match else None


@pytest.mark.parametrize("rel", PAGES, ids=lambda rel: rel.rstrip("/") or "home")
def test_built_page_is_ready_to_paint(site, rel):
    """In the HTML as served: the math is already typeset, no KaTeX script is loaded, every
    local raster image states its pixel size, the lightbox's script is deferred."""
    html = (site.root / rel / "index.html").read_text(encoding="utf-8")
    formulas = re.findall(r'<(?:span|div) class="arithmatex">(.{0,40})', html)
    untypeset = [f for f in formulas if not f.startswith('<span class="katex')]
    assert untypeset == [], f"formulas not typeset at build time: {untypeset[:3]}"
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert not [s for s in scripts if "katex" in s or "auto-render" in s], scripts
    assert not re.search(r"katex\.min\.js|renderMathInElement", html)
    assert '<script src="' + "../" * rel.count("/") + 'assets/javascripts/glightbox.min.js" defer>' in html

    for tag in _IMG_TAG.findall(html):
        src = _attr(tag, "src")
        path = site.file_for(urljoin(site.url(rel), src))
        if path is None or path.suffix == ".svg":
            continue
        with Image.open(path) as image:
            natural = image.size
        width, height = _attr(tag, "width"), _attr(tag, "height")
        assert width and height, f"image without width/height (it shifts the page): {tag[:120]}"
        assert abs(int(width) * natural[1] - int(height) * natural[0]) <= max(natural), (
            f"{src}: width/height {width}x{height} do not match the image's {natural[0]}x{natural[1]}")


def test_math_shows_without_javascript_and_no_katex_script_runs(site, browser):
    """A formula-heavy page: KaTeX's output is in the page even with JavaScript off; with
    JavaScript on, no KaTeX code is fetched or defined."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url("optimizers/adam/"), wait_until="load")
    displays = page.locator("div.arithmatex").count()
    assert displays >= 1 and page.locator("div.arithmatex > .katex-display .katex-html").count() == displays
    assert page.locator(".arithmatex .katex-mathml math").count() == page.locator(".arithmatex").count()
    context.close()

    context = browser.new_context()
    page = context.new_page()
    page.goto(site.url("optimizers/adam/"), wait_until="load")
    page.wait_for_load_state("networkidle")
    scripts = page.evaluate("performance.getEntriesByType('resource')"
                            ".filter(r => r.initiatorType === 'script').map(r => r.name)")
    assert scripts and not [s for s in scripts if "katex" in s.lower()], scripts
    assert page.evaluate("typeof katex === 'undefined' && typeof renderMathInElement === 'undefined'")
    context.close()
