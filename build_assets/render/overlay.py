"""The moving artists of an animation: paths, head markers, exit crosses, landmarks.

:class:`Overlay` draws every run into one plot panel (the main plot, or a zoomed
inset) from precomputed 2-D coordinates in the panel's ``transData``: the coloured
paths (one LineCollection, in run order so later runs lie on top), the exit ×s (white
outline + colour), above them the landmarks (stationary points and start, see
:mod:`.markers`), and on top the small head markers (a head resting on a stationary
point covers only its middle).  ``set_step(k)`` updates them to step ``k`` and
returns them in drawing order.

Busy figures (long, tangled paths: tuned Rastrigin) draw the history thin and faint
and only the last :data:`TAIL` steps at full strength, so that where each run is now
stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_hex, to_rgba_array
from matplotlib.transforms import Affine2D

from .clip import ClippedPath
from .markers import Landmark, landmark_collection, marker_path
from .style import Run

__all__ = ["RunData", "Overlay", "LINE_WIDTH", "HEAD_SIZE", "TAIL", "busy"]

LINE_WIDTH = 2.2
HEAD_SIZE = 6.5
EXIT_SIZE = 11.0
TAIL = 12  # steps drawn at full strength in a busy figure
_FAINT_WIDTH = 1.1
_FAINT_SHARE = 0.4  # a faint history is the run's colour mixed with this much of it, rest white
#: A figure is busy when its paths are, on average per run, longer than this many
#: times the plot's diagonal.
BUSY_LENGTH = 4.0

# Z-orders (only relevant to a full redraw: the per-frame order is explicit).
Z_LINE = 30
Z_EXIT = 40
Z_HEAD = 70  # above the landmarks (markers.Z_LANDMARK)


@dataclass
class RunData:
    """One run as drawn: ``path`` clipped to the box (its ``cut`` per step),
    ``coords`` (T+1, D) its points, the exit ×s and the step from which the head is
    hidden (divergence); ``verts2d`` / ``coords2d`` / ``exits2d`` the same in the 2-D
    coordinates of the main panel."""

    run: Run
    path: ClippedPath
    coords: np.ndarray
    exit_steps: np.ndarray
    exit_points: np.ndarray
    head_until: int
    verts2d: np.ndarray | None = None
    coords2d: np.ndarray | None = None
    exits2d: np.ndarray | None = None


def busy(data: Sequence[RunData], lo, hi) -> bool:
    """Whether the paths are long and tangled enough to draw faint histories."""
    if not data:
        return False
    scale = np.asarray(hi, dtype=np.float64)[:2] - np.asarray(lo, dtype=np.float64)[:2]
    total = 0.0
    for d in data:
        v = d.path.verts[:, :2] / scale
        steps = np.hypot(*np.diff(v, axis=0).T)
        total += float(np.nansum(steps))
    return total / len(data) > BUSY_LENGTH * np.sqrt(2.0)


class Overlay:
    """The moving artists of ``data`` in one panel.  ``add(artist, clip)`` attaches an
    artist to the figure (animated, clipped to the panel or not); ``transform`` maps the
    2-D coordinates to display; ``landmarks`` / ``landmark_xy`` the markers drawn above
    everything and their 2-D coordinates; ``faint``: draw faint histories (busy)."""

    def __init__(self, data: Sequence[RunData], add, transform, *, dpi: float,
                 landmarks: Sequence[Landmark] = (), landmark_xy=None, faint: bool = False,
                 clip_markers: bool = False) -> None:
        self.data = list(data)
        runs = [d.run for d in self.data]
        n = len(runs)
        self.faint = faint
        self.tints: list[str] = []  # the faint histories' colours (reserved in the palette)
        self.rgba = to_rgba_array([r.color for r in runs]) if n else np.empty((0, 4))
        styles = [r.linestyle for r in runs] or "solid"
        empty = [np.empty((0, 2))] * n
        if faint:
            # An opaque tint, not transparency: blending over the background would make
            # thousands of colours for the GIF palette to map, frame after frame.
            faded = self.rgba.copy()
            faded[:, :3] = _FAINT_SHARE * faded[:, :3] + (1.0 - _FAINT_SHARE)
            self.tints = [to_hex(c) for c in faded]
            self.history = add(LineCollection(
                empty, colors=faded, linewidths=_FAINT_WIDTH, linestyles=styles, capstyle="butt",
                joinstyle="round", transform=transform, zorder=Z_LINE - 1), True)
        self.lines = add(LineCollection(
            empty, colors=self.rgba, linewidths=LINE_WIDTH, linestyles=styles, capstyle="butt",
            joinstyle="round", transform=transform, zorder=Z_LINE), True)
        self._head_paths = [marker_path(r.marker) for r in runs]
        scale = Affine2D().scale(HEAD_SIZE * dpi / 72.0)
        self.heads = add(PathCollection(
            [], offsets=np.empty((0, 2)), offset_transform=transform, transform=scale,
            edgecolors="white", linewidths=1.1, zorder=Z_HEAD), clip_markers)
        xpath = marker_path("x")
        xscale = Affine2D().scale(EXIT_SIZE * dpi / 72.0)
        self.exit_halo = add(PathCollection(
            [xpath], offsets=np.empty((0, 2)), offset_transform=transform, transform=xscale,
            facecolors="none", edgecolors="white", linewidths=4.8, zorder=Z_EXIT - 1), clip_markers)
        self.exits = add(PathCollection(
            [xpath], offsets=np.empty((0, 2)), offset_transform=transform, transform=xscale,
            facecolors="none", edgecolors="black", linewidths=2.6, zorder=Z_EXIT), clip_markers)
        self.landmarks = None
        if len(landmarks):
            self.landmarks = add(landmark_collection(landmarks, landmark_xy, transform), clip_markers)

    def set_step(self, k: int) -> list:
        """Update the artists to step ``k``; returns them in drawing order."""
        segs, tails, heads, head_paths, head_cols, exits, exit_cols = [], [], [], [], [], [], []
        for j, d in enumerate(self.data):
            kk = min(k, d.run.n_steps)
            end = int(d.path.cut[kk])
            if self.faint:
                segs.append(d.verts2d[:end])
                start = max(int(d.path.cut[max(kk - TAIL, 0)]) - 1, 0)  # its last vertex then
                tails.append(d.verts2d[start:end])
            else:
                tails.append(d.verts2d[:end])
            m = int(np.searchsorted(d.exit_steps, kk, side="right"))
            if m:
                exits.append(d.exits2d[:m])
                exit_cols.extend([self.rgba[j]] * m)
            if d.path.inside[kk] and kk < d.head_until:
                heads.append(d.coords2d[kk])
                head_paths.append(self._head_paths[j])
                head_cols.append(self.rgba[j])
        out = []
        if self.faint:
            self.history.set_segments(segs)
            out.append(self.history)
        self.lines.set_segments(tails)
        out.append(self.lines)
        ex = np.concatenate(exits) if exits else np.empty((0, 2))
        self.exit_halo.set_offsets(ex)
        self.exits.set_offsets(ex)
        self.exits.set_edgecolor(exit_cols or "none")
        self.heads.set_paths(head_paths)
        self.heads.set_offsets(np.asarray(heads).reshape(-1, 2))
        self.heads.set_facecolor(head_cols or "none")
        if len(ex):
            out += [self.exit_halo, self.exits]
        if self.landmarks is not None:
            out.append(self.landmarks)
        if heads:
            out.append(self.heads)
        return out
