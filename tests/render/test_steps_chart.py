"""The per-optimizer step-size charts: surfaces have their own style, never an optimizer's."""
from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb

from build_assets.render.steps import SURFACE_STYLES, step_sizes_figure
from build_assets.render.style import DEFAULT_STYLES, FALLBACK_STYLES
from build_assets.cli import EXPERIMENTS
from build_assets.config import load

# The charts draw the surfaces that have experiments (the atlas's surface pages).
DRAWN = len(load(EXPERIMENTS).surfaces)

OPTIMIZER_COLOURS = {to_rgb(s.color) for s in (*DEFAULT_STYLES.values(), *FALLBACK_STYLES)}


def _series(n, steps=300, same=False):
    """``n`` fake runs: geometric decay, all identical if ``same``."""
    out = {}
    for i in range(n):
        rate = 0.9 if same else 0.9 - 0.05 * i
        pts = np.column_stack([rate ** np.arange(steps + 1), np.zeros(steps + 1)])
        out[f"surface {i}"] = (pts, pts.copy())
    return out


def test_surface_styles_are_grey_marked_and_never_an_optimizers():
    assert len(SURFACE_STYLES) >= DRAWN
    assert len({s.color for s in SURFACE_STYLES}) == len(SURFACE_STYLES)
    assert len({s.marker for s in SURFACE_STYLES}) == len(SURFACE_STYLES)
    for style in SURFACE_STYLES:
        r, g, b = to_rgb(style.color)
        assert r == g == b, style  # achromatic: no hue an optimizer owns
        assert (r, g, b) not in OPTIMIZER_COLOURS  # not black (RMSprop), not the fallback grey
        assert 0.05 < r < 0.8  # visible on white, not black


def test_chart_lines_are_solid_marked_surface_styles():
    fig = step_sizes_figure("t", _series(DRAWN))
    lines = [line for ax in fig.axes for line in ax.get_lines()]
    assert len(lines) == 2 * DRAWN
    for line in lines:
        assert line.get_linestyle() == "-"
        assert line.get_marker() in {s.marker for s in SURFACE_STYLES}
        assert to_rgb(line.get_color()) not in OPTIMIZER_COLOURS
    # Each surface keeps one style in both panels and in the legend.
    left, right = fig.axes[0].get_lines(), fig.axes[1].get_lines()
    for a, b, style in zip(left, right, SURFACE_STYLES):
        assert (a.get_color(), a.get_marker()) == (b.get_color(), b.get_marker()) == (style.color, style.marker)


def test_coinciding_surfaces_stay_distinguishable():
    """Two surfaces with the same lr on a quadratic draw the same line: their markers
    sit at different steps, so both show."""
    fig = step_sizes_figure("t", _series(2, same=True))
    a, b = fig.axes[0].get_lines()
    np.testing.assert_array_equal(a.get_ydata(), b.get_ydata())
    marks_a, marks_b = set(a.get_markevery()), set(b.get_markevery())
    assert len(marks_a) >= 4 and len(marks_b) >= 4
    assert not marks_a & marks_b
    assert a.get_marker() != b.get_marker() and a.get_color() != b.get_color()
