"""Accessibility of every page of the built site, judged by an engine not written for it.

axe-core (npm, pinned in package.json) runs in Chromium over every page, light and dark,
at 1280 px and 375 px, with the WCAG 2.0/2.1/2.2 A and AA rules. A violation fails the
test unless the building page lists it (rule and element) as one the theme or a plugin
causes and the project cannot fix.

Tables and formulas are measured as a reader meets them: every table sits in a focusable,
named region; at 1920 and 1280 px no table needs to scroll; where one does (at 375 px) the
region shows a cue at the edge it scrolls towards, and the keyboard scrolls it. Content in
tabs that are not selected is shown for the checks, so that it is checked too.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from PIL import Image, ImageStat
from served_site import REPO_ROOT, show_all_tabs
from test_browser import _LOAD_IMAGES, ARTIFACTS, PAGES, goto, switch_to_dark

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BUILDING_PAGE = REPO_ROOT / "docs" / "building.md"
EXCEPTIONS_HEADING = "### Accessibility exceptions"
AXE_WIDTHS = (1280, 375)

_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.flatMap(v => v.nodes.map(n => ({
    rule: v.id, target: n.target.join(' '), html: n.html.slice(0, 160),
    summary: (n.failureSummary || '').split('\\n').slice(1, 3).join(' ').trim()})));
}"""

# Each table with its region (the nearest [role=region] ancestor) and how it is laid out.
_TABLES = """() => [...document.querySelectorAll('article table')].map(t => {
  const region = t.closest('[role=region]');
  const box = region || t.parentElement;
  const between = [];
  for (let e = t.parentElement; e && e !== region && e.tagName !== 'ARTICLE'; e = e.parentElement) {
    between.push(e);
  }
  const cuts = e => getComputedStyle(e).overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1;
  return {
    region: region ? {label: region.getAttribute('aria-label') || '',
                      tabindex: region.getAttribute('tabindex'),
                      className: region.className} : null,
    label: (region && region.getAttribute('aria-label')) || t.textContent.trim().slice(0, 60),
    overflow: box.scrollWidth - box.clientWidth,
    clipped: [t, ...between, ...t.querySelectorAll('td, th')].filter(cuts).length,
  };
})"""


def known_exceptions(path=BUILDING_PAGE) -> dict[tuple[str, str], str]:
    """``{(axe rule, element selector): reason}`` from the building page's table of the
    violations that the theme or a plugin causes and the project cannot fix."""
    text = path.read_text(encoding="utf-8")
    assert EXCEPTIONS_HEADING in text, f"{path.name} has no '{EXCEPTIONS_HEADING}'"
    section = text.split(EXCEPTIONS_HEADING, 1)[1].split("\n#", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 3 and not set(cells[0]) <= set("-: "):
            if cells[0].lower() != "rule":
                rows[(cells[0], cells[1])] = cells[2]
    return rows


def settle(page) -> None:
    """Wait until the transitions that a resize starts (Material's drawer) have ended:
    axe would otherwise measure colours half-way through a fade. (Scroll-driven
    animations, such as the tables' scroll cue, never finish: they are not waited for.
    An animation cancelled meanwhile rejects its `finished` promise: that counts as ended.)"""
    page.wait_for_timeout(50)
    page.evaluate("""() => Promise.race([
        Promise.all(document.getAnimations().filter(a => a.timeline === document.timeline)
                                            .map(a => a.finished.catch(() => null))),
        new Promise(resolve => setTimeout(resolve, 2000))])""")


def axe_violations(page) -> list[dict]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)", pytrace=False)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(_RUN_AXE, AXE_TAGS)


