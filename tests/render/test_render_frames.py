"""Frame selection, clipping of trajectories to the plot box, legend status labels."""

from __future__ import annotations


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_assets.render.animate import clip_polyline, select_frames, status_label
from build_assets.render.style import Run

# --- frame selection -------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 10, 150])
def test_short_runs_get_every_step(n):
    assert select_frames(n, 150).tolist() == list(range(n))


@pytest.mark.parametrize("n_points, max_frames", [(151, 150), (501, 150), (1001, 150), (10001, 150),
                                                  (301, 40), (100, 3)])
def test_long_runs_are_subsampled_denser_early(n_points, max_frames):
    idx = select_frames(n_points, max_frames)
    assert len(idx) <= max_frames
    assert len(idx) >= max_frames - 1  # rounding may merge at most one pair
    assert idx[0] == 0 and idx[-1] == n_points - 1
    gaps = np.diff(idx)
    assert (gaps >= 1).all()  # unique, increasing
    if max_frames >= 10:
        assert gaps[0] == 1  # the first steps are all shown
    if max_frames >= 10 and n_points >= 2 * max_frames:
        k = len(gaps) // 4
        assert gaps[:k].mean() < gaps[-k:].mean()  # denser early
        # Half of the frames cover clearly less than half of the steps.
        assert idx[len(idx) // 2] < 0.4 * (n_points - 1)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 20000), st.integers(2, 400))
def test_frame_selection_properties(n_points, max_frames):
    idx = select_frames(n_points, max_frames)
    assert 1 <= len(idx) <= max(max_frames, 1)
    assert idx[0] == 0 and idx[-1] == n_points - 1
    assert (np.diff(idx) > 0).all()
    if n_points > max_frames:
        assert len(idx) >= max_frames - 1


def test_frame_selection_rejects_nonsense():
    with pytest.raises(ValueError):
        select_frames(0, 10)
    with pytest.raises(ValueError):
        select_frames(10, 1)


# --- clipping --------------------------------------------------------------------------------

LO, HI = (-1.0, -1.0), (2.0, 1.0)


def _inside(verts, lo=LO, hi=HI, tol=1e-12):
    v = verts[np.isfinite(verts).all(axis=1)]
    return bool(((v >= np.array(lo) - tol) & (v <= np.array(hi) + tol)).all())


def test_path_inside_the_box_is_unchanged():
    pts = np.array([[0.0, 0.5], [0.5, 0.2], [1.0, 0.0], [1.5, -0.3]])
    cp = clip_polyline(pts, LO, HI)
    np.testing.assert_array_equal(cp.verts, pts)
    assert cp.cut.tolist() == [1, 2, 3, 4]
    assert not cp.left_plot
    assert cp.inside.all()


def test_path_that_leaves_stops_at_the_boundary():
    # Exponential growth along x1, like a saddle escape: leaves through x1 = 2.
    pts = np.array([[0.1 * 1.5**k, 0.0] for k in range(30)])
    first_out = int(np.argmax(pts[:, 0] > 2.0))
    cp = clip_polyline(pts, LO, HI)
    assert _inside(cp.verts)
    assert cp.exit_steps.tolist() == [first_out]
    np.testing.assert_allclose(cp.exit_points, [[2.0, 0.0]])
    np.testing.assert_allclose(cp.verts[-1], [2.0, 0.0])  # ends exactly on the boundary
    # After leaving nothing more is drawn.
    assert (cp.cut[first_out:] == cp.cut[-1]).all()
    assert not cp.inside[-1]


def test_huge_and_non_finite_points_are_never_drawn():
    pts = np.array([[0.0, 0.0], [1.0, 0.5], [1e34, -1e34], [np.inf, np.nan], [1e300, 1e300]])
    cp = clip_polyline(pts, LO, HI)
    assert _inside(cp.verts)
    assert np.abs(cp.verts[np.isfinite(cp.verts)]).max() <= 2.0
    assert cp.exit_steps.tolist() == [2]


def test_non_finite_point_inside_ends_the_path_at_the_last_good_point():
    pts = np.array([[0.0, 0.0], [0.5, 0.5], [np.nan, np.nan]])
    cp = clip_polyline(pts, LO, HI)
    assert cp.exit_steps.tolist() == [2]
    np.testing.assert_allclose(cp.exit_points, [[0.5, 0.5]])
    assert cp.cut.tolist() == [1, 2, 2]


def test_excursion_and_return_leaves_a_gap():
    pts = np.array([[0.0, 0.0], [0.0, 0.8], [0.0, 1.6], [0.0, 0.4], [0.0, 0.2]])
    cp = clip_polyline(pts, LO, HI)
    assert _inside(cp.verts)
    assert cp.exit_steps.tolist() == [2]
    nan_rows = np.isnan(cp.verts).all(axis=1)
    assert nan_rows.sum() == 1  # one break: out at x2 = 1, back in at x2 = 1
    assert cp.inside[-1]
    pieces = np.split(cp.verts, np.flatnonzero(nan_rows))
    np.testing.assert_allclose(pieces[0][-1], [0.0, 1.0])
    np.testing.assert_allclose(pieces[1][1], [0.0, 1.0])


def test_segment_crossing_the_box_between_two_outside_points():
    pts = np.array([[-5.0, 0.0], [5.0, 0.0]])
    cp = clip_polyline(pts, LO, HI)
    finite = cp.verts[np.isfinite(cp.verts).all(axis=1)]
    np.testing.assert_allclose(finite, [[-1.0, 0.0], [2.0, 0.0]])
    assert cp.exit_steps.tolist() == [1]


def test_start_outside_the_box():
    pts = np.array([[3.0, 0.0], [1.0, 0.0], [0.0, 0.0]])
    cp = clip_polyline(pts, LO, HI)
    assert cp.cut[0] == 0
    assert _inside(cp.verts)
    assert not cp.left_plot


def test_three_d_clipping_includes_height():
    lo, hi = (-1.0, -1.0, 0.0), (1.0, 1.0, 1.0)
    pts = np.array([[0.0, 0.0, 0.5], [0.1, 0.0, 0.9], [0.2, 0.0, 3.0]])
    cp = clip_polyline(pts, lo, hi)
    assert cp.exit_steps.tolist() == [2]
    assert cp.exit_points[0][2] == pytest.approx(1.0)
    assert _inside(cp.verts, lo, hi)


def test_points_exactly_on_the_boundary_are_inside():
    pts = np.array([[2.0, 1.0], [2.0, -1.0], [-1.0, -1.0]])
    cp = clip_polyline(pts, LO, HI)
    assert cp.inside.all() and not cp.left_plot
    np.testing.assert_array_equal(cp.verts, pts)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)), min_size=1, max_size=40))
