"""Fast GIF animations of optimizer trajectories on a test surface.

The static background (surface, contours, colour bar, axes, legend, title) is drawn
once; every frame restores that bitmap, pastes the legend labels and step counter of
the frame (pre-rendered bitmaps) and draws only the moving artists (paths, heads, exit
markers, and the landmarks above them; see :mod:`.overlay`) with ``draw_artist``, then
hands the RGBA buffer to the GIF encoder.  No ``FuncAnimation``: it redraws the whole
figure (twice) per frame.

Trajectories are clipped to the plot box before drawing -- x1/x2 to the surface
bounds and, in 3-D, the height to the z range (``set_zlim`` does not clip 3-D lines;
:mod:`.clip`).  In 3-D each step is laid over the surface (:mod:`.drape`).  Where a
run leaves the box an × marks the exit; a run that produced non-finite values gets an
× at its last point.  The legend says so from the step it happens on
(:mod:`.timeline`, :mod:`.legend`).  A contour plot whose runs all stay in a small
corner gets a magnified inset (:mod:`.inset`).
"""

from __future__ import annotations

import os
import time
from typing import NamedTuple, Sequence

import numpy as np
from matplotlib.lines import Line2D
from mpl_toolkits.mplot3d import proj3d

from ..animation_controls import still_of
from . import legend as legends
from . import scene
from .clip import ClippedPath, clip_polyline
from .colorbar import draw_colorbar
from .counter import StepCounter
from .drape import drape
from .frames import select_frames
from .gif import PaletteMapper, build_palette, write_gif, write_still_png
from .inset import INSET_SHARE, add_inset, corner, zoom_bounds
from .markers import (INK, draw_small_minima, landmarks, marked_stationary_points,
                      start_legend_handle, stationary_legend_handles)
from .overlay import LINE_WIDTH, Overlay, RunData, busy
from .style import Run
from .timeline import label_steps, run_events, status_label

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

