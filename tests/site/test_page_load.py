"""The page rewrites that make pages paint early without shifting: image sizes, a lightbox
that loads after the first paint."""

from __future__ import annotations

import pytest
from PIL import Image

from build_assets.page_load import add_image_sizes, defer_lightbox


@pytest.fixture
def docs(tmp_path):
    (tmp_path / "assets" / "generated" / "beale").mkdir(parents=True)
    Image.new("RGB", (800, 600)).save(tmp_path / "assets" / "generated" / "beale" / "seed.gif")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "sketch.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 400"><rect width="1" height="1"/></svg>')
    return tmp_path


def test_images_get_their_pixel_size(docs):
    html = '<p><img alt="Beale" src="../../assets/generated/beale/seed.gif" loading="lazy" /></p>'
    out = add_image_sizes(html, docs, "surfaces/beale/")
    assert out == ('<p><img width="800" height="600" alt="Beale" '
                   'src="../../assets/generated/beale/seed.gif" loading="lazy" /></p>')


def test_a_given_width_keeps_the_aspect_ratio(docs):
    out = add_image_sizes('<img alt="s" src="images/sketch.svg" width="480" />', docs, "")
    assert out == '<img alt="s" src="images/sketch.svg" width="480" height="300" />'
    out = add_image_sizes('<img alt="s" src="../images/sketch.svg#only-light" height="100">', docs, "x/")
    assert out == '<img alt="s" src="../images/sketch.svg#only-light" width="160" height="100">'


def test_other_images_are_left_alone(docs):
    html = ('<img src="https://example.org/a.png"><img src="missing.png">'
            '<img src="images/sketch.svg" width="10" height="20">')
    assert add_image_sizes(html, docs, "") == html


HEAD = ('<head><link href="../assets/stylesheets/glightbox.min.css" rel="stylesheet">'
        '<script src="../assets/javascripts/glightbox.min.js"></script></head>')
INIT = '<script id="init-glightbox">const lightbox = GLightbox({});\n</script>'


def test_lightbox_loads_after_first_paint():
    out = defer_lightbox(f"<html>{HEAD}<body>{INIT}</body></html>")
    assert '<script src="../assets/javascripts/glightbox.min.js" defer></script>' in out
    assert ('<link href="../assets/stylesheets/glightbox.min.css" rel="stylesheet" media="print" '
            "onload=\"this.media='all'\">") in out
    # The start-up script runs after the deferred library (modules are deferred too).
    assert '<script id="init-glightbox" type="module">const lightbox = GLightbox({});' in out


def test_lightbox_rewrite_fails_loudly_when_the_plugin_changes():
    assert defer_lightbox("<html><head></head><body></body></html>") == "<html><head></head><body></body></html>"
    with pytest.raises(ValueError, match="glightbox"):
        defer_lightbox(f"<head><script async src='glightbox.min.js'></script></head>{INIT}")
