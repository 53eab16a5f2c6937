"""Figures are readable where they are shown: the smallest text of every image that says how
large it was drawn (``data-text-px``, written by the build from the figure itself) is at
least 11 CSS px at the width the image is displayed, on a 1280 px and a 375 px screen."""
from __future__ import annotations

import pytest
from served_site import show_all_tabs
from test_browser import _LOAD_IMAGES, PAGES, goto

MIN_TEXT_PX = 11.0
WIDTHS = (1280, 375)

# An image in a <picture> shows the source the browser chose (a phone rendering on narrow
# screens): its text size is that source's.
_TEXT_SIZES = """() => [...document.querySelectorAll('img[data-text-px]')].map(img => {
  const chosen = [...(img.closest('picture')?.querySelectorAll('source[data-text-px]') ?? [])]
    .find(s => new URL(s.getAttribute('srcset'), document.baseURI).href === img.currentSrc);
  return {src: img.currentSrc, natural: img.naturalWidth, shown: img.getBoundingClientRect().width,
          drawn: parseFloat((chosen ?? img).dataset.textPx), phone: Boolean(chosen)};
})"""


def _pages_with_sized_figures(site) -> list[str]:
    return [rel for rel in PAGES
            if "data-text-px" in (site.root / rel / "index.html").read_text(encoding="utf-8")]


@pytest.mark.parametrize("width", WIDTHS)
def test_figure_text_is_at_least_11_css_px(site, open_page, width):
    pages = _pages_with_sized_figures(site)
    assert len(pages) >= 8, pages  # every surface page has its panel grids
    probe = open_page(viewport=(width, 900))
    problems, checked, phone = [], 0, 0
    for rel in pages:
        goto(probe, site.url(rel))
        show_all_tabs(probe.page)  # the tuned figures sit in a tab, hidden until chosen
        probe.page.evaluate(_LOAD_IMAGES)
        for image in probe.page.evaluate(_TEXT_SIZES):
            assert image["natural"] > 0, f"/{rel}: {image['src']} did not load"
            shown_px = image["drawn"] * image["shown"] / image["natural"]
            checked += 1
            phone += image["phone"]
            if shown_px < MIN_TEXT_PX:
                problems.append(f"/{rel} at {width}px: {image['src']} shown {image['shown']:.0f} px wide "
                                f"of {image['natural']}: its smallest text is {shown_px:.1f} px")
    # per surface page 2 grids of 11 panels and a key, and 2 loss charts
    assert checked >= 8 * (2 * 12 + 2), checked
    # the loss charts' phone renderings are shown on a phone, and only there
    assert (phone >= 8 * 2) if width < 720 else phone == 0, phone
    assert not problems, "\n".join(problems)
    probe.assert_clean(pages[-1])