_TEXT_COLOR = INK
_TITLE_FONTSIZE = 14
_COUNTER_FONTSIZE = 12
_DPI = 100


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
        self.cax = self.inset = None
        marked = marked_stationary_points(surface)
        (a1, b1), (a2, b2) = surface.bounds
        if view == "3d":
            self.ax = ax = fig.add_axes((0, 0, 1, 1), projection="3d", computed_zorder=False)
            self.grid = scene.surface_grid(surface, n=80)
            scene.draw_surface3d(ax, surface, grid=self.grid)
            coords, at = self._coords_3d()
            zlo, zhi = self._zlim(coords)
            lo, hi = (a1, a2, zlo), (b1, b2, zhi)
            ax.set_zlim(zlo, zhi)
        else:
            self.ax = ax = fig.add_axes((0, 0, 1, 1))
            self.grid = scene.surface_grid(surface, n=300)
            scene.draw_contour(ax, surface, grid=self.grid)
            draw_small_minima(ax, marked)
            self.cax = fig.add_axes((0, 0, 0.01, 1))
            draw_colorbar(self.cax, self.grid)
            coords = [np.asarray(r.points, dtype=np.float64) for r in self.runs]
            at = [None] * len(coords)
            lo, hi = (a1, a2), (b1, b2)
        self.box = (np.array(lo), np.array(hi))

        self._data = [self._run_data(run, c, a) for run, c, a in zip(self.runs, coords, at)]
        self._timelines = [label_steps(d.run.label, run_events(d.run, d.path)) for d in self._data]
        self.labels = tuple(labels[-1] for labels, _ in self._timelines)
        # What the legend shows: wrapped (at the width that leaves the largest plot), and
        # laid out with room for each run's widest label.
        wraps = [w for w in legends.WRAPS
                 if w == legends.WRAP or any(len(lab) > w for labels, _ in self._timelines for lab in labels)]
        shown = [[[legends.wrap(label, w) for label in labels] for labels, _ in self._timelines]
                 for w in wraps]
        starts = []
        for d in self._data:
            p = tuple(np.round(d.coords[0], 12))
            if d.path.inside[0] and p not in starts:
                starts.append(p)
        height = self.grid.height if view == "3d" else None
        self._landmarks = landmarks(marked, [np.array(p) for p in starts], height)
        self._has_start = bool(starts)
        self._marked = marked

        self.title = surface.title if title is None else title
        fig.text(12 / width_px, 1 - 12 / height_px, self.title, ha="left", va="top",
                 fontsize=_TITLE_FONTSIZE, fontweight="bold", color=_TEXT_COLOR)
        aspect = None if view == "3d" else (b1 - a1) / (b2 - a2)
        self.legend, chosen = legends.place(
            fig, ax, [self._legend_handles([legends.widest(fig, labels) for labels in variant])
                      for variant in shown], aspect=aspect, cax=self.cax, top=50.0 if view == "3d" else 44.0)
        self._live = legends.LiveLabels(self.legend, [(j, labels, steps) for j, (labels, (_, steps))
                                                      in enumerate(zip(shown[chosen], self._timelines))])
        if view != "3d" and self.runs:
            self._add_inset()
        self._counter = None
        if counter:
            self._counter = StepCounter(fig, self.n_steps, _COUNTER_FONTSIZE, _TEXT_COLOR,
                                        width_px - 12, 12)
        if not self.runs:
            # A still (the static PNGs): the landmarks belong to the picture.
            fig.canvas.draw()
            self._project()
            self._make_overlays(animated=False)
        fig.canvas.draw()
        self._bg = fig.canvas.copy_from_bbox(fig.bbox)
        self.background_rgba = np.array(fig.canvas.buffer_rgba())
        if self._counter is not None:
            self._counter.render_sprites(self._bg)
        self._live.render(fig.canvas, self._bg)
        if self.runs:
            self._project()
            self._make_overlays(animated=True)

    # -- geometry ---------------------------------------------------------

    def _coords_3d(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Each run laid over the surface (:func:`.drape.drape`), a hair above it, and
        the rows of its iterates."""
        coords, rows = [], []
        zr = self.grid.zlim[1] - self.grid.zlim[0]
        (a1, b1), (a2, b2) = self.surface.bounds

        def height(xy):
            return self.grid.height(self.surface.value(xy)) + 0.004 * zr

        for r in self.runs:
            c, at = drape(r.points, height, (a1, a2), (b1, b2), tol=0.002 * zr)
            coords.append(c)
            rows.append(at)
        return coords, rows

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

    def _run_data(self, run: Run, coords: np.ndarray, at: np.ndarray | None) -> RunData:
        """Clip a run to the box; ``at``: the rows of ``coords`` holding its iterates
        (the other rows lay its steps over the 3-D surface), None for all of them."""
        lo, hi = self.box
        path = clip_polyline(coords, lo, hi)
        if at is not None:
            # Back from the rows of the draped polyline to steps: an exit in the piece
            # between iterates k-1 and k happened at step k.
            path = ClippedPath(path.verts, path.cut[at], path.inside[at], path.exit_points,
                               np.searchsorted(at, path.exit_steps, side="left").astype(np.int64))
            coords = coords[at]
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
        return RunData(run, path, coords, ex_steps_a, ex_pts_a, head_until)

    def _proj(self, p) -> np.ndarray:
        """Points in the 2-D coordinates of ``ax.transData``.  For 3-D this uses the
        projection matrix of the view just drawn (``ax.M``), exactly as ``Line3D.draw``
        would; the camera never moves, so this is done once, not per frame."""
        p = np.asarray(p, dtype=np.float64)
        if self.view != "3d":
            return p[:, :2]
        if len(p) == 0:
            return np.empty((0, 2))
        with np.errstate(invalid="ignore"):
            xs, ys, _ = proj3d.proj_transform(p[:, 0], p[:, 1], p[:, 2], self.ax.M)
        return np.column_stack([np.asarray(xs), np.asarray(ys)])

    def _project(self) -> None:
        for d in self._data:
            d.verts2d = self._proj(d.path.verts)
            d.coords2d = self._proj(d.coords)
            d.exits2d = self._proj(d.exit_points)
        self._landmark_xy = self._proj(np.array([m.position for m in self._landmarks]).reshape(
            len(self._landmarks), -1))

    # -- artists ----------------------------------------------------------

    def _make_overlays(self, animated: bool) -> None:
        """The moving artists of the main plot (and of the inset)."""
        def adder(ax, figure_level):
            def add(artist, clip):
                artist.set_animated(animated)
                if figure_level:
                    # Projected 2-D coordinates: a figure-level artist using the 3-D
                    # axes' transData.
                    self.fig.add_artist(artist)
                else:
                    ax.add_artist(artist)
                artist.set_clip_on(bool(clip))
                if clip:
                    artist.set_clip_box(ax.bbox)
                return artist
            return add

        lo, hi = self.box
        faint = busy(self._data, lo, hi)
        self.overlays = [Overlay(self._data, adder(self.ax, self.view == "3d"), self.ax.transData,
                                 dpi=_DPI, landmarks=self._landmarks,
                                 landmark_xy=self._landmark_xy, faint=faint)]
        if self.inset is not None:
            self.overlays.append(Overlay(self._data, adder(self.inset, False), self.inset.transData,
                                         dpi=_DPI, landmarks=self._landmarks,
                                         landmark_xy=self._landmark_xy, clip_markers=True))
        main = self.overlays[0]
        self._lines, self._heads, self._exits = main.lines, main.heads, main.exits

    def _add_inset(self) -> None:
        """A magnified inset when every path stays in a small part of the plot."""
        zoom = zoom_bounds([d.path.verts for d in self._data], *self.box)
        if zoom is None:
            return
        avoid = [m.position[:2] for m in self._landmarks if not m.hollow]
        at = corner(zoom, avoid, *self.box)
        if at is None:
            return
        self.ax.apply_aspect()
        self.inset = add_inset(self.fig, self.ax, self.surface, self.grid, zoom, at, INSET_SHARE)
        draw_small_minima(self.inset, self._marked)

    def _legend_handles(self, labels: Sequence[str]) -> list[Line2D]:
        handles = []
        for d, label in zip(self._data, labels):
            r = d.run
            handles.append(Line2D([], [], color=r.color, linestyle=r.linestyle,
                                  linewidth=LINE_WIDTH, marker=r.marker, markersize=7,
                                  markerfacecolor=r.color, markeredgecolor="white",
                                  markeredgewidth=1.0, label=label))
        extra = []
        if self._has_start:
            extra.append(start_legend_handle())
        if any(d.exit_steps.size for d in self._data):
            extra.append(Line2D([], [], linestyle="none", marker="x", markersize=8,
                                markeredgecolor=_TEXT_COLOR, markeredgewidth=2.0,
                                label="left the plot / diverged"))
        extra += stationary_legend_handles(self._marked)
        return handles + extra

    # -- frames -----------------------------------------------------------

    def labels_at(self, step: int) -> tuple[str, ...]:
        """The legend label of each run at ``step``."""
        return tuple(labels[int(np.searchsorted(steps, step, side="right"))]
                     for labels, steps in self._timelines)

    def set_step(self, k: int) -> list:
        """Update the moving artists to step ``k``; returns them in drawing order."""
        self._step = k
        return [a for overlay in self.overlays for a in overlay.set_step(k)]

    def draw_frame(self, i: int) -> np.ndarray:
        """Render frame ``i`` (showing step ``self.steps[i]``); returns the
        RGBA buffer (H, W, 4) uint8 -- a view, valid until the next draw."""
        canvas = self.fig.canvas
        step = int(self.steps[i])
        canvas.restore_region(self._bg)
        buf = np.asarray(canvas.buffer_rgba())
        self._live.paste(buf, step)
        for artist in self.set_step(step):
            self.fig.draw_artist(artist)
        if self._counter is not None:
            self._counter.paste(buf, step)
        return buf

    def durations_ms(self) -> list[int]:
        frame = max(20, int(round(1000.0 / self.fps / 10.0)) * 10)
        d = [frame] * len(self.steps)
        d[-1] = max(frame, self.hold_ms)
        return d

    def reserved_colors(self) -> list[str]:
        cols = [d.run.color for d in self._data]
        tints = [c for overlay in getattr(self, "overlays", ()) for c in overlay.tints]
        return cols + [_TEXT_COLOR, "#555555"] + list(dict.fromkeys(tints))

    def save_gif(self, path) -> RenderResult:
        """Encode all frames as a looping GIF at ``path``, and its still (atomically)."""
        t0 = time.perf_counter()
        final = self.draw_frame(len(self.steps) - 1).copy()
        palette = build_palette([self.background_rgba, final], self.reserved_colors())
        mapper = PaletteMapper(palette)
        frames = (self.draw_frame(i) for i in range(len(self.steps)))
        stats = write_gif(path, frames, self.durations_ms(), loop=0, mapper=mapper)
        # The still shown instead when motion is unwanted: the last frame, the whole paths.
        write_still_png(still_of(os.fspath(path)), final, mapper)
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
