"""Headless-browser tests of the built site.

The fixtures (served_site.py, registered by conftest.py) build the site exactly as a user
would and serve it on 127.0.0.1; every page is opened with all requests routed: anything
not addressed to the local server is aborted and reported.

Screenshots of the home page and one surface page, light and dark, go to test-artifacts/.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image
from served_site import TIMEOUT_MS, Probe, show_all_tabs

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = REPO_ROOT / "docs"
ARTIFACTS = REPO_ROOT / "test-artifacts"
SURFACE_FOR_SCREENSHOTS = "surfaces/rosenbrock/"


# --------------------------------------------------------------------------- pages


def _page_urls_from_sources() -> list[str]:
    """Site-relative URL of every Markdown page in docs/ (generated snippets excluded)."""
    urls = []
    for md in sorted(DOCS_DIR.rglob("*.md")):
        rel = md.relative_to(DOCS_DIR)
        if rel.parts[0] == "assets":  # generated snippets and vendored files, not pages
            continue
        stem = rel.with_suffix("")
        if stem.name in ("index", "README"):
            stem = stem.parent
        url = "" if str(stem) == "." else stem.as_posix() + "/"
        urls.append(url)
    return urls


PAGES = _page_urls_from_sources()


# --------------------------------------------------------------------------- helpers

_WAIT_FOR_MATH = """() => [...document.querySelectorAll('.arithmatex')]
    .every(el => el.querySelector('.katex'))"""

# Text of the article outside typeset math and code: must hold no TeX delimiters.
_RAW_TEX = r"""() => {
  const root = document.querySelector('article') || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      return node.parentElement.closest('.katex, pre, code, script, style')
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
    }
  });
  const found = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (/\\\(|\\\)|\\\[|\\\]/.test(n.textContent)) found.push(n.textContent.trim().slice(0, 80));
  }
  return found;
}"""

# Display formulas wider than the article's text, or scrolling inside a box of their own.
_WIDE_FORMULAS = """() => {
  const column = document.querySelector('article').clientWidth;
  const scrolls = d => {
    for (let e = d; e && e.tagName !== 'ARTICLE'; e = e.parentElement) {
      if (getComputedStyle(e).overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1) return true;
    }
    return false;
  };
  return [...document.querySelectorAll('.katex-display')]
    .filter(d => d.offsetParent && (scrolls(d) || d.querySelector('.katex')
                 .getBoundingClientRect().width > column + 1))
    .map(d => d.textContent.slice(0, 60));
}"""

_LOAD_IMAGES = """async () => {
  const imgs = [...document.querySelectorAll('img')];
  for (const img of imgs) { img.loading = 'eager'; }
  await Promise.all(imgs.map(img => img.complete ? null :
    new Promise(resolve => { img.addEventListener('load', resolve);
                             img.addEventListener('error', resolve); })));
  return imgs.map(img => ({src: img.currentSrc || img.src,
                           alt: img.getAttribute('alt'),
                           width: img.naturalWidth}));
}"""

_GIF_REFERENCES = """() => [
  ...[...document.querySelectorAll('img')].map(i => i.currentSrc || i.src),
  ...[...document.querySelectorAll('a[href]')].map(a => a.href),
  ...[...document.querySelectorAll('source[srcset]')].map(s => new URL(s.srcset, location.href).href),
].filter(u => /\\.gif(?:[?#]|$)/i.test(u))"""


def gif_frame_count(path: Path) -> int:
    with Image.open(path) as im:
        return getattr(im, "n_frames", 1)


def goto(probe: Probe, url: str) -> None:
    probe.page.goto(url, wait_until="load")
    probe.page.wait_for_load_state("networkidle")


def wait_for_math(probe: Probe) -> int:
    """Wait until every arithmatex element is typeset; return the number of formulas."""
    probe.page.wait_for_function(_WAIT_FOR_MATH, timeout=TIMEOUT_MS)
    return probe.page.locator(".katex").count()


def screenshot(probe: Probe, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    probe.page.screenshot(path=str(ARTIFACTS / name), full_page=False)


def switch_to_dark(probe: Probe) -> None:
    page = probe.page
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")


def open_lightbox(probe: Probe, anchor) -> str:
    """Click a glightbox anchor; return the src of the image the lightbox shows."""
    href = anchor.evaluate("a => a.href")
    anchor.click()
    img = probe.page.locator(".glightbox-container .gslide.current .gslide-image img")
    img.wait_for(state="visible")
    probe.page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    src = img.evaluate("img => img.currentSrc || img.src")
    assert src == href, f"the lightbox shows {src}, not the linked file {href}"
    return src


# --------------------------------------------------------------------------- tests


def test_pages_are_discovered():
    assert "" in PAGES and len(PAGES) >= 20, PAGES


def test_sitemap_lists_exactly_the_pages(site):
    """The pages tested below are the pages the build published (and the nav lists)."""
    tree = ET.parse(site.root / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    published = sorted(urlsplit(loc.text).path.lstrip("/")
                       for loc in tree.getroot().findall("s:url/s:loc", ns))
    assert published == sorted(PAGES)


@pytest.mark.parametrize("rel", PAGES, ids=lambda rel: rel.rstrip("/") or "home")
def test_page(site, open_page, rel):
    """No errors, no foreign requests, every image loaded with alt text, GIFs animated,
    math typeset, no sideways scrolling on a phone."""
    probe = open_page()
    page = probe.page
    goto(probe, site.url(rel))

    images = page.evaluate(_LOAD_IMAGES)
    broken = [i["src"] for i in images if not i["width"]]
    assert not broken, f"images that did not load: {broken}"
    no_alt = [i["src"] for i in images if not (i["alt"] or "").strip()]
    assert not no_alt, f"images without alt text: {no_alt}"

    gifs = sorted(set(page.evaluate(_GIF_REFERENCES)))
    for url in gifs:
        path = site.file_for(url)
        assert path is not None and path.is_file(), f"GIF not served locally: {url}"
        assert gif_frame_count(path) > 1, f"GIF is not animated (1 frame): {url}"

    if page.locator(".arithmatex").count():
        assert wait_for_math(probe) > 0
        assert page.evaluate(_RAW_TEX) == [], "untypeset TeX left on the page"
        # On a desktop and on a phone screen every display formula fits its column (no
        # hidden scrolling), in the tabs that are not selected too.
        show_all_tabs(page)
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 844})
            page.wait_for_timeout(100)
            cut = page.evaluate(_WIDE_FORMULAS)
            assert cut == [], f"display math wider than the content column at {width}px: {cut}"

    # On a phone-sized screen wide tables and figures scroll inside their own box: the
    # page itself never scrolls sideways.
    page.set_viewport_size({"width": 375, "height": 844})
    page.wait_for_timeout(100)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page is {overflow}px wider than a 375px screen"

    page.wait_for_load_state("networkidle")
    probe.assert_clean(f"page /{rel}")


def test_home_page_math_and_screenshots(site, open_page):
    probe = open_page()
    goto(probe, site.url(""))
    assert wait_for_math(probe) >= 2, "the home page formulas were not typeset"
    assert probe.page.locator(".katex-display").count() >= 1
    screenshot(probe, "home-light.png")
    switch_to_dark(probe)
    screenshot(probe, "home-dark.png")
    probe.assert_clean("home page")


def test_surface_page_screenshots(site, open_page):
    probe = open_page()
    goto(probe, site.url(SURFACE_FOR_SCREENSHOTS))
    wait_for_math(probe)
    screenshot(probe, "surface-light.png")
    switch_to_dark(probe)
    screenshot(probe, "surface-dark.png")
    probe.assert_clean(SURFACE_FOR_SCREENSHOTS)


def test_palette_toggle_switches_to_dark_and_back(site, open_page):
    probe = open_page()
    page = probe.page
    goto(probe, site.url(""))
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    switch_to_dark(probe)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    # The choice survives a reload (Material keeps it in local storage).
    goto(probe, site.url("cs231n/"))
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    probe.assert_clean("palette toggle")


def test_search_finds_adam(site, open_page):
    probe = open_page()
    page = probe.page
    goto(probe, site.url(""))
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("Adam", delay=30)  # Material searches on key events
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible")
    assert results.count() >= 1
    texts = " ".join(results.all_inner_texts())
    assert "Adam" in texts, texts
    # The first result leads to a page that exists.
    results.first.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    assert "404" not in page.title()
    probe.assert_clean("search")


def test_instant_navigation_keeps_math_and_lightbox(site, open_page):
    probe = open_page()
    page = probe.page
    goto(probe, site.url(SURFACE_FOR_SCREENSHOTS))
    wait_for_math(probe)
    page.evaluate("window.__atlasMarker = 'still here'")

    page.locator("nav.md-nav--primary a.md-nav__link", has_text="Home").first.click()
    page.wait_for_url(site.url(""))
    page.wait_for_load_state("networkidle")
    # Same window object: Material replaced the page without a full reload.
    assert page.evaluate("window.__atlasMarker") == "still here", "instant navigation inactive"
    assert wait_for_math(probe) >= 2
    assert page.evaluate(_RAW_TEX) == []

    # The lightbox still opens on the new page (glightbox reloads on document$).
    open_lightbox(probe, page.locator("article a.glightbox").first)
    page.keyboard.press("Escape")

    # And back to a page with a formula in the other direction.
    page.locator("nav.md-nav--primary a.md-nav__link", has_text="Adam").first.click()
    page.wait_for_url(site.url("optimizers/adam/"))
    assert page.evaluate("window.__atlasMarker") == "still here"
    assert wait_for_math(probe) >= 1
    assert page.evaluate(_RAW_TEX) == []
    probe.assert_clean("instant navigation")


def test_lightbox_opens_on_image_click(site, open_page):
    probe = open_page()
    goto(probe, site.url(""))
    anchor = probe.page.locator("article a.glightbox").first
    src = open_lightbox(probe, anchor)
    assert probe.page.locator(".glightbox-container").is_visible()
    assert site.file_for(src).is_file()
    probe.page.keyboard.press("Escape")
    probe.page.locator(".glightbox-container").wait_for(state="detached")
    probe.assert_clean("lightbox")


def test_lightbox_shows_gifs_animated(site, open_page):
    """The lightbox shows the GIF file itself (not a still), so it stays animated."""
    probe = open_page()
    page = probe.page
    for rel in PAGES:
        goto(probe, site.url(rel))
        anchors = page.locator("article a.glightbox[href$='.gif' i]")
        if anchors.count():
            break
    else:
        pytest.skip("no GIF on the site yet (figures are added by the pipeline)")
    src = open_lightbox(probe, anchors.first)
    assert gif_frame_count(site.file_for(src)) > 1
    probe.assert_clean(f"GIF lightbox on /{rel}")


def test_gif_frame_count_detects_stills(tmp_path):
    """The GIF check above can tell an animation from a still."""
    frames = [Image.new("RGB", (8, 8), color) for color in ("red", "green", "blue")]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:], duration=50)
    frames[0].save(tmp_path / "still.gif")
    assert gif_frame_count(tmp_path / "anim.gif") == 3
    assert gif_frame_count(tmp_path / "still.gif") == 1
