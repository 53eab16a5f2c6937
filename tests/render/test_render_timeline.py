"""The legend says how a run ends only once the animation reaches that step."""
from __future__ import annotations

import numpy as np
import pytest

from build_assets.render.animate import TrajectoryAnimation
from build_assets.render.clip import clip_polyline
from build_assets.render.style import Run, make_run
from build_assets.render.timeline import default_events, label_at, label_steps, run_events

from test_render_animate import BOWL, SADDLE, descend  # the stand-in surfaces

LO, HI = (-1.0, -1.0), (2.0, 1.0)


# --- events and labels -----------------------------------------------------------------------


def test_default_events_are_the_first_exit_the_return_and_the_divergence():
    back = np.array([[0.0, 0.0], [0.0, 0.5], [0.0, 1.6], [0.0, 1.7], [0.0, 0.4], [0.0, 0.2]])
    path = clip_polyline(back, LO, HI)
    assert default_events(-1, path) == ((2, "left the plot at step 2"),
                                        (4, "left the plot at step 2, came back"))
    assert default_events(5, path)[-1] == (5, "diverged at step 5")
    inside = clip_polyline(np.zeros((4, 2)), LO, HI)
    assert default_events(-1, inside) == ()
    assert default_events(3, inside) == ((3, "diverged at step 3"),)


def test_label_at_shows_the_latest_event_up_to_the_step():
    events = ((3, "left the plot at step 3"), (7, "diverged at step 7"))
    assert label_at("Adam", events, 0) == "Adam"
    assert label_at("Adam", events, 2) == "Adam"
    assert label_at("Adam", events, 3) == "Adam — left the plot at step 3"
    assert label_at("Adam", events, 6) == "Adam — left the plot at step 3"
    assert label_at("Adam", events, 7) == "Adam — diverged at step 7"
    assert label_at("Adam", events, 10**9) == "Adam — diverged at step 7"
    labels, steps = label_steps("Adam", events)
    assert steps.tolist() == [3, 7]
    for t in range(12):
        assert labels[int(np.searchsorted(steps, t, side="right"))] == label_at("Adam", events, t)


def test_runs_carry_their_own_events_sorted_or_none():
    pts = np.zeros((20, 2))
    assert make_run("sgd", pts).events is None  # derived by the animation
    run = make_run("sgd", pts, events=[(16, "left the target at step 16"), (4, "reached the target")])
    assert run.events == ((4, "reached the target"), (16, "left the target at step 16"))
    assert Run("x", pts, -1, "#000000", events=[(np.int64(2), "a")]).events == ((2, "a"),)
    # Own events replace the derived ones, even for a run that diverged.
    path = clip_polyline(pts, LO, HI)
    assert run_events(make_run("sgd", pts, 5, events=[(1, "b")]), path) == ((1, "b"),)
    assert run_events(make_run("sgd", pts, 5), path) == ((5, "diverged at step 5"),)


# --- in the animation ------------------------------------------------------------------------


def _diverging_runs():
    pts, div = descend(BOWL, (1.0, 0.5), 1.5, 40, bound=1e6)  # x2 doubles every step
    assert div > 10
    inside, _ = descend(BOWL, (-9.0, 4.0), 0.1, 40)
    inside[12:] = inside[11]  # "diverges" at step 12 without ever leaving the plot
    return [make_run("momentum", pts, div), make_run("sgd", inside, 12)], div


@pytest.mark.parametrize("view", ["contour", "3d"])
def test_status_appears_only_from_its_step(view):
    runs, div = _diverging_runs()
    anim = TrajectoryAnimation(BOWL, runs, view, max_frames=41)
    assert anim.labels_at(0) == ("Momentum", "SGD")
    assert anim.labels_at(11) == (anim.labels_at(11)[0], "SGD")
    assert anim.labels_at(12)[1] == "SGD — diverged at step 12"
    assert anim.labels_at(anim.n_steps) == anim.labels == (f"Momentum — diverged at step {div}",
                                                          "SGD — diverged at step 12")
    # Momentum leaves the plot before it diverges: first that, then the divergence.
    exit_step = int(anim._data[0].path.exit_steps[0])
    assert exit_step < div
    assert anim.labels_at(exit_step - 1)[0] == "Momentum"
    assert anim.labels_at(exit_step)[0] == f"Momentum — left the plot at step {exit_step}"
    assert anim.labels_at(div - 1)[0] == f"Momentum — left the plot at step {exit_step}"


