"""Landmarks: the stationary points and the start, and how they are marked.

The prominent stationary points (:func:`marked_stationary_points`) and the start are
drawn *above* the paths, so that no path hides the minimum, a saddle, a maximum or
where the runs began: a white halo under a dark outline keeps them readable on any
colour, and a half-transparent face lets the paths under them show through.  They
form one collection, drawn every frame after the paths and before the head markers,
which are smaller: a run resting on a stationary point shows as a coloured dot in the
middle of its marker.  The many small local minima of Rastrigin's function stay in
the background (under the paths): hundreds of them on top would only add noise.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Sequence

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.path import Path
from matplotlib.transforms import IdentityTransform

from .scene import Z_STATIONARY

__all__ = ["INK", "STATIONARY_STYLE", "Landmark", "marked_stationary_points", "landmarks",
           "landmark_collection", "draw_small_minima", "stationary_legend_handles",
           "start_legend_handle", "marker_path"]

INK = "#222222"
HALO = "#FFFFFF"
_FACE = (1.0, 1.0, 1.0, 0.55)  # a head marker under the point shows through
_LINE = 1.3  # outline width, points
_HALO_LINE = 3.2  # the white halo under the outline
START = dict(marker="o", markersize=9.0)
Z_LANDMARK = 60  # above the paths, below the heads (only relevant to a full redraw)


#: A bow tie (two cones meeting at a point) for saddles: an × would be
#: confused with the exit markers of the animations.
_BOWTIE = [(-1.0, -0.8), (1.0, 0.8), (1.0, -0.8), (-1.0, 0.8), (-1.0, -0.8)]
STATIONARY_STYLE: dict[str, dict[str, Any]] = {
    "minimum": dict(marker="*", markersize=15, label="minimum"),
    "saddle": dict(marker=_BOWTIE, markersize=11, label="saddle point"),
    "maximum": dict(marker="^", markersize=10, label="maximum"),
}


def marked_stationary_points(surface, *, max_all: int = 12) -> list[tuple[np.ndarray, str, float, bool]]:
    """The stationary points to mark, as ``(location, kind, value, prominent)``.

    With at most ``max_all`` points inside the plot range, all are marked
    (prominent).  Otherwise only minima are: the lowest one(s) prominent, the
    rest small.
    """
    (a1, b1), (a2, b2) = surface.bounds
    pts = []
    for sp in getattr(surface, "stationary_points", ()) or ():
        loc = np.asarray(sp.location, dtype=np.float64).reshape(2)
        if a1 <= loc[0] <= b1 and a2 <= loc[1] <= b2:
            pts.append((loc, str(sp.kind), float(sp.value)))
    if len(pts) <= max_all:
        return [(loc, kind, val, True) for loc, kind, val in pts]
    minima = [p for p in pts if p[1] == "minimum"]
    if not minima:
        return []
    best = min(v for _, _, v in minima)
    tol = 1e-9 * max(1.0, abs(best))
    return [(loc, kind, val, val <= best + tol) for loc, kind, val in minima]


def stationary_legend_handles(marked) -> list[Line2D]:
    """Legend proxies for the kinds present in ``marked``
    (from :func:`marked_stationary_points`)."""
    kinds = []
    for _, kind, _, prominent in marked:
        key = (kind, prominent)
        if key not in kinds:
            kinds.append(key)
    many = any(not p for _, _, _, p in marked)
    handles = []
    for kind in ("minimum", "saddle", "maximum"):
        st = STATIONARY_STYLE.get(kind)
        if st is None:
            continue
        if (kind, True) in kinds:
            label = st["label"]
            if many:
                label = "global minimum" if kind == "minimum" else label
            handles.append(
                Line2D([], [], linestyle="none", marker=st["marker"],
                       markersize=st["markersize"] * 0.8, markerfacecolor=HALO,
                       markeredgecolor=INK, markeredgewidth=1.0, label=label)
            )
        if (kind, False) in kinds:
            handles.append(
                Line2D([], [], linestyle="none", marker="o", markersize=3.5,
                       markerfacecolor=HALO, markeredgecolor=INK,
                       markeredgewidth=0.6, label=f"local {kind}")
            )
    return handles


def marker_path(marker) -> Path:
    """The unit-size path of a matplotlib marker (as Line2D draws it)."""
    ms = MarkerStyle(marker)
    return ms.get_path().transformed(ms.get_transform())


class Landmark(NamedTuple):
    """A marker drawn above the paths; ``position`` in the plot's coordinates,
    (x1, x2) or (x1, x2, height) in 3-D."""

    position: np.ndarray
    marker: object
    markersize: float
    hollow: bool = False


def landmarks(marked, starts: Sequence[np.ndarray], height=None) -> list[Landmark]:
    """The prominent stationary points of ``marked`` (from
    :func:`marked_stationary_points`) and the ``starts``, as landmarks.
    ``height``: f -> plot height, for 3-D positions (the starts already have theirs)."""
    out = []
    for loc, kind, value, prominent in marked:
        if not prominent:
            continue
        st = STATIONARY_STYLE.get(kind, STATIONARY_STYLE["saddle"])
        pos = loc if height is None else [loc[0], loc[1], float(height(np.array(value)))]
        out.append(Landmark(np.asarray(pos, dtype=np.float64), st["marker"], st["markersize"]))
    out += [Landmark(np.asarray(p, dtype=np.float64), START["marker"], START["markersize"], True)
            for p in starts]
    return out


def landmark_collection(items: Sequence[Landmark], offsets: np.ndarray, transform) -> PathCollection:
    """One collection drawing ``items`` at ``offsets`` (display positions through
    ``transform``): first every white halo, then every outlined marker."""
    n = len(items)
    paths = [marker_path(m.marker) for m in items]
    sizes = np.array([m.markersize for m in items] * 2) ** 2
    edge = [to_rgba(HALO)] * n + [to_rgba(INK)] * n
    face = [(0, 0, 0, 0)] * n + [(0, 0, 0, 0) if m.hollow else _FACE for m in items]
    widths = [_HALO_LINE] * n + [_LINE] * n
    offsets = np.asarray(offsets, dtype=np.float64).reshape(-1, 2)
    return PathCollection(paths * 2, sizes=sizes, offsets=np.concatenate([offsets, offsets]),
                          offset_transform=transform, transform=IdentityTransform(),
                          facecolors=face, edgecolors=edge,
                          linewidths=widths, zorder=Z_LANDMARK)


def draw_small_minima(ax, marked) -> None:
    """The non-prominent (local) minima as small dots, into the background of 2-D ``ax``."""
    small = np.array([loc for loc, _, _, p in marked if not p]).reshape(-1, 2)
    if len(small):
        ax.plot(small[:, 0], small[:, 1], linestyle="none", marker="o", markersize=3.5,
                markerfacecolor=HALO, markeredgecolor=INK, markeredgewidth=0.6,
                zorder=Z_STATIONARY, alpha=0.9)


def start_legend_handle() -> Line2D:
    return Line2D([], [], linestyle="none", marker=START["marker"], markersize=8,
                  markerfacecolor="none", markeredgecolor=INK, markeredgewidth=1.3, label="start")
