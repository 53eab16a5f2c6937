"""Fast GIF animations of optimizer trajectories on a test surface.

The static background (surface, contours, axes, legend, title) is drawn once;
every frame restores that bitmap and draws only the moving artists (the path
so far, head marker and exit markers of each run, and the step counter) with
``draw_artist``, then hands the RGBA buffer to the GIF encoder.  No
``FuncAnimation``: it redraws the whole figure (twice) per frame.

Trajectories are clipped to the plot box before drawing -- x1/x2 to the
surface bounds and, in 3-D, the height to the z range (``set_zlim`` does not
clip 3-D lines).  Where a run leaves the box an × marks the exit and its
legend label says so ("— left the plot at step N"); a run that produced
non-finite values gets "— diverged at step N" and an × at its last point.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from typing import NamedTuple, Sequence

import numpy as np
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba_array
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.path import Path
from matplotlib.transforms import Affine2D, Bbox
from mpl_toolkits.mplot3d import proj3d

from . import scene
from .gif import PaletteMapper, build_palette, write_gif
from .style import Run

__all__ = [
    "ClippedPath",
    "RenderResult",
    "TrajectoryAnimation",
    "clip_polyline",
    "select_frames",
    "status_label",
    "render_animation",
    "DEFAULT_FPS",
    "HOLD_MS",
]

DEFAULT_FPS = 20
HOLD_MS = 2000
VIEWS = ("3d", "contour")

_TEXT_COLOR = "#222222"
_LINE_WIDTH = 2.2
_HEAD_SIZE = 8.5
_EXIT_SIZE = 11.0
_LEGEND_FONTSIZE = 9.5
_TITLE_FONTSIZE = 14
_COUNTER_FONTSIZE = 12
_DPI = 100

# Z-orders of moving artists (only relevant for the final static frame: the
# per-frame drawing order is explicit).
_Z_LINE = 30
_Z_EXIT = 40
_Z_HEAD = 50


# --------------------------------------------------------------------------
# Frame selection
# --------------------------------------------------------------------------


def select_frames(n_points: int, max_frames: int = 150) -> np.ndarray:
    """Indices of the trajectory points to show, one per frame.

    All points if ``n_points <= max_frames``; otherwise ``max_frames`` (or one
    fewer after rounding) unique, increasing indices from 0 to
    ``n_points - 1``, spaced by a quadratic so that consecutive frames are one
    step apart at the start and the gaps grow towards the end (most of the
    motion happens early).
    """
    if n_points < 1:
        raise ValueError("need at least one point")
    if max_frames < 2:
        raise ValueError("max_frames must be at least 2")
    if n_points <= max_frames:
        return np.arange(n_points)
    T = n_points - 1
    F = max_frames
    a = (F - 1) / T  # initial gap of exactly one step
    u = np.linspace(0.0, 1.0, F)
    idx = np.rint(T * (a * u + (1.0 - a) * u * u)).astype(np.int64)
    idx[0], idx[-1] = 0, T
    return np.unique(np.clip(idx, 0, T))


# --------------------------------------------------------------------------
# Clipping
# --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ClippedPath:
    """A polyline clipped to an axis-aligned box.

    ``verts`` (M, D): the drawable vertices, rows of NaN separate pieces; the
    path after ``k`` steps is ``verts[:cut[k]]``.  ``inside[k]``: point ``k``
    is finite and inside the box.  ``exit_points`` (E, D) / ``exit_steps``
    (E,): where and at which step (the first point outside) the path left
    the box, in order.
    """

    verts: np.ndarray
    cut: np.ndarray
    inside: np.ndarray
    exit_points: np.ndarray
    exit_steps: np.ndarray

    @property
    def left_plot(self) -> bool:
        return len(self.exit_steps) > 0


def clip_polyline(coords: np.ndarray, lo: Sequence[float], hi: Sequence[float]) -> ClippedPath:
    """Clip the polyline ``coords`` (N, D) to the box ``lo <= x <= hi``
    segment by segment (Liang-Barsky).  Non-finite points end the path at the
    previous point (counted as an exit)."""
    P = np.asarray(coords, dtype=np.float64)
    if P.ndim != 2 or P.shape[0] < 1:
        raise ValueError("coords must be (N, D) with N >= 1")
    N, D = P.shape
    lo = np.asarray(lo, dtype=np.float64).reshape(D)
    hi = np.asarray(hi, dtype=np.float64).reshape(D)
    finite = np.isfinite(P).all(axis=1)
    with np.errstate(invalid="ignore"):
        inside = finite & (P >= lo).all(axis=1) & (P <= hi).all(axis=1)

    start = P[:1] if inside[0] else np.empty((0, D))
    if N == 1:
        return ClippedPath(start.copy(), np.array([len(start)]), inside,
                           np.empty((0, D)), np.empty(0, dtype=np.int64))

    A, B = P[:-1], P[1:]
    with np.errstate(all="ignore"):
        d = B - A
        flat = d == 0
        tA = (lo - A) / d
        tB = (hi - A) / d
        tmin = np.where(flat, -np.inf, np.minimum(tA, tB))
        tmax = np.where(flat, np.inf, np.maximum(tA, tB))
        outside_flat = (flat & ((A < lo) | (A > hi))).any(axis=1)
        t0 = np.maximum(0.0, tmin.max(axis=1))
        t1 = np.minimum(1.0, tmax.min(axis=1))
        # Exact ends for points inside (no round-off exits on the boundary).
        t0 = np.where(inside[:-1], 0.0, t0)
        t1 = np.where(inside[1:], 1.0, t1)
        valid = (finite[:-1] & finite[1:] & np.isfinite(d).all(axis=1)
                 & ~outside_flat & (t0 <= t1))
        t0 = np.where(valid, t0, 0.0)
        t1 = np.where(valid, t1, 0.0)
        Pa = np.clip(A + t0[:, None] * d, lo, hi)
        Pb = np.clip(A + t1[:, None] * d, lo, hi)
    # The path is "open" at point k-1 (can continue without a break) if that
    # point is inside and was reached by the path.
    reached = np.concatenate([[inside[0]], valid])  # point j reached by segment j-1
    open_ = (inside & reached)[:-1]
    opened = valid & ~open_  # segment starts a new piece at its entry point
    emitted_before = np.concatenate([[len(start)], valid[:-1].astype(np.int64)]).cumsum() > 0
    nan_row = np.full((N - 1, D), np.nan)
    cand = np.stack([nan_row, Pa, Pb], axis=1)  # (N-1, 3, D)
    mask = np.stack([opened & emitted_before, opened, valid], axis=1)
    verts = np.concatenate([start, cand[mask]], axis=0)
    cut = np.concatenate([[len(start)], len(start) + mask.sum(axis=1).cumsum()])

    # Exits: a valid segment clipped before its end, or an inside point
    # followed by a non-finite one.
    clipped_end = valid & (t1 < 1.0)
    lost = ~valid & open_
    steps = np.flatnonzero(clipped_end | lost) + 1
    exit_pts = np.where(clipped_end[steps - 1][:, None], Pb[steps - 1], A[steps - 1])
    return ClippedPath(verts, cut.astype(np.int64), inside, exit_pts.reshape(-1, D),
                       steps.astype(np.int64))


def status_label(run: Run, path: ClippedPath) -> str:
    """The legend label of ``run``: its label plus how it ended, as the metrics tables
    say it -- "— diverged at step N" (``run.diverged_at``), else "— left the plot at
    step N" (its first exit; ", came back" if it ends inside)."""
    status = ""
    if run.diverged_at >= 0:
        status = f"diverged at step {run.diverged_at}"
    elif path.left_plot:
        status = f"left the plot at step {int(path.exit_steps[0])}" + (", came back" if path.inside[-1] else "")
    return f"{run.label} — {status}" if status else run.label