def test_clipped_vertices_always_lie_in_the_box(points):
    pts = np.array(points, dtype=np.float64).reshape(-1, 2)
    cp = clip_polyline(pts, LO, HI)
    assert _inside(cp.verts, tol=1e-9)
    assert (np.diff(cp.cut) >= 0).all() and cp.cut[-1] == len(cp.verts)
    assert len(cp.exit_steps) == len(cp.exit_points)


# --- labels ----------------------------------------------------------------------------------


def _run(points, diverged_at=-1):
    return Run("Momentum", np.asarray(points, float), diverged_at, "#228833")


def test_status_labels():
    escape = [[0.1 * 1.5**k, 0.0] for k in range(30)]
    first_out = int(np.argmax(np.array(escape)[:, 0] > 2.0))
    cp = clip_polyline(np.array(escape), LO, HI)
    assert status_label(_run(escape), cp) == f"Momentum — left the plot at step {first_out}"

    inside = [[0.0, 0.0], [0.1, 0.1]]
    cp = clip_polyline(np.array(inside), LO, HI)
    assert status_label(_run(inside), cp) == "Momentum"
    assert status_label(_run(inside, 1), cp) == "Momentum — diverged at step 1"

    back = [[0.0, 0.0], [0.0, 1.6], [0.0, 0.2]]
    cp = clip_polyline(np.array(back), LO, HI)
    assert status_label(_run(back), cp) == "Momentum — left the plot at step 1, came back"
