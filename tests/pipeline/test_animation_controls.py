"""Every animation has a still, and the pages offer it to readers who asked for reduced motion."""
from __future__ import annotations

import pytest
from PIL import Image

from build_assets.animation_controls import add_stills, still_of


def test_still_of_names_the_png_beside_the_gif():
    assert still_of("../assets/generated/cubic/seed_3d.gif") == "../assets/generated/cubic/seed_3d-still.png"
    with pytest.raises(ValueError, match="not a GIF"):
        still_of("cubic/contour.png")


def test_generated_gifs_get_a_reduced_motion_source_and_nothing_else_changes():
    gif = '<img alt="Animation: SGD" loading="lazy" src="../assets/generated/cubic/seed_3d.gif" />'
    other = '<img alt="A chart" src="../assets/generated/cubic/seed_loss.png" />'
    foreign = '<img alt="A GIF that is not ours" src="../images/logo.gif" />'
    html = add_stills(f"<p>{gif}</p><p>{other}</p><p>{foreign}</p>")
    assert html == (f'<p><picture class="atlas-animation"><source srcset="../assets/generated/cubic/seed_3d-still.png"'
                    f' media="(prefers-reduced-motion: reduce)">{gif}</picture></p><p>{other}</p><p>{foreign}</p>')


def test_each_built_animation_has_a_still_of_its_size(build_copy):
    gifs = sorted(build_copy.rglob("*.gif"))
    assert gifs
    for gif in gifs:
        still = gif.with_name(still_of(gif.name))
        with Image.open(gif) as animation, Image.open(still) as image:
            assert image.format == "PNG" and image.size == animation.size, gif.name
            animation.seek(animation.n_frames - 1)  # the still is the last frame, the whole paths
            last = animation.convert("RGB")
            assert image.convert("RGB").tobytes() == last.tobytes(), gif.name
