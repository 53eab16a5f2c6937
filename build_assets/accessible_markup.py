"""MkDocs hook (``hooks:`` in mkdocs.yml): accessible markup for tables and lightbox figures.

``on_page_content`` runs on each page's HTML after Python-Markdown and after the plugins
(MkDocs runs hooks after plugins, so the glightbox anchors exist already):

1. Every ``<table>`` goes into ``<div class="table-region" role="region" tabindex="0"
   aria-label="...">``. The region scrolls a table that is wider than the column (at phone
   width), so a keyboard can reach and scroll it (WCAG 2.1.1), and a screen reader names it
   after the heading above it and the tab it sits in. Material wraps tables again in the
   browser; extra.css makes the region, not Material's wrapper, the box that scrolls.
2. Each glightbox anchor carries its image's alt text (``data-alt``) and, inside a figure,
   the figure's caption (``data-description``: a selector of the caption, whose HTML
   glightbox copies), so the enlarged image keeps both.
3. No leftovers of figures inside content tabs: md_in_html does not reach raw HTML in
   indented blocks, so Python-Markdown reads ``<figure markdown>`` in a tab as inline HTML
   in a paragraph; the glightbox plugin's HTML parser then closes that paragraph before
   the figure, leaving ``<p></p>`` around it and the ``markdown`` attribute on it.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

TABLE_REGION_CLASS = "table-region"

_HEADING = re.compile(r"h[1-6]")
_FIGURE = re.compile(r"<figure\b[^>]*>.*?</figure>", re.S)
# A glightbox anchor and its image, which may sit in a <picture> (an animation and its still,
# build_assets/animation_controls.py).
_GLIGHTBOX_ANCHOR = re.compile(
    r'<a (?=[^>]*class="glightbox")([^>]*)>'
    r'(\s*(?:<picture\b[^>]*>\s*(?:<source\b[^>]*>\s*)*)?<img\b[^>]*>)', re.S)
_ALT = re.compile(r'\balt="([^"]*)"')
_FIGCAPTION = re.compile(r"<figcaption\b([^>]*)>")
_ID = re.compile(r'\bid="([^"]*)"')
# A tag, its attributes one by one (so that text inside a quoted value never matches), then
# the markdown attribute.
_MARKDOWN_ATTRIBUTE = re.compile(
    r'(<[a-zA-Z][\w-]*(?:\s+[\w:.-]+(?:="[^"]*")?)*?)\s+markdown(?:="[^"]*")?(?=[\s/>])')
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")


class _TableFinder(HTMLParser):
    """Where each table starts and ends, and a name for it: the last heading before it,
    then the labels of the tabs it is inside (outermost first)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[tuple[int, int], str]] = []  # (start position, name)
        self.table_ends: list[tuple[int, int]] = []  # position of each </table>
        self._heading = ""
        self._heading_parts: list[str] | None = None
        self._in_headerlink = False
        self._divs = 0  # open <div> elements
        self._tab_sets: list[dict] = []  # open tabbed sets: depth, labels, current block
        self._label_parts: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if _HEADING.fullmatch(tag):
            self._heading_parts = []
        elif tag == "a" and "headerlink" in classes:
            self._in_headerlink = True
        elif tag == "label" and self._tab_sets and self._tab_sets[-1]["in_labels"]:
            self._label_parts = []
        elif tag == "table":
            self.tables.append((self.getpos(), self._name()))
        elif tag == "div":
            self._divs += 1
            if "tabbed-set" in classes:
                self._tab_sets.append({"depth": self._divs, "labels": [], "block": -1,
                                       "in_labels": False})
            elif self._tab_sets and "tabbed-labels" in classes:
                self._tab_sets[-1]["in_labels"] = True
            elif self._tab_sets and "tabbed-block" in classes:
                self._tab_sets[-1]["block"] += 1

    def handle_endtag(self, tag):
        if _HEADING.fullmatch(tag) and self._heading_parts is not None:
            self._heading = " ".join("".join(self._heading_parts).split())
            self._heading_parts = None
        elif tag == "a":
            self._in_headerlink = False
        elif tag == "label" and self._label_parts is not None:
            self._tab_sets[-1]["labels"].append(" ".join("".join(self._label_parts).split()))
            self._label_parts = None
        elif tag == "table":
            self.table_ends.append(self.getpos())
        elif tag == "div":
            if self._tab_sets and self._tab_sets[-1]["in_labels"]:
                self._tab_sets[-1]["in_labels"] = False
            if self._tab_sets and self._tab_sets[-1]["depth"] == self._divs:
                self._tab_sets.pop()
            self._divs -= 1

    def handle_data(self, data):
        if self._heading_parts is not None and not self._in_headerlink:
            self._heading_parts.append(data)
        if self._label_parts is not None:
            self._label_parts.append(data)

    def _name(self) -> str:
        tabs = [s["labels"][s["block"]] for s in self._tab_sets
                if 0 <= s["block"] < len(s["labels"])]
        name = self._heading or "Table"
        return f"{name} ({', '.join(tabs)})" if tabs else name


