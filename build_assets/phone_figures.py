"""Figures drawn twice, for wide screens and for phones, so that their text stays legible.

A chart drawn 1200 px wide and shown in a phone's 343 px column has its text shrunk to
under a third. For such figures the build also writes ``<name>-phone.png`` (narrower, the
legend below the plot) and ``<name>.text.json`` with the size in pixels of the smallest
text of each rendering. :func:`add_phone_sources` (called by the MkDocs hook on each
page's HTML) wraps the figure's ``<img>`` in a ``<picture>`` whose source for narrow
screens is the phone rendering, and marks both with ``data-text-px`` for the browser test
that checks the text is at least 11 CSS px where shown (``tests/site/test_figure_text.py``).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

#: Below this width the content column is too narrow for the wide rendering's text (a
#: 1200 px chart with 19.8 px text needs at least 660 px to show it at 11 px).
PHONE_MEDIA = "(max-width: 719px)"
PHONE_SUFFIX = "-phone.png"
TEXT_SUFFIX = ".text.json"

_PNG_IMG = re.compile(r'<img\b[^>]*?\bsrc="(?P<src>[^"]*assets/generated/[^"]*?)\.png"[^>]*>')


def phone_of(png: str) -> str:
    """The phone rendering's path (or URL) of a figure's ``png`` path (or URL)."""
    return png[:-len(".png")] + PHONE_SUFFIX


def text_sizes_of(png: str) -> str:
    return png[:-len(".png")] + TEXT_SUFFIX


def text_sizes(wide_px: float, phone_px: float) -> str:
    """The contents of a figure's ``.text.json``."""
    return json.dumps({"wide": round(wide_px, 2), "phone": round(phone_px, 2)}) + "\n"


def add_phone_sources(html: str, docs_dir: Path, page_url: str) -> str:
    """Every generated PNG that has a phone rendering becomes a ``<picture>`` choosing it on
    narrow screens; both carry the size of their smallest text."""
    from .page_load import local_file  # (it imports PIL, which the build plan must not wait for)

    def wrap(match: re.Match) -> str:
        path = local_file(docs_dir, page_url, match["src"] + ".png")
        sizes = path and path.with_name(path.stem + TEXT_SUFFIX)
        if sizes is None or not sizes.is_file():
            return match[0]
        text = json.loads(sizes.read_text(encoding="utf-8"))
        img = match[0].replace("<img", f'<img data-text-px="{text["wide"]:g}"', 1)
        return (f'<picture class="atlas-phone-figure"><source srcset="{phone_of(match["src"] + ".png")}" '
                f'media="{PHONE_MEDIA}" data-text-px="{text["phone"]:g}">{img}</picture>')

    return _PNG_IMG.sub(wrap, html)
