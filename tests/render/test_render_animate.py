"""Trajectory animations: GIF shape and timing, clipping and labels of runs that leave
the plot or diverge, legend placement, 3-D projection and visibility, determinism."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from build_assets.render.animate import (
    TrajectoryAnimation,
    render_animation,
    select_frames,
)
from build_assets.render.scene import save_contour_png, save_surface_png
from build_assets.render.style import DEFAULT_STYLES, make_run

CS231N_COLORS = {"rmsprop": "#000000", "adagrad": "#0000FF", "momentum": "#008000"}

# --- stand-in surfaces (the contract of optimizers.SURFACES) ----------------------------------


@dataclass(frozen=True)
class Point:
    location: np.ndarray
    kind: str
    value: float


@dataclass(frozen=True, eq=False)
class StandIn:
    key: str
    title: str
    bounds: tuple
    f: object
    grad: object
    stationary_points: tuple = ()

    def value(self, x):
        x = np.asarray(x, dtype=np.float64)
        return self.f(x[..., 0], x[..., 1])


SADDLE = StandIn(
    "saddle", "Saddle point", ((-1.0, 2.0), (-1.0, 1.0)),
    lambda a, b: -a**2 / 2 + b**2, lambda x: np.array([-x[0], 2 * x[1]]),
    (Point(np.zeros(2), "saddle", 0.0),),
)
BOWL = StandIn(
    "ill_conditioned_bowl", "Ill-conditioned bowl", ((-10.0, 10.0), (-5.0, 5.0)),
    lambda a, b: a**2 / 20 + b**2, lambda x: np.array([x[0] / 10, 2 * x[1]]),
    (Point(np.zeros(2), "minimum", 0.0),),
)
ROSENBROCK = StandIn(
    "rosenbrock", "Rosenbrock's valley", ((-2.0, 2.0), (-1.0, 3.0)),
    lambda a, b: (1 - a) ** 2 + 100 * (b - a**2) ** 2,
    lambda x: np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)]),
    (Point(np.ones(2), "minimum", 0.0),),
)


def descend(surface, x0, lr, steps, beta=0.0, bound=1e6):
    """Heavy-ball gradient descent; points frozen at the last good value on divergence."""
    x, v = np.array(x0, float), np.zeros(2)
    pts, div = [x.copy()], -1
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            v = beta * v - lr * surface.grad(x)
            new = x + v
            if div < 0 and not np.linalg.norm(new) <= bound:
                div = t
            if div < 0:
                x = new
            pts.append(x.copy())
    return np.array(pts), div


def saddle_runs(steps=200):
    runs = []
    for name, lr, beta in [("sgd", 0.05, 0.0), ("momentum", 0.05, 0.9), ("nesterov", 0.05, 0.9),
                           ("rmsprop", 0.01, 0.0)]:
        pts, div = descend(SADDLE, (1e-5, 0.5), lr, steps, beta)
        runs.append(make_run(name, pts, div))
    return runs


def gif_durations(path):
    out = []
    with Image.open(path) as im:
        for i in range(im.n_frames):
            im.seek(i)
            out.append(im.info["duration"])
    return out


# --- the GIF -----------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["contour", "3d"])
def test_animation_gif_shape_timing_and_size(tmp_path, view):
    runs = saddle_runs(200)
    path = tmp_path / f"saddle_{view}.gif"
    res = render_animation(path, SADDLE, runs, view, max_frames=12)
    assert res.n_frames == 12 and len(res.steps) == 12
    assert res.steps[0] == 0 and res.steps[-1] == 200
    assert list(res.steps) == select_frames(201, 12).tolist()
    with Image.open(path) as im:
        assert im.is_animated and im.n_frames == 12
        assert im.info["loop"] == 0  # loops forever
        assert im.size[0] >= 720 and im.size == (800, 600)
    durations = gif_durations(path)
    assert durations[-1] >= 1500 and all(d == durations[0] for d in durations[:-1])
    assert durations[-1] > 10 * durations[0]  # final frame held
    size = path.stat().st_size
    assert size == res.n_bytes and size < 2_000_000
    # Deterministic: the same input gives the same bytes.
    again = render_animation(tmp_path / "again.gif", SADDLE, runs, view, max_frames=12)
    assert Path(again.path).read_bytes() == path.read_bytes()


def test_every_step_shown_when_short_and_counter_reaches_the_end(tmp_path):
    pts, div = descend(BOWL, (-9.0, 4.0), 0.1, 20, beta=0.5)
    anim = TrajectoryAnimation(BOWL, [make_run("momentum", pts, div)], "contour")
    assert anim.steps.tolist() == list(range(21))
    assert anim.durations_ms() == [50] * 20 + [2000]


# --- clipping and labels -------------------------------------------------------------------


def test_run_leaving_the_plot_is_clipped_and_labelled(tmp_path):
    runs = saddle_runs(300)
    anim = TrajectoryAnimation(SADDLE, runs, "contour", max_frames=10)
    (a1, b1), (a2, b2) = SADDLE.bounds
    for run, label, d in zip(runs, anim.labels, anim._data):
        inside = (run.points[:, 0] >= a1) & (run.points[:, 0] <= b1) & \
                 (run.points[:, 1] >= a2) & (run.points[:, 1] <= b2)
        if inside.all():
            assert "left the plot" not in label
            continue
        first_exit = int(np.flatnonzero(~inside)[0])
        expected = (f"diverged at step {run.diverged_at}" if run.diverged_at >= 0
                    else f"left the plot at step {first_exit}" + (", came back" if inside[-1] else ""))
        assert label == f"{run.label} — {expected}"
        assert d.exit_steps.size >= 1  # an × marks the exit
        ex = d.exit_points[-1]
        assert np.isclose(ex[0], b1) or np.isclose(ex[0], a1) or np.isclose(ex[1], a2) \
            or np.isclose(ex[1], b2)
    assert any("left the plot" in lab for lab in anim.labels)
    # Nothing drawn outside the plot, at any frame.
    for i in range(len(anim.steps)):
        anim.draw_frame(i)
        for seg in anim._lines.get_segments():
            seg = seg[np.isfinite(seg).all(axis=1)]
            assert ((seg[:, 0] >= a1 - 1e-9) & (seg[:, 0] <= b1 + 1e-9)).all()
            assert ((seg[:, 1] >= a2 - 1e-9) & (seg[:, 1] <= b2 + 1e-9)).all()
        offs = np.asarray(anim._heads.get_offsets()).reshape(-1, 2)
        assert ((offs[:, 0] >= a1) & (offs[:, 0] <= b1)).all()
    # The exit markers have appeared by the last frame.
    assert len(anim._exits.get_offsets()) >= sum("left the plot" in lab for lab in anim.labels)


def test_three_d_paths_are_clipped_in_height_too():
    runs = saddle_runs(300)
    anim = TrajectoryAnimation(SADDLE, runs, "3d", max_frames=6)
    lo, hi = anim.box
    assert len(lo) == 3
    for d in anim._data:
        v = d.path.verts[np.isfinite(d.path.verts).all(axis=1)]
        assert ((v >= lo - 1e-9) & (v <= hi + 1e-9)).all()
    assert (np.asarray(anim.ax.get_zlim()) == [lo[2], hi[2]]).all()


def test_diverged_run_renders_and_says_so(tmp_path):
    # Too large a step on the bowl: x2 doubles in size every step and blows up.
    pts, div = descend(BOWL, (1.0, 0.5), 1.5, 40, bound=1e6)
    assert div > 0
    inside_pts = pts.copy()  # a run that diverges without ever leaving the plot
    inside_pts[3:] = inside_pts[2]  # frozen at (x1, 2.0), well inside
    runs = [make_run("momentum", pts, div), make_run("sgd", inside_pts, 3)]
    for view in ("contour", "3d"):
        res = render_animation(tmp_path / f"div_{view}.gif", BOWL, runs, view, max_frames=8)
        assert res.labels[0] == f"Momentum — diverged at step {div}"  # as the metrics tables say
        assert res.labels[1] == "SGD — diverged at step 3"
        with Image.open(res.path) as im:
            assert im.n_frames == 8


def test_runs_with_different_lengths_and_a_run_starting_outside(tmp_path):
    a, _ = descend(BOWL, (-9.0, 4.0), 0.3, 40)
    b, _ = descend(BOWL, (-12.0, 0.0), 0.3, 15)  # starts outside, comes in
    res = render_animation(tmp_path / "mixed.gif", BOWL, [make_run("sgd", a), make_run("adam", b)],
                           "contour", max_frames=10)
    assert res.steps[-1] == 40


# --- layout, colours, 3-D projection -------------------------------------------------------


@pytest.mark.parametrize("view", ["contour", "3d"])
def test_legend_covers_no_data(view):
    runs = [make_run(n, descend(BOWL, (-9.0, 4.0), 0.05, 100, beta=0.8)[0])
            for n in DEFAULT_STYLES]  # all eleven optimizers
    anim = TrajectoryAnimation(BOWL, runs, view, max_frames=5)
    r = anim.fig.canvas.get_renderer()
    legend = anim.legend.get_window_extent(r)
    plot = anim.ax.get_tightbbox(r)
    assert not legend.overlaps(plot)
    W, H = anim.fig.bbox.width, anim.fig.bbox.height
    assert legend.x0 >= 0 and legend.y0 >= 0 and legend.x1 <= W and legend.y1 <= H
    assert plot.x0 >= 0 and plot.y0 >= 0 and plot.x1 <= W and plot.y1 <= H
    assert len({(s.color, str(s.linestyle)) for s in DEFAULT_STYLES.values()}) == 11


def test_three_d_projection_matches_matplotlib(tmp_path):
    """The paths are projected once with the axes' matrix; Line3D.draw, which
    projects on every draw, must land on the same display points."""
    pts, _ = descend(BOWL, (-9.0, 4.0), 0.05, 80, beta=0.8)
    anim = TrajectoryAnimation(BOWL, [make_run("momentum", pts)], "3d", max_frames=5)
    d = anim._data[0]
    (ref,) = anim.ax.plot(d.coords[:, 0], d.coords[:, 1], d.coords[:, 2])
    ref.draw(anim.fig.canvas.get_renderer())  # projects into 2-D data
    xs, ys = ref.get_data()
    np.testing.assert_allclose(np.column_stack([xs, ys]), d.coords2d, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("view", ["contour", "3d"])
def test_head_marker_is_visible_on_top_of_the_surface(view):
    """The moving marker is drawn over the surface: its colour is at its centre."""
    pts, _ = descend(BOWL, (-6.0, 3.0), 0.05, 40)
    run = make_run("sgd", pts)
    anim = TrajectoryAnimation(BOWL, [run], view, max_frames=5)
    for i in range(len(anim.steps)):
        buf = anim.draw_frame(i)
        (x, y), = anim.ax.transData.transform(anim._heads.get_offsets())
        H = buf.shape[0]
        centre = buf[int(round(H - y)), int(round(x)), :3]
        assert tuple(int(c) for c in centre) == tuple(int(run.color[k:k + 2], 16) for k in (1, 3, 5))


def test_colour_overrides_and_cs231n_colours():
    run = make_run("rmsprop", np.zeros((3, 2)), overrides=CS231N_COLORS)
    assert run.color == "#000000"
    assert make_run("adagrad", np.zeros((3, 2)), overrides=CS231N_COLORS).color == "#0000FF"
    assert make_run("Momentum", np.zeros((3, 2)), overrides=CS231N_COLORS).color == "#008000"
    assert make_run("adam", np.zeros((3, 2)), overrides=CS231N_COLORS).color == \
        DEFAULT_STYLES["adam"].color
    assert make_run("sgd", np.zeros((3, 2)), color="tab:blue").color == "#1F77B4"


# --- static images -----------------------------------------------------------


def test_static_pngs_are_written_and_deterministic(tmp_path):
    for fn in (save_contour_png, save_surface_png):
        p1, p2 = tmp_path / f"{fn.__name__}1.png", tmp_path / f"{fn.__name__}2.png"
        fn(ROSENBROCK, p1)
        fn(ROSENBROCK, p2)
        assert p1.read_bytes() == p2.read_bytes()
        with Image.open(p1) as im:
            assert im.size == (800, 600)
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".png"] * 4


def test_render_failure_leaves_no_file(tmp_path, monkeypatch):
    runs = saddle_runs(50)
    anim = TrajectoryAnimation(SADDLE, runs, "contour", max_frames=6)
    calls = {"n": 0}
    original = anim.draw_frame

    def flaky(i):
        calls["n"] += 1
        if calls["n"] > 4:
            raise RuntimeError("boom")
        return original(i)

    monkeypatch.setattr(anim, "draw_frame", flaky)
    with pytest.raises(RuntimeError):
        anim.save_gif(tmp_path / "x.gif")
    assert list(tmp_path.iterdir()) == []


# --- the real surfaces, when the numerical library is there ---------------------------------


def _real_surfaces():
    try:
        from optimizers import SURFACES
    except Exception:  # pragma: no cover - library not there yet
        return []
    return sorted(SURFACES)


@pytest.mark.parametrize("key", _real_surfaces())
def test_every_real_surface_renders(tmp_path, key):
    from optimizers import SURFACES

    s = SURFACES[key]
    start = np.array(getattr(s, "start", np.mean(s.bounds, axis=1)), float)
    x, pts = start.copy(), [start.copy()]
    with np.errstate(all="ignore"):
        for _ in range(30):
            x = x - 1e-3 * s.grad(x)
            pts.append(x.copy())
    runs = [make_run("sgd", np.array(pts)), make_run("adam", np.array(pts)[::-1])]
    for view in ("contour", "3d"):
        res = render_animation(tmp_path / f"{key}_{view}.gif", s, runs, view, max_frames=3,
                               width_px=720, height_px=540)
        assert res.n_frames == 3 and Path(res.path).stat().st_size < 2_000_000
