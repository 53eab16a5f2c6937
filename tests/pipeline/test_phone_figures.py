"""Figures drawn for phones too: the page offers the phone rendering on narrow screens, and
both renderings say how large their smallest text was drawn."""
from __future__ import annotations

import json
import re

from build_assets.phone_figures import PHONE_MEDIA, add_phone_sources, phone_of, text_sizes, text_sizes_of


def test_a_figure_with_a_phone_rendering_becomes_a_picture(tmp_path):
    docs = tmp_path / "docs"
    generated = docs / "assets" / "generated" / "cubic"
    generated.mkdir(parents=True)
    for name in ("seed_loss.png", "seed_loss-phone.png", "contour.png"):
        (generated / name).write_bytes(b"png")
    (generated / "seed_loss.text.json").write_text(text_sizes(19.791, 17.5))
    html = ('<p><img alt="a" src="../../assets/generated/cubic/seed_loss.png" /></p>'
            '<p><img alt="b" src="../../assets/generated/cubic/contour.png" /></p>')
    out = add_phone_sources(html, docs, "surfaces/cubic/")
    picture = re.search(r"<picture[^>]*>(.*?)</picture>", out)[1]
    assert (f'<source srcset="../../assets/generated/cubic/seed_loss-phone.png" media="{PHONE_MEDIA}" '
            'data-text-px="17.5">') in picture
    assert '<img data-text-px="19.79" alt="a" src="../../assets/generated/cubic/seed_loss.png" />' in picture
    assert '<img alt="b" src="../../assets/generated/cubic/contour.png" />' in out  # no phone rendering
    assert out.count("<picture") == 1


def test_names_and_sizes():
    assert phone_of("cubic/seed_loss.png") == "cubic/seed_loss-phone.png"
    assert text_sizes_of("cubic/seed_loss.png") == "cubic/seed_loss.text.json"
    assert json.loads(text_sizes(19.791, 12)) == {"wide": 19.79, "phone": 12}
