"""The markup hook: tables in named, focusable regions; lightbox anchors that carry their
image's alt text and figure's caption; no leftovers of figures in content tabs."""
from __future__ import annotations

import re

from build_assets.accessible_markup import drop_leftovers, label_lightbox_images, wrap_tables

TABS = """<h2 id="v">The verdict<a class="headerlink" href="#v">&para;</a></h2>
<div class="tabbed-set tabbed-alternate" data-tabs="1:2"><input checked="checked" id="__tabbed_1_1" \
name="__tabbed_1" type="radio" /><input id="__tabbed_1_2" name="__tabbed_1" type="radio" />\
<div class="tabbed-labels"><label for="__tabbed_1_1">Hand-picked settings</label>\
<label for="__tabbed_1_2">Tuned &amp; more</label></div>
<div class="tabbed-content">
<div class="tabbed-block">
<table>
<tr><td>a</td></tr>
</table>
</div>
<div class="tabbed-block">
<table><tr><td>b</td></tr></table>
</div>
</div>
</div>
<h3>Plain</h3>
<table><tr><td>c</td></tr></table>
<table><tr><td>d</td></tr></table>
"""


def regions(html: str) -> list[tuple[str, str]]:
    """(aria-label, the table's first cell) of each region."""
    return re.findall(r'<div class="table-region" role="region" tabindex="0" '
                      r'aria-label="([^"]*)"><table>\s*<tr><td>(\w)</td>', html)


def test_each_table_gets_a_region_named_after_its_heading_and_tab():
    out = wrap_tables(TABS)
    assert regions(out) == [("The verdict (Hand-picked settings)", "a"),
                            ("The verdict (Tuned &amp; more)", "b"),
                            ("Plain, table 1", "c"), ("Plain, table 2", "d")]
    assert out.count("</table></div>") == 4
    # Nothing else changes.
    assert re.sub(r'<div class="table-region"[^>]*>|(?<=</table>)</div>', "", out) == TABS


def test_a_page_without_tables_is_unchanged():
    assert wrap_tables("<p>No table</p>") == "<p>No table</p>"


def test_lightbox_anchors_get_alt_text_and_caption():
    page = ('<figure><a class="glightbox" href="a.png"><img alt="A plot" src="a.png"></a>'
            '<figcaption>Cap <em>x</em></figcaption></figure>'
            '<p><a class="glightbox" href="b.gif"><picture class="atlas-animation"><source '
            'srcset="b-still.png" media="(prefers-reduced-motion: reduce)"><img alt="B" '
            'src="b.gif" /></picture></a></p>')
    out = label_lightbox_images(page)
    assert ('<a class="glightbox" href="a.png" data-alt="A plot" '
            'data-description=".md-content #figure-caption-1">') in out
    assert '<figcaption id="figure-caption-1">Cap <em>x</em></figcaption>' in out
    assert '<a class="glightbox" href="b.gif" data-alt="B"><picture' in out


def test_leftovers_go_and_nothing_else():
    page = ('<p></p><figure markdown="">\n<a>x</a></figure><p>\n</p><div class="grid" markdown>'
            '<img alt="a markdown file" src="x"><code>&lt;figure markdown&gt;</code><p>text</p>')
    assert drop_leftovers(page) == ('<figure>\n<a>x</a></figure><div class="grid">'
                                    '<img alt="a markdown file" src="x">'
                                    '<code>&lt;figure markdown&gt;</code><p>text</p>')
