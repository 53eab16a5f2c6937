"""3-D views lay each step over the surface instead of a straight chord through the air."""
from __future__ import annotations

import numpy as np

from build_assets.render.animate import TrajectoryAnimation
from build_assets.render.drape import MAX_PIECE, MAX_PIECES, drape
from build_assets.render.style import make_run

from test_render_animate import SADDLE  # the stand-in surfaces

LO, HI = np.array([-1.0, -1.0]), np.array([2.0, 1.0])


def height(xy):
    xy = np.asarray(xy, dtype=np.float64)
    return -xy[..., 0] ** 2 / 2 + xy[..., 1] ** 2


def test_long_steps_are_subdivided_on_the_surface_and_iterates_kept():
    pts = np.array([[0.0, 0.5], [1.5, -0.8], [1.5001, -0.8], [0.0, 0.0]])
    coords, at = drape(pts, height, LO, HI)
    np.testing.assert_array_equal(coords[at, :2], pts)  # the iterates, in place
    np.testing.assert_allclose(coords[:, 2], height(coords[:, :2]))  # every point on the surface
    assert at[0] == 0 and (np.diff(at) >= 1).all()
    # The long first step is cut into pieces of at most MAX_PIECE of the box; the tiny
    # second one is not cut at all.
    first = coords[at[0]:at[1] + 1, :2]
    pieces = np.hypot(*(np.diff(first, axis=0) / (HI - LO)).T)
    assert len(first) > 10 and pieces.max() <= MAX_PIECE * 1.0001
    assert at[2] - at[1] == 1


def test_a_step_leaving_the_box_is_subdivided_only_inside_and_ends_at_the_boundary():
    pts = np.array([[0.5, 0.0], [1e30, 0.0], [np.nan, np.nan], [0.2, 0.1]])
    coords, at = drape(pts, height, LO, HI)
    between = coords[at[0] + 1:at[1], :2]
    assert 0 < len(between) <= MAX_PIECES + 1
    assert (between[:, 0] <= HI[0] + 1e-12).all()
    assert np.isclose(between[:, 0].max(), HI[0])  # the boundary crossing itself
    assert at[2] - at[1] == 1 and at[3] - at[2] == 1  # nothing between non-finite points


def test_three_d_paths_follow_the_surface():
    """Lion-like jumps across the saddle: every drawn vertex lies on the surface (plus the
    hair the paths float by), where a chord would sag far below or float above it."""
    jumps = np.array([[0.0, 0.5], [0.75, -0.25], [1.5, 0.5], [-0.9, 0.9], [1.8, 0.9]])
    anim = TrajectoryAnimation(SADDLE, [make_run("lion", jumps)], "3d", max_frames=5)
    d = anim._data[0]
    v = d.path.verts[np.isfinite(d.path.verts).all(axis=1)]
    zr = anim.grid.zlim[1] - anim.grid.zlim[0]
    np.testing.assert_allclose(v[:, 2], height(v[:, :2]) + 0.004 * zr, atol=1e-9)
    assert len(v) > 5 * len(jumps)
    # A chord's midpoint would be far off the surface.
    mid = (jumps[3] + jumps[4]) / 2
    chord = (height(jumps[3]) + height(jumps[4])) / 2
    assert abs(chord - height(mid)) > 0.2 * zr
    # Steps and exits are still counted in optimizer steps.
    assert d.path.cut.shape == (len(jumps),) and d.coords.shape == (len(jumps), 3)
    np.testing.assert_array_equal(d.coords[:, :2], jumps)


def test_steps_close_to_the_surface_are_not_subdivided():
    short = np.array([[0.0, 0.5], [0.05, 0.45], [1.5, -0.8]])
    coords, at = drape(short, height, LO, HI, tol=1e-3)
    assert at[1] - at[0] == 1  # the chord of a short step lies on the surface within tol
    assert at[2] - at[1] > 10  # a long one does not
    mid = coords[at[1]:at[2] + 1]
    # Between the in-between points the chord stays within tol of the surface.
    halfway = (mid[1:, :2] + mid[:-1, :2]) / 2
    assert np.abs((mid[1:, 2] + mid[:-1, 2]) / 2 - height(halfway)).max() <= 1e-3