# --------------------------------------------------------------------------- axe-core


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("rel", PAGES, ids=lambda rel: rel.rstrip("/") or "home")
def test_axe_finds_no_wcag_violation(site, open_page, rel, scheme):
    allowed = known_exceptions()
    probe = open_page(viewport=(AXE_WIDTHS[0], 900))
    page = probe.page
    goto(probe, site.url(rel))
    if scheme == "dark":
        switch_to_dark(probe)
    show_all_tabs(page)
    found = defaultdict(list)  # (width, rule, what is wrong) -> elements
    for width in AXE_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        settle(page)
        for v in axe_violations(page):
            if (v["rule"], v["target"]) not in allowed:
                found[(width, v["rule"], v["summary"])].append(f"{v['target']}  {v['html']}")
    assert not found, f"axe-core on /{rel} ({scheme}):\n" + "\n".join(
        f"  {width}px {rule} ({len(where)}x): {summary}\n      " + "\n      ".join(where[:3])
        for (width, rule, summary), where in found.items())
    probe.assert_clean(f"axe on /{rel}")


def test_exceptions_table_is_read(tmp_path):
    """The parser finds the rows of the exceptions table, and only them."""
    page = tmp_path / "building.md"
    page.write_text(f"# B\n\n{EXCEPTIONS_HEADING}\n\nText.\n\n| Rule | Element | Why |\n"
                    "|---|---|---|\n| `region` | `.md-footer` | the theme's |\n\n## Next\n\n"
                    "| a | b | c |\n", encoding="utf-8")
    assert known_exceptions(page) == {("region", ".md-footer"): "the theme's"}


# --------------------------------------------------------------------------- tables


def _pages_with(site, needle: str) -> list[str]:
    return [rel for rel in PAGES
            if needle in (site.root / rel / "index.html").read_text(encoding="utf-8")]