# --------------------------------------------------------------------------
# The animation
# --------------------------------------------------------------------------


class RenderResult(NamedTuple):
    path: str
    n_frames: int
    n_bytes: int
    steps: tuple[int, ...]  # trajectory step shown in each frame
    labels: tuple[str, ...]  # final legend label of each run
    ms_per_frame: float  # draw + quantise + encode, averaged over frames


@dataclass
class _RunData:
    run: Run
    path: ClippedPath
    coords: np.ndarray  # (T+1, D) coordinates of the points as drawn
    exit_steps: np.ndarray  # (E,) step at which each × appears
    exit_points: np.ndarray  # (E, D)
    head_until: int  # head hidden from this step on (divergence), else T+1
    # The same in the 2-D coordinates the artists are drawn in (projected in 3-D).
    verts2d: np.ndarray | None = None
    coords2d: np.ndarray | None = None
    exits2d: np.ndarray | None = None


def _marker_path(marker: str) -> Path:
    """The unit-size path of a matplotlib marker (as Line2D draws it)."""
    ms = MarkerStyle(marker)
    return ms.get_path().transformed(ms.get_transform())


class _Counter:
    """The "step k / T" counter.  "step" and "/ T" are static background
    text; the number is composited from digit bitmaps rendered once by
    matplotlib (drawing text costs ~2-3 ms a frame, pasting digits ~0.05)."""

    def __init__(self, fig, total: int, fontsize: float, color: str, right_px: float,
                 top_px: float) -> None:
        self.fig = fig
        W, H = fig.bbox.width, fig.bbox.height
        renderer = fig.canvas.get_renderer()
        props = dict(fontsize=fontsize, color=color, va="baseline")
        probe = fig.text(0, 0, "0123456789", **props)
        ext = probe.get_window_extent(renderer)
        probe.remove()
        self.advance = ext.width / 10.0
        ndig = len(str(total))
        baseline = H - top_px - ext.height * 0.8
        self._baseline = round(baseline)
        tail = fig.text(right_px / W, self._baseline / H, f" / {total}", ha="right", **props)
        tail_w = tail.get_window_extent(renderer).width
        self._num_right = right_px - tail_w  # right edge of the number
        num_w = ndig * self.advance
        fig.text((self._num_right - num_w) / W, self._baseline / H, "step ", ha="right", **props)
        self._props = props
        self._sprites: list[np.ndarray] | None = None

    def render_sprites(self, bg) -> None:
        """Render the ten digits once onto the cached background."""
        fig = self.fig
        canvas = fig.canvas
        W, H = fig.bbox.width, fig.bbox.height
        renderer = canvas.get_renderer()
        sprites = []
        # Render at an integer pixel position inside the (blank) number area.
        self._x0 = int(math.floor(self._num_right - self.advance))
        for d in "0123456789":
            canvas.restore_region(bg)
            t = fig.text(self._x0 / W, self._baseline / H, d, animated=True, **self._props)
            fig.draw_artist(t)
            e = t.get_window_extent(renderer)
            t.remove()
            buf = np.asarray(canvas.buffer_rgba())
            r0 = max(int(math.floor(H - e.y1)) - 1, 0)
            r1 = min(int(math.ceil(H - e.y0)) + 1, int(H))
            c1 = int(math.ceil(self._x0 + self.advance)) + 2
            sprites.append(buf[r0:r1, self._x0 - 2 : c1, :].copy())
        canvas.restore_region(bg)
        self._rows = (r0, r1)
        self._sprites = sprites

    def paste(self, buf: np.ndarray, k: int) -> None:
        """Draw the number ``k`` into the RGBA buffer (dark text on a light
        background: composite with a per-pixel minimum)."""
        r0, r1 = self._rows
        s = str(k)
        for i, ch in enumerate(s):
            sp = self._sprites[ord(ch) - 48]
            left = round(self._num_right - (len(s) - i) * self.advance) - 2
            region = buf[r0:r1, left : left + sp.shape[1]]
            np.minimum(region, sp[:, : region.shape[1]], out=region)