def _offsets(text: str) -> list[int]:
    """Offset of the start of each line (HTMLParser positions are line, column)."""
    starts = [0]
    for match in re.finditer("\n", text):
        starts.append(match.end())
    return starts


def wrap_tables(page_html: str) -> str:
    """Put each table in a focusable region named after its heading and tab; names that
    would repeat on the page are numbered."""
    finder = _TableFinder()
    finder.feed(page_html)
    finder.close()
    if not finder.tables:
        return page_html
    line_starts = _offsets(page_html)

    def offset(pos):
        return line_starts[pos[0] - 1] + pos[1]

    names = [name for _, name in finder.tables]
    seen: dict[str, int] = {}
    out, last = [], 0
    for (start, name), end in zip(finder.tables, finder.table_ends):
        if names.count(name) > 1:
            seen[name] = seen.get(name, 0) + 1
            name = f"{name}, table {seen[name]}"
        begin = offset(start)
        close = page_html.index(">", offset(end)) + 1
        out += [page_html[last:begin],
                f'<div class="{TABLE_REGION_CLASS}" role="region" tabindex="0" '
                f'aria-label="{html.escape(name)}">',
                page_html[begin:close], "</div>"]
        last = close
    out.append(page_html[last:])
    return "".join(out)


def _with_lightbox_text(anchor: re.Match, caption_selector: str | None) -> str:
    attrs, img = anchor.group(1), anchor.group(2)
    alt = _ALT.search(img)
    if alt and "data-alt=" not in attrs:
        attrs += f' data-alt="{alt.group(1)}"'
    if caption_selector and "data-description=" not in attrs:
        attrs += f' data-description="{caption_selector}"'
    return f"<a {attrs}>{img}"


def label_lightbox_images(page_html: str) -> str:
    """Give glightbox anchors their image's alt text and their figure's caption."""
    counter = 0

    def figure(match: re.Match) -> str:
        nonlocal counter
        block = match.group(0)
        caption = _FIGCAPTION.search(block)
        selector = None
        if caption:
            found = _ID.search(caption.group(1))
            if found:
                caption_id = found.group(1)
            else:
                counter += 1
                caption_id = f"figure-caption-{counter}"
                block = (block[:caption.start()] + f'<figcaption id="{caption_id}"'
                         f"{caption.group(1)}>" + block[caption.end():])
            # glightbox reads a description that starts with "." as a selector.
            selector = f".md-content #{caption_id}"
        return _GLIGHTBOX_ANCHOR.sub(lambda a: _with_lightbox_text(a, selector), block)

    page_html = _FIGURE.sub(figure, page_html)
    # Images outside figures (the home page's gallery cards): the alt text only.
    return _GLIGHTBOX_ANCHOR.sub(lambda a: _with_lightbox_text(a, None), page_html)


def drop_leftovers(page_html: str) -> str:
    """Remove empty paragraphs and ``markdown`` attributes that md_in_html left."""
    return _EMPTY_PARAGRAPH.sub("", _MARKDOWN_ATTRIBUTE.sub(r"\1", page_html))


def on_page_content(html, page, config, files):  # noqa: ARG001 - MkDocs hook signature
    return label_lightbox_images(wrap_tables(drop_leftovers(html)))