def _edge_shadows(page, region) -> tuple[float, float]:
    """How far the left and right edges of a region, with its table made invisible,
    differ from its middle (the page colour): the scroll cue alone, as drawn on screen."""
    region.evaluate("r => r.querySelector('table').style.visibility = 'hidden'")
    try:
        region.evaluate("r => r.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(100)
        box = region.evaluate("""r => {
          const b = r.getBoundingClientRect();
          const top = Math.max(b.top, document.querySelector('.md-header').getBoundingClientRect().bottom);
          return {x: b.left, y: top, width: b.width, height: Math.min(b.bottom, innerHeight) - top};
        }""")
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "table-region-cue.png"
        page.screenshot(path=str(shot), clip=box)
        with Image.open(shot) as im:
            im = im.convert("L")
            w, h = im.size
            middle = ImageStat.Stat(im.crop((w // 2 - 2, 0, w // 2 + 2, h))).mean[0]
            left = ImageStat.Stat(im.crop((0, 0, 4, h))).mean[0]
            right = ImageStat.Stat(im.crop((w - 4, 0, w, h))).mean[0]
    finally:
        region.evaluate("r => r.querySelector('table').style.visibility = ''")
    return abs(left - middle), abs(right - middle)


CUE_CONTRAST = 12  # grey levels (of 255) between an edge with the cue and the page colour
TABLE_WIDTHS = (1920, 1280, 375)


def _cue_problems(page, region, where: str) -> list[str]:
    """The shadow is on the right at the start of the scroll, on the left at its end."""
    problems = []
    for end, position in ((False, "r => r.scrollLeft = 0"),
                          (True, "r => r.scrollLeft = r.scrollWidth")):
        region.evaluate(position)
        left, right = _edge_shadows(page, region)
        shown, hidden = (left, right) if end else (right, left)
        if shown < CUE_CONTRAST or hidden >= CUE_CONTRAST:
            problems.append(f"{where}: scrolled to its {'end' if end else 'start'}, the cue is "
                            f"{left:.0f} (left) and {right:.0f} (right) grey levels from the page")
    region.evaluate("r => r.scrollLeft = 0")
    return problems


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_tables_wrap_or_scroll_with_a_cue(site, open_page, scheme):
    """Every table sits in a focusable, named region and nothing in it is cut off; at
    1920 and 1280 px every table fits its column (cells wrap); where a table is wider
    than a phone's column, its region shows a shadow at the edge it scrolls towards
    (measured in the pixels of the first such table on each page; the others are
    regions of the same kind)."""
    pages = _pages_with(site, "<table")
    assert len(pages) >= 10, pages
    problems, scrolling = [], 0
    probe = open_page(viewport=(TABLE_WIDTHS[0], 900))
    page = probe.page
    for rel in pages:
        goto(probe, site.url(rel))
        if scheme == "dark" and rel == pages[0]:
            switch_to_dark(probe)
        page.evaluate(_LOAD_IMAGES)  # no layout shift from lazy images while measuring
        show_all_tabs(page)
        for width in TABLE_WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            settle(page)
            cue_checked = False
            for i, t in enumerate(page.evaluate(_TABLES)):
                where = f"/{rel} at {width}px, table {i + 1} ({t['label']!r})"
                region = t["region"]
                if not region or region["tabindex"] != "0" or not region["label"].strip():
                    problems.append(f"{where}: not in a focusable, named region: {region}")
                    continue
                if t["clipped"]:
                    problems.append(f"{where}: {t['clipped']} boxes cut their content off")
                if t["overflow"] <= 1:
                    continue
                if width >= 1280:
                    problems.append(f"{where}: {t['overflow']}px wider than the column")
                scrolling += 1
                if "table-region" not in region["className"].split():
                    problems.append(f"{where}: scrolls in a region without the cue")
                elif not cue_checked:
                    cue_checked = True
                    problems += _cue_problems(page, page.locator("article table").nth(i).locator(
                        "xpath=ancestor::*[@role='region'][1]"), where)
    assert not problems, "\n".join(problems)
    assert scrolling, "no table scrolls on a phone: the cue went untested"
    probe.assert_clean(f"tables ({scheme})")


def test_keyboard_reaches_and_scrolls_a_wide_table(site, open_page):
    """Tab moves from the link before a wide table into its region; the arrow keys
    scroll it; the focused region has a visible outline."""
    probe = open_page(viewport=(375, 800))
    page = probe.page
    goto(probe, site.url("comparison/"))
    regions = page.locator("article [role=region]")
    index = page.evaluate("""() => [...document.querySelectorAll('article [role=region]')]
        .findIndex(r => r.offsetParent && r.scrollWidth > r.clientWidth + 1)""")
    assert index >= 0, "no table on the comparison page is wider than a phone"
    region = regions.nth(index)
    # Focus the last focusable element before the region, then press Tab once.
    region.evaluate("""r => {
      const all = [...document.querySelectorAll('a[href], button, input, [tabindex="0"]')]
        .filter(e => e.offsetParent && !e.closest('[hidden]'));
      const before = all.filter(e => e.compareDocumentPosition(r) & Node.DOCUMENT_POSITION_FOLLOWING
                                     && !r.contains(e));
      before[before.length - 1].focus();
    }""")
    page.keyboard.press("Tab")
    assert region.evaluate("r => document.activeElement === r"), "Tab did not reach the table"
    outline = region.evaluate("r => getComputedStyle(r).outlineStyle")
    assert outline not in ("none", ""), "the focused table region has no visible outline"
    region.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "table-focused-375.png"))
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    assert region.evaluate("r => r.scrollLeft") > 0, "the arrow keys did not scroll the table"
    probe.assert_clean("keyboard on a wide table")


# --------------------------------------------------------------------------- markup

_LEFTOVER_MARKDOWN_ATTR = re.compile(r"<[a-zA-Z][^>]*\smarkdown(?:=(?:\"[^\"]*\"|'[^']*'))?[\s/>]")
_EMPTY_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>\s*</p>")
_TAB_LABELS = re.compile(r'<div class="tabbed-labels">(.*?)</div>', re.S)
_LABEL = re.compile(r"<label[^>]*>(.*?)</label>", re.S)


def _page_html(site, rel: str) -> str:
    return (site.root / rel / "index.html").read_text(encoding="utf-8")


def test_no_markdown_attributes_or_empty_paragraphs(site):
    found = defaultdict(list)
    for rel in PAGES:
        text = _page_html(site, rel)
        found[rel] += [m.group(0)[:80] for m in _LEFTOVER_MARKDOWN_ATTR.finditer(text)]
        found[rel] += [m.group(0) for m in _EMPTY_PARAGRAPH.finditer(text)]
    found = {rel: items for rel, items in found.items() if items}
    assert not found, "markup leftovers:\n" + "\n".join(
        f"/{rel}: {len(items)}: {items[:3]}" for rel, items in found.items())


def test_leftover_patterns_match_what_they_should():
    assert _LEFTOVER_MARKDOWN_ATTR.search('<div class="grid" markdown="">')
    assert _LEFTOVER_MARKDOWN_ATTR.search("<figure markdown>")
    assert not _LEFTOVER_MARKDOWN_ATTR.search("<code>markdown</code> <p>a markdown file</p>")
    assert _EMPTY_PARAGRAPH.search("<p>\n </p>") and not _EMPTY_PARAGRAPH.search("<p>x</p>")


def _setting_order(label: str) -> int | None:
    text = label.lower()
    return 0 if "hand-picked" in text else 1 if "tuned" in text else None


def test_setting_tabs_in_the_same_order_on_every_page(site):
    """Wherever tabs offer the hand-picked and the tuned settings, hand-picked comes first."""
    sets, wrong = 0, []
    for rel in PAGES:
        for labels_html in _TAB_LABELS.findall(_page_html(site, rel)):
            labels = [re.sub(r"<[^>]+>", "", lab).strip() for lab in _LABEL.findall(labels_html)]
            order = [o for o in map(_setting_order, labels) if o is not None]
            if 0 in order and 1 in order:
                sets += 1
                if order != sorted(order):
                    wrong.append(f"/{rel}: {labels}")
    assert sets >= 10, f"only {sets} tab sets with both settings: is the label pattern stale?"
    assert not wrong, "tuned before hand-picked:\n" + "\n".join(wrong)


# --------------------------------------------------------------------------- lightbox


def test_lightbox_is_named_and_keeps_alt_text_and_caption(site, open_page):
    probe = open_page()
    page = probe.page
    rel = next(rel for rel in PAGES if re.search(
        r'<figure\b[^>]*>\s*<a [^>]*class="glightbox"', _page_html(site, rel)))
    goto(probe, site.url(rel))
    figure = page.locator("article figure:has(a.glightbox):has(figcaption)").first
    alt = figure.locator("img").first.get_attribute("alt")
    caption = figure.locator("figcaption").inner_text().strip()
    figure.locator("a.glightbox").first.click()
    dialog = page.locator(".glightbox-container")
    shown = page.locator(".glightbox-container .gslide.current .gslide-image img")
    shown.wait_for(state="visible")
    name = dialog.evaluate("""d => d.getAttribute('aria-label') ||
        (d.getAttribute('aria-labelledby') || '').split(' ')
          .map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim()""")
    assert dialog.get_attribute("role") == "dialog" and name, "the lightbox dialog has no name"
    assert alt and shown.get_attribute("alt") == alt, "the enlarged image lost its alt text"
    description = page.locator(".glightbox-container .gslide.current .gslide-desc")
    description.wait_for(state="attached")
    assert " ".join(description.inner_text().split())[:60] == " ".join(caption.split())[:60]
    empty = dialog.evaluate("""d => [...d.querySelectorAll('h1,h2,h3,h4,h5,h6,[role=heading]')]
        .filter(h => !h.textContent.trim()).length""")
    assert empty == 0, f"{empty} empty headings in the lightbox"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "lightbox.png"))
    violations = [v for v in axe_violations(page) if ".glightbox" in v["target"]
                  or "glightbox" in v["html"] or "gslide" in v["html"]]
    assert not violations, violations
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    probe.assert_clean(f"lightbox on /{rel}")