class TrajectoryAnimation:
    """A figure with the static background drawn and cached, able to render
    any frame quickly.  ``draw_frame(i)`` returns the RGBA buffer (H, W, 4)
    (a view, valid until the next draw)."""

    def __init__(
        self,
        surface,
        runs: Sequence[Run],
        view: str,
        *,
        title: str | None = None,
        max_frames: int = 150,
        width_px: int = 800,
        height_px: int = 600,
        fps: float = DEFAULT_FPS,
        hold_ms: int = HOLD_MS,
        counter: bool = True,
    ) -> None:
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}, not {view!r}")
        self.surface = surface
        self.runs = list(runs)
        self.view = view
        self.fps = float(fps)
        self.hold_ms = int(hold_ms)
        self.n_steps = max((r.n_steps for r in self.runs), default=0)
        self.steps = select_frames(self.n_steps + 1, max_frames)

        self.fig = fig = scene.new_figure(width_px, height_px, _DPI)
        if view == "3d":
            self.ax = ax = fig.add_axes((0, 0, 1, 1), projection="3d", computed_zorder=False)
            self.grid = scene.surface_grid(surface, n=80)
        else:
            self.ax = ax = fig.add_axes((0, 0, 1, 1))
            self.grid = scene.surface_grid(surface, n=300)

        (a1, b1), (a2, b2) = surface.bounds
        if view == "3d":
            coords = self._coords_3d()
            zlo, zhi = self._zlim(coords)
            lo, hi = (a1, a2, zlo), (b1, b2, zhi)
            scene.draw_surface3d(ax, surface, grid=self.grid)
            ax.set_zlim(zlo, zhi)
        else:
            coords = [np.asarray(r.points, dtype=np.float64) for r in self.runs]
            lo, hi = (a1, a2), (b1, b2)
            scene.draw_contour(ax, surface, grid=self.grid)
        self.box = (np.array(lo), np.array(hi))

        self._data = [self._run_data(run, c) for run, c in zip(self.runs, coords)]
        self._draw_starts()
        self.labels = tuple(status_label(d.run, d.path) for d in self._data)
        self._make_artists()

        self.title = surface.title if title is None else title
        self._layout()
        self._counter = None
        if counter:
            self._counter = _Counter(fig, self.n_steps, _COUNTER_FONTSIZE, _TEXT_COLOR,
                                     width_px - 12, 12)
        fig.canvas.draw()
        self._bg = fig.canvas.copy_from_bbox(fig.bbox)
        self.background_rgba = np.array(fig.canvas.buffer_rgba())
        if self._counter is not None:
            self._counter.render_sprites(self._bg)
        self._project()

    # -- geometry ---------------------------------------------------------

    def _coords_3d(self) -> list[np.ndarray]:
        out = []
        zr = self.grid.zlim[1] - self.grid.zlim[0]
        for r in self.runs:
            p = np.asarray(r.points, dtype=np.float64)
            with np.errstate(all="ignore"):
                f = np.asarray(self.surface.value(p), dtype=np.float64)
                z = self.grid.height(f) + 0.004 * zr  # a hair above the surface
            out.append(np.column_stack([p, z]))
        return out

    def _zlim(self, coords) -> tuple[float, float]:
        """Height range: the surface's, widened to contain every trajectory
        point that lies inside the x1/x2 bounds (so that only excursions
        outside the plot are ever clipped)."""
        zlo, zhi = self.grid.zlim
        (a1, b1), (a2, b2) = self.surface.bounds
        for c in coords:
            ok = (np.isfinite(c).all(axis=1) & (c[:, 0] >= a1) & (c[:, 0] <= b1)
                  & (c[:, 1] >= a2) & (c[:, 1] <= b2))
            if ok.any():
                zlo = min(zlo, float(c[ok, 2].min()))
                zhi = max(zhi, float(c[ok, 2].max()))
        return zlo, zhi

    def _run_data(self, run: Run, coords: np.ndarray) -> _RunData:
        lo, hi = self.box
        path = clip_polyline(coords, lo, hi)
        ex_steps = list(path.exit_steps)
        ex_pts = list(path.exit_points)
        head_until = run.n_steps + 1
        if run.diverged_at >= 0:
            d = min(run.diverged_at, run.n_steps)
            head_until = max(d, 1)
            # Mark the last good point unless the path had already left.
            last = min(max(d - 1, 0), run.n_steps)
            if path.inside[last]:
                ex_steps.append(d)
                ex_pts.append(coords[last])
        order = np.argsort(np.asarray(ex_steps, dtype=np.int64), kind="stable")
        ex_steps_a = np.asarray(ex_steps, dtype=np.int64)[order]
        ex_pts_a = np.asarray(ex_pts, dtype=np.float64).reshape(-1, coords.shape[1])[order]
        return _RunData(run, path, coords, ex_steps_a, ex_pts_a, head_until)

    def _project(self) -> None:
        """Coordinates of everything that moves, in the 2-D coordinates of
        ``ax.transData``.  For 3-D this uses the projection matrix of the
        view just drawn (``ax.M``), exactly as ``Line3D.draw`` would; the
        camera never moves, so this is done once, not per frame."""
        def proj(p: np.ndarray) -> np.ndarray:
            p = np.asarray(p, dtype=np.float64)
            if self.view != "3d":
                return p[:, :2]
            if len(p) == 0:
                return np.empty((0, 2))
            with np.errstate(invalid="ignore"):
                xs, ys, _ = proj3d.proj_transform(p[:, 0], p[:, 1], p[:, 2], self.ax.M)
            return np.column_stack([np.asarray(xs), np.asarray(ys)])

        for d in self._data:
            d.verts2d = proj(d.path.verts)
            d.coords2d = proj(d.coords)
            d.exits2d = proj(d.exit_points)

    # -- artists ----------------------------------------------------------

    def _add(self, artist, clip: bool):
        """Attach a moving artist (drawn in ``ax.transData`` coordinates)."""
        artist.set_animated(True)
        if self.view == "3d":
            # Projected 2-D coordinates: a figure-level artist using the 3-D
            # axes' transData.
            self.fig.add_artist(artist)
        else:
            self.ax.add_artist(artist)
        if clip:
            artist.set_clip_box(self.ax.bbox)
            artist.set_clip_on(True)
        else:
            artist.set_clip_on(False)
        return artist

    def _make_artists(self) -> None:
        """Four artists draw every run: the coloured paths (one
        LineCollection, drawn in run order so later runs lie on top), the
        exit ×s (white outline + colour) and the head markers.  (A white halo
        under the paths was tried: barely visible on the light backgrounds,
        and it doubled the drawing time.)"""
        runs = [d.run for d in self._data]
        n = len(runs)
        td = self.ax.transData
        self._line_rgba = to_rgba_array([r.color for r in runs]) if n else np.empty((0, 4))
        self._lines = self._add(LineCollection(
            [np.empty((0, 2))] * n, colors=self._line_rgba, linewidths=_LINE_WIDTH,
            linestyles=[r.linestyle for r in runs] or "solid", capstyle="butt",
            joinstyle="round", transform=td, zorder=_Z_LINE), clip=True)
        self._head_paths = [_marker_path(r.marker) for r in runs]
        scale = Affine2D().scale(_HEAD_SIZE * _DPI / 72.0)
        self._heads = self._add(PathCollection(
            [], offsets=np.empty((0, 2)), offset_transform=td, transform=scale,
            edgecolors="white", linewidths=1.3, zorder=_Z_HEAD), clip=False)
        xpath = _marker_path("x")
        xscale = Affine2D().scale(_EXIT_SIZE * _DPI / 72.0)
        self._exit_halo = self._add(PathCollection(
            [xpath], offsets=np.empty((0, 2)), offset_transform=td, transform=xscale,
            facecolors="none", edgecolors="white", linewidths=4.8, zorder=_Z_EXIT - 1),
            clip=False)
        self._exits = self._add(PathCollection(
            [xpath], offsets=np.empty((0, 2)), offset_transform=td, transform=xscale,
            facecolors="none", edgecolors="black", linewidths=2.6, zorder=_Z_EXIT), clip=False)

    def _draw_starts(self) -> None:
        """Small hollow circles at the start points (static)."""
        starts = []
        for d in self._data:
            if d.path.inside[0]:
                p = tuple(np.round(d.coords[0], 12))
                if p not in starts:
                    starts.append(p)
        for p in starts:
            kw = dict(linestyle="none", marker="o", markersize=9, markerfacecolor="none",
                      markeredgecolor=_TEXT_COLOR, markeredgewidth=1.4, zorder=scene.Z_STATIONARY)
            if self.view == "3d":
                self.ax.plot([p[0]], [p[1]], [p[2]], **kw)
            else:
                self.ax.plot([p[0]], [p[1]], **kw)
        self._has_start = bool(starts)

    def _legend_handles(self) -> list[Line2D]:
        handles = []
        for d, label in zip(self._data, self.labels):
            r = d.run
            handles.append(Line2D([], [], color=r.color, linestyle=r.linestyle,
                                  linewidth=_LINE_WIDTH, marker=r.marker, markersize=7,
                                  markerfacecolor=r.color, markeredgecolor="white",
                                  markeredgewidth=1.0, label=label))
        extra = []
        if self._has_start:
            extra.append(Line2D([], [], linestyle="none", marker="o", markersize=8,
                                markerfacecolor="none", markeredgecolor=_TEXT_COLOR,
                                markeredgewidth=1.3, label="start"))
        if any(d.exit_steps.size for d in self._data):
            extra.append(Line2D([], [], linestyle="none", marker="x", markersize=8,
                                markeredgecolor=_TEXT_COLOR, markeredgewidth=2.0,
                                label="left the plot / diverged"))
        extra += scene.stationary_legend_handles(scene.marked_stationary_points(self.surface))
        return handles + extra

    # -- layout -----------------------------------------------------------

    def _layout(self) -> None:
        """Place title, axes and legend.  The legend goes to the right of or
        below the plot, whichever leaves the larger plot, and never overlaps
        it: the plot's real extent (tick labels, axis labels, the 3-D box) is
        measured and the axes resized until it fits its region."""
        fig, ax = self.fig, self.ax
        W, H = fig.bbox.width, fig.bbox.height
        fig.text(12 / W, 1 - 12 / H, self.title, ha="left", va="top",
                 fontsize=_TITLE_FONTSIZE, fontweight="bold", color=_TEXT_COLOR)
        renderer = fig.canvas.get_renderer()
        handles = self._legend_handles()
        top, pad, gap = (50.0 if self.view == "3d" else 44.0), 8.0, 14.0
        rel = None
        if self.view == "3d":
            aspect = 1.0  # Axes3D draws into a square
            margins = [0.0, 0.0, 0.0, 0.0]
            # The 3-D box, its tick labels and axis labels only exist after a
            # draw; measure them once relative to the axes square (they scale
            # with it).
            side = 0.6 * min(W, H)
            ax.set_position(((W - side) / 2 / W, (H - side) / 2 / H, side / W, side / H))
            fig.canvas.draw()
            tb = ax.get_tightbbox(renderer)
            ab = ax.get_window_extent(renderer)
            rel = [(ab.x0 - tb.x0 + 8) / ab.width, (tb.x1 - ab.x1 + 6) / ab.width,
                   (ab.y0 - tb.y0 + 6) / ab.height, (tb.y1 - ab.y1 + 6) / ab.height]
        else:
            (a1, b1), (a2, b2) = self.surface.bounds
            aspect = (b1 - a1) / (b2 - a2)
            margins = [60.0, 14.0, 44.0, 8.0]

        def legend(ncol, **kw):
            return fig.legend(handles=handles, ncol=ncol, frameon=False,
                              fontsize=_LEGEND_FONTSIZE, handlelength=3.4, handletextpad=0.6,
                              columnspacing=1.4, labelspacing=0.45, borderaxespad=0.0, **kw)

        def measure(ncol):
            lg = legend(ncol)
            bb = lg.get_window_extent(renderer)
            lg.remove()
            return bb

        def fit(region):
            x, y, w, h = region
            if rel is not None:
                side = max(min(w / (1 + rel[0] + rel[1]), h / (1 + rel[2] + rel[3])), 10.0)
                return side, side
            w = max(w - margins[0] - margins[1], 10.0)
            h = max(h - margins[2] - margins[3], 10.0)
            if w / h > aspect:
                return h * aspect, h
            return w, w / aspect

        full_h = H - top - pad
        options = []
        if not handles:
            options.append(("none", (pad, pad, W - 2 * pad, full_h), None, 1))
        else:
            bb = measure(1)
            if bb.height <= full_h:
                options.append(("right", (pad, pad, W - 2 * pad - bb.width - gap, full_h), bb, 1))
            for ncol in (1, 2, 3, 4):
                bb = measure(ncol)
                if bb.width > W - 2 * pad:
                    break
                options.append(("below", (pad, pad + bb.height + gap, W - 2 * pad,
                                          full_h - bb.height - gap), bb, ncol))
            if not options:  # nothing fits: the widest legend below, tough luck
                options.append(("below", (pad, pad + bb.height + gap, W - 2 * pad,
                                          full_h - bb.height - gap), bb, 1))

        def area(opt):
            w, h = fit(opt[1])
            return w * h * (1.0 if opt[0] != "below" else 0.97)

        where, region, bb, ncol = max(options, key=area)
        rx, ry, rw, rh = region
        for _ in range(3 if rel is None else 0):
            aw, ah = fit(region)
            x0 = rx + margins[0] + (rw - margins[0] - margins[1] - aw) / 2
            y0 = ry + margins[2] + (rh - margins[2] - margins[3] - ah) / 2
            ax.set_position((x0 / W, y0 / H, aw / W, ah / H))
            ax.apply_aspect()
            tb = ax.get_tightbbox(renderer)
            ab = ax.get_window_extent(renderer)
            margins = [ab.x0 - tb.x0 + 2, tb.x1 - ab.x1 + 2, ab.y0 - tb.y0 + 2, tb.y1 - ab.y1 + 2]
        if rel is not None:
            side, _ = fit(region)
            x0 = rx + rel[0] * side + (rw - side * (1 + rel[0] + rel[1])) / 2
            y0 = ry + rel[2] * side + (rh - side * (1 + rel[2] + rel[3])) / 2
            ax.set_position((x0 / W, y0 / H, side / W, side / H))
            tb = Bbox([[x0 - rel[0] * side, y0 - rel[2] * side],
                       [x0 + side * (1 + rel[1]), y0 + side * (1 + rel[3])]])

        # Centre the plot+legend block and put the legend next to the plot.
        pos = ax.get_position(original=True)
        if where == "right":
            block = tb.width + gap + bb.width
            dx = (pad + (W - 2 * pad - block) / 2) - tb.x0
            ax.set_position((pos.x0 + dx / W, pos.y0, pos.width, pos.height))
            lx = tb.x1 + dx + gap
            ly = (tb.y0 + tb.y1) / 2
            self.legend = legend(ncol, loc="center left", bbox_to_anchor=(lx / W, ly / H))
        elif where == "below":
            block = tb.height + gap + bb.height
            dy = (pad + (full_h - block) / 2 + bb.height + gap) - tb.y0
            dy = max(dy, pad + bb.height + gap - tb.y0)
            ax.set_position((pos.x0, pos.y0 + dy / H, pos.width, pos.height))
            cx = (tb.x0 + tb.x1) / 2
            cx = min(max(cx, pad + bb.width / 2), W - pad - bb.width / 2)
            self.legend = legend(ncol, loc="upper center",
                                 bbox_to_anchor=(cx / W, (tb.y0 + dy - gap) / H))
        else:
            self.legend = None

    # -- frames -----------------------------------------------------------

    def set_step(self, k: int) -> list:
        """Update the moving artists to step ``k``; returns them in drawing
        order."""
        segs, heads, head_paths, head_cols, exits, exit_cols = [], [], [], [], [], []
        for j, d in enumerate(self._data):
            kk = min(k, d.run.n_steps)
            segs.append(d.verts2d[: int(d.path.cut[kk])])
            m = int(np.searchsorted(d.exit_steps, kk, side="right"))
            if m:
                exits.append(d.exits2d[:m])
                exit_cols.extend([self._line_rgba[j]] * m)
            if d.path.inside[kk] and kk < d.head_until:
                heads.append(d.coords2d[kk])
                head_paths.append(self._head_paths[j])
                head_cols.append(self._line_rgba[j])
        self._lines.set_segments(segs)
        ex = np.concatenate(exits) if exits else np.empty((0, 2))
        self._exit_halo.set_offsets(ex)
        self._exits.set_offsets(ex)
        self._exits.set_edgecolor(exit_cols or "none")
        self._heads.set_paths(head_paths)
        self._heads.set_offsets(np.asarray(heads).reshape(-1, 2))
        self._heads.set_facecolor(head_cols or "none")
        self._step = k
        out = [self._lines]
        if len(ex):
            out += [self._exit_halo, self._exits]
        if heads:
            out.append(self._heads)
        return out

    def draw_frame(self, i: int) -> np.ndarray:
        """Render frame ``i`` (showing step ``self.steps[i]``); returns the
        RGBA buffer (H, W, 4) uint8 -- a view, valid until the next draw."""
        canvas = self.fig.canvas
        canvas.restore_region(self._bg)
        for artist in self.set_step(int(self.steps[i])):
            self.fig.draw_artist(artist)
        buf = np.asarray(canvas.buffer_rgba())
        if self._counter is not None:
            self._counter.paste(buf, int(self.steps[i]))
        return buf

    def durations_ms(self) -> list[int]:
        frame = max(20, int(round(1000.0 / self.fps / 10.0)) * 10)
        d = [frame] * len(self.steps)
        d[-1] = max(frame, self.hold_ms)
        return d

    def reserved_colors(self) -> list[str]:
        cols = [d.run.color for d in self._data]
        return cols + [_TEXT_COLOR, "#555555"]

    def save_gif(self, path) -> RenderResult:
        """Encode all frames as a looping GIF at ``path`` (atomically)."""
        t0 = time.perf_counter()
        final = self.draw_frame(len(self.steps) - 1).copy()
        palette = build_palette([self.background_rgba, final], self.reserved_colors())
        mapper = PaletteMapper(palette)
        frames = (self.draw_frame(i) for i in range(len(self.steps)))
        stats = write_gif(path, frames, self.durations_ms(), loop=0, mapper=mapper)
        ms = (time.perf_counter() - t0) * 1000.0 / len(self.steps)
        return RenderResult(os.fspath(path), len(self.steps), stats.n_bytes,
                            tuple(int(s) for s in self.steps), self.labels, ms)

    def close(self) -> None:
        self.fig.clear()


def render_animation(
    path,
    surface,
    runs: Sequence[Run],
    view: str,
    *,
    title: str | None = None,
    max_frames: int = 150,
    width_px: int = 800,
    height_px: int = 600,
    fps: float = DEFAULT_FPS,
    hold_ms: int = HOLD_MS,
) -> RenderResult:
    """Render ``runs`` on ``surface`` as a looping animated GIF at ``path``.

    ``view``: ``"3d"`` or ``"contour"``.  At most ``max_frames`` frames
    (denser early, see :func:`select_frames`), ``1000/fps`` ms each, the
    last held for ``hold_ms``.  The file is written atomically.
    Returns a :class:`RenderResult`.
    """
    anim = TrajectoryAnimation(surface, runs, view, title=title, max_frames=max_frames,
                               width_px=width_px, height_px=height_px, fps=fps, hold_ms=hold_ms)
    try:
        return anim.save_gif(path)
    finally:
        anim.close()
