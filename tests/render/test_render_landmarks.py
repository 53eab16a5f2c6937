"""What the reader must always see: stationary points and the start above the paths, a
colour bar for f, a magnified inset when the runs stay in a corner, and readable paths
when they are long and tangled."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgb

from build_assets.render.animate import TrajectoryAnimation
from build_assets.render.inset import zoom_bounds
from build_assets.render.markers import INK, Z_LANDMARK
from build_assets.render.overlay import TAIL, Z_HEAD, Z_LINE
from build_assets.render.style import make_run

from test_render_animate import BOWL, ROSENBROCK, SADDLE, descend  # the stand-in surfaces


def _through_the_minimum(steps=30):
    """A straight path from (-8, 0) through the bowl's minimum (0, 0) to (8, 0)."""
    x = np.linspace(-8.0, 8.0, steps + 1)
    return np.column_stack([x, np.zeros_like(x)])


# --- landmarks above the paths ---------------------------------------------------------------


@pytest.mark.parametrize("view", ["contour", "3d"])
def test_landmarks_are_drawn_above_paths_and_below_heads(view):
    anim = TrajectoryAnimation(BOWL, [make_run("sgd", _through_the_minimum())], view, max_frames=5)
    overlay = anim.overlays[0]
    assert overlay.landmarks is not None
    assert overlay.lines.get_zorder() == Z_LINE < Z_LANDMARK < Z_HEAD == overlay.heads.get_zorder()
    order = anim.set_step(anim.n_steps)
    assert order.index(overlay.lines) < order.index(overlay.landmarks) < order.index(overlay.heads)
    # The landmarks are the minimum and the start, each with a white halo under its outline.
    n = len(anim._landmarks)
    assert n == 2 and sorted(m.hollow for m in anim._landmarks) == [False, True]
    edges = overlay.landmarks.get_edgecolor()
    assert (edges[:n, :3] == 1).all() and np.allclose(edges[n:, :3], to_rgb(INK))
    assert (overlay.landmarks.get_linewidths()[:n] > overlay.landmarks.get_linewidths()[n:]).all()


def test_the_minimum_shows_over_a_path_through_it():
    """Along the red line, across the minimum, the star's dark outline is visible and its
    light face covers the line's middle: the star is drawn after the path."""
    run = make_run("sgd", _through_the_minimum())
    anim = TrajectoryAnimation(BOWL, [run], "contour", max_frames=5)
    buf = anim.draw_frame(len(anim.steps) - 1).astype(int)
    (x, y), = anim.ax.transData.transform([[0.0, 0.0]])
    row, col = int(round(buf.shape[0] - y)), int(round(x))
    red = np.array(to_rgb(run.color)) * 255
    far = buf[row - 1:row + 2, col - 40, :3]  # the plain line, away from the star
    assert (np.abs(far - red).sum(axis=1) < 40).any()
    across = buf[row - 1:row + 2, col - 12:col + 13, :3]
    assert (across.max(axis=2) < 90).any()  # the outline (ink), not the red line
    assert (buf[row, col, :3] > red + 20).all()  # lighter than the line: the face is above it


def test_static_pictures_keep_their_landmarks(tmp_path):
    anim = TrajectoryAnimation(SADDLE, [], "contour", counter=False)
    assert anim.overlays[0].landmarks is not None and not anim.overlays[0].landmarks.get_animated()


# --- colour bar ------------------------------------------------------------------------------


def test_contour_plots_have_a_colour_bar_log_scaled_with_log_levels():
    runs = [make_run("sgd", _through_the_minimum())]
    linear = TrajectoryAnimation(BOWL, runs, "contour", max_frames=3)
    log = TrajectoryAnimation(ROSENBROCK, [make_run("sgd", np.array([[-1.5, 2.0], [1.0, 1.0]]))],
                              "contour", max_frames=2)
    assert not linear.grid.log and linear.cax.get_yscale() == "linear"
    assert log.grid.log and log.cax.get_yscale() == "log"
    assert TrajectoryAnimation(BOWL, runs, "3d", max_frames=3).cax is None  # f is the height axis
    for anim in (linear, log):
        r = anim.fig.canvas.get_renderer()
        bar = anim.cax.get_tightbbox(r)
        assert not bar.overlaps(anim.legend.get_window_extent(r))
        assert not anim.cax.get_window_extent(r).overlaps(anim.ax.get_window_extent(r))
        assert anim.cax.get_ylabel().startswith("f(x)")
        lo, hi = anim.cax.get_ylim()
        assert lo < hi


# --- inset -----------------------------------------------------------------------------------


def test_runs_in_a_small_corner_get_a_magnified_inset():
    pts, _ = descend(BOWL, (-9.0, 4.0), 0.0005, 200)  # barely moves from the start
    assert np.ptp(pts[:, 0]) < 0.5
    anim = TrajectoryAnimation(BOWL, [make_run("adam", pts)], "contour", max_frames=10)
    assert anim.inset is not None
    r = anim.fig.canvas.get_renderer()
    inset, plot = anim.inset.get_window_extent(r), anim.ax.get_window_extent(r)
    assert plot.x0 <= inset.x0 and inset.x1 <= plot.x1 and plot.y0 <= inset.y0 and inset.y1 <= plot.y1
    (a1, b1), (a2, b2) = anim.inset.get_xlim(), anim.inset.get_ylim()
    zoom = anim.ax.transData.transform([[a1, a2], [b1, b2]])
    assert not (zoom[0, 0] < inset.x1 and inset.x0 < zoom[1, 0]
                and zoom[0, 1] < inset.y1 and inset.y0 < zoom[1, 1])  # not over what it magnifies
    assert (b1 - a1) < 0.25 * 20  # magnified at least 4x
    anim.draw_frame(len(anim.steps) - 1)
    assert len(anim.overlays) == 2 and len(anim.overlays[1].lines.get_segments()[0]) > 10


def test_runs_across_the_plot_get_no_inset():
    pts, _ = descend(BOWL, (-9.0, 4.0), 0.05, 100, beta=0.8)
    assert TrajectoryAnimation(BOWL, [make_run("sgd", pts)], "contour", max_frames=5).inset is None
    assert zoom_bounds([pts], (-10, -5), (10, 5)) is None


# --- busy figures ----------------------------------------------------------------------------


def test_long_tangled_paths_fade_except_their_last_steps():
    rng = np.random.default_rng(0)
    tangled = np.cumsum(rng.normal(scale=2.0, size=(300, 2)), axis=0) * [0.3, 0.15]
    tangled = np.clip(tangled, [-9.5, -4.5], [9.5, 4.5])
    anim = TrajectoryAnimation(BOWL, [make_run("sgd", tangled)], "contour", max_frames=20)
    overlay = anim.overlays[0]
    assert overlay.faint
    anim.set_step(200)
    assert len(overlay.history.get_segments()[0]) == 201
    assert len(overlay.lines.get_segments()[0]) == TAIL + 1  # the last TAIL steps
    assert overlay.history.get_linewidth()[0] < overlay.lines.get_linewidth()[0]
    # The faint history is an opaque tint, an exact palette colour: transparency would
    # blend into thousands of colours for the GIF encoder to map.
    assert (overlay.history.get_edgecolor()[:, 3] == 1).all()
    assert overlay.tints and set(overlay.tints) <= set(anim.reserved_colors())
    calm = TrajectoryAnimation(BOWL, [make_run("sgd", _through_the_minimum())], "contour", max_frames=3)
    assert not calm.overlays[0].faint