def _ink_right_edge(buf, rect):
    """Rightmost column (in figure pixels) of dark ink inside ``rect``."""
    r0, r1, c0, c1 = rect
    dark = (buf[r0:r1, c0:c1, :3].astype(int).sum(axis=2) < 300).any(axis=0)
    return c0 + int(np.flatnonzero(dark)[-1]) if dark.any() else None


def test_legend_pixels_show_the_divergence_only_at_the_end():
    """What the GIF shows, not only what the object says: at frame 0 the entry's ink ends
    with the name; at the last frame the status text follows it."""
    runs, div = _diverging_runs()
    anim = TrajectoryAnimation(BOWL, runs[1:], "contour", max_frames=41)
    (rect, _), = anim._live._sprites
    renderer = anim.fig.canvas.get_renderer()
    text = anim.legend.get_texts()[0]
    x0 = rect[2] + 2  # the labels' bitmaps start 2 px left of the text
    width = {}
    for label in ("SGD", "SGD — diverged at step 12"):
        w, _, _ = renderer.get_text_width_height_descent(label, text.get_fontproperties(), ismath=False)
        width[label] = w
    first = _ink_right_edge(anim.draw_frame(0).copy(), rect)
    before = _ink_right_edge(anim.draw_frame(int(np.searchsorted(anim.steps, 11))).copy(), rect)
    last = _ink_right_edge(anim.draw_frame(len(anim.steps) - 1).copy(), rect)
    assert first == before
    assert first <= x0 + width["SGD"] + 3
    assert last >= x0 + width["SGD — diverged at step 12"] - 4
    # The rest of the legend and the figure outside the plot are identical.
    a, b = anim.draw_frame(0).copy(), anim.draw_frame(len(anim.steps) - 1).copy()
    r0, r1, c0, c1 = rect
    a[r0:r1, c0:c1] = b[r0:r1, c0:c1] = 0
    plot = anim.ax.get_window_extent(renderer)
    H = a.shape[0]
    a[int(H - plot.y1) - 20:int(H - plot.y0) + 20, int(plot.x0) - 20:int(plot.x1) + 20] = 0
    b[int(H - plot.y1) - 20:int(H - plot.y0) + 20, int(plot.x0) - 20:int(plot.x1) + 20] = 0
    a[:40], b[:40] = 0, 0  # the step counter
    np.testing.assert_array_equal(a, b)


def test_explicit_events_are_shown_at_their_steps_and_not_beyond_the_animation():
    pts, _ = descend(SADDLE, (1e-5, 0.5), 0.05, 60)
    events = [(10, "reached the target at step 10"), (30, "left it at step 30"),
              (500, "cycling from step 500")]  # after the animated budget: never shown
    anim = TrajectoryAnimation(SADDLE, [make_run("adam", pts, events=events)], "contour", max_frames=61)
    assert anim.labels_at(9) == ("Adam",)
    assert anim.labels_at(10) == ("Adam — reached the target at step 10",)
    assert anim.labels_at(60) == ("Adam — left it at step 30",)
    assert [anim.labels_at(int(s))[0] for s in anim.steps[-1:]] == ["Adam — left it at step 30"]


# --- long statuses ---------------------------------------------------------------------------


def test_long_labels_are_wrapped_at_clauses_and_leave_the_plot_its_room():
    from build_assets.render.legend import WRAP, wrap

    label = "Nesterov (NAG) — reached the target at step 557; holds it to step 5000"
    assert wrap(label) == "Nesterov (NAG) — reached the target at step 557;\n    holds it to step 5000"
    assert wrap("SGD — diverged at step 12") == "SGD — diverged at step 12"
    assert all(len(line) <= WRAP + 8 for line in wrap("x " * 60).split("\n"))
    pts, _ = descend(BOWL, (-9.0, 4.0), 0.05, 60, beta=0.8)
    status = "reached the target at step 40; arrives at step 4745, after the budget"
    runs = [make_run(n, pts, events=[(40, status)]) for n in ("sgd", "momentum", "adam")]
    anim = TrajectoryAnimation(BOWL, runs, "contour", max_frames=5)
    assert anim.labels[0] == f"SGD — {status}"  # reported whole
    r = anim.fig.canvas.get_renderer()
    plot, fig = anim.ax.get_window_extent(r), anim.fig.bbox
    assert plot.width * plot.height > 0.3 * fig.width * fig.height
    assert max(len(t.get_text().split("\n")[0]) for t in anim.legend.get_texts()) <= 52
    assert not anim.legend.get_window_extent(r).overlaps(anim.cax.get_tightbbox(r))


@pytest.mark.parametrize("view", ["contour", "3d"])
def test_pasted_legend_equals_matplotlib_drawing_it(view):
    """The legend of the last frame, pasted from pre-rendered labels, is pixel for pixel
    the legend matplotlib draws with those labels (packed around the widest, here the
    final ones) -- also when a label gains a second line (long statuses are wrapped) and
    its neighbours keep one."""
    pts, _ = descend(BOWL, (-9.0, 4.0), 0.05, 60, beta=0.8)
    long = "reached the target at step 40; holds it to step 300 and beyond that"
    runs = [make_run("sgd", pts, events=[(40, long)]), make_run("momentum", pts, events=[(50, "short")]),
            make_run("adam", pts)]
    anim = TrajectoryAnimation(BOWL, runs, view, max_frames=61)
    r = anim.fig.canvas.get_renderer()
    box = anim.legend.get_window_extent(r)
    H = int(anim.fig.bbox.height)
    rows, cols = slice(int(H - box.y1) - 2, int(H - box.y0) + 2), slice(int(box.x0) - 2, int(box.x1) + 2)
    for frame, variant in ((len(anim.steps) - 1, -1),):
        pasted = anim.draw_frame(frame)[rows, cols].copy()
        for text, labels, _ in anim._live._entries:
            text.set_text(labels[variant])
            text.set_visible(True)
        anim.fig.canvas.draw()
        drawn = np.asarray(anim.fig.canvas.buffer_rgba())[rows, cols].copy()
        np.testing.assert_array_equal(pasted, drawn)
        for text, _, _ in anim._live._entries:
            text.set_visible(False)
    assert anim._live.texts_at(60)[0].startswith("SGD — reached the target at step 40;\n    holds it")


def test_a_shorter_label_is_drawn_level_with_its_handle():
    pts, _ = descend(BOWL, (-9.0, 4.0), 0.05, 60, beta=0.8)
    long = "reached the target at step 40; holds it to step 300 and beyond that"
    anim = TrajectoryAnimation(BOWL, [make_run("sgd", pts, events=[(40, long)]), make_run("adam", pts)],
                               "contour", max_frames=61)
    (r0, r1, c0, c1), _ = anim._live._sprites[0]

    def ink_rows(frame):
        region = anim.draw_frame(frame)[r0:r1, c0:c1, :3].astype(int).sum(axis=2)
        return np.flatnonzero((region < 300).any(axis=1))

    first, last = ink_rows(0), ink_rows(len(anim.steps) - 1)
    assert last[-1] - last[0] > 1.6 * (first[-1] - first[0])  # two lines, then one
    # Both centred on the entry, where its handle is drawn.
    handle = anim.legend.legend_handles[0].get_window_extent(anim.fig.canvas.get_renderer())
    centre = anim.fig.bbox.height - (handle.y0 + handle.y1) / 2 - r0
    assert abs((first[0] + first[-1]) / 2 - centre) <= 3
    assert abs((last[0] + last[-1]) / 2 - centre) <= 3
