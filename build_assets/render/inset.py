"""A magnified inset for contour animations whose runs stay in a small corner.

When every path drawn fits into a small part of the plot (hand-picked Rastrigin: all
runs stay in the start's dip, 1 % of the plot), the main plot keeps the whole surface
and a square inset in a free corner shows that part magnified, with the same colours
and contour levels; a rectangle on the main plot marks where it is.
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

import numpy as np
from matplotlib.patches import Rectangle

from . import scene
from .grid import SurfaceGrid

__all__ = ["zoom_bounds", "corner", "add_inset", "MAX_SHARE", "INSET_SHARE"]

#: Zoom only when the paths fit in a square of this fraction of the plot's side...
MAX_SHARE = 0.2
#: ...and draw the inset this fraction of the plot's side.
INSET_SHARE = 0.42
_FRAME = "#444444"


def zoom_bounds(paths: Sequence[np.ndarray], lo, hi, *, pad: float = 0.25,
                max_share: float = MAX_SHARE):
    """The square (in plot proportions) region to magnify, ``((a1, b1), (a2, b2))``, or
    None when the drawn ``paths`` (vertex arrays, NaN rows allowed) need no zoom."""
    lo, hi = np.asarray(lo, dtype=np.float64)[:2], np.asarray(hi, dtype=np.float64)[:2]
    pts = [p[np.isfinite(p).all(axis=1), :2] for p in paths]
    pts = np.concatenate([p for p in pts if len(p)] or [np.empty((0, 2))])
    if len(pts) < 2:
        return None
    span = hi - lo
    u = (pts - lo) / span  # plot box -> unit square
    a, b = u.min(axis=0), u.max(axis=0)
    side = float((b - a).max()) * (1 + 2 * pad)
    side = max(side, 0.06)
    if side > max_share:
        return None
    centre = np.clip((a + b) / 2, side / 2, 1 - side / 2)
    z0, z1 = lo + (centre - side / 2) * span, lo + (centre + side / 2) * span
    return (float(z0[0]), float(z1[0])), (float(z0[1]), float(z1[1]))


def corner(zoom, avoid: Sequence[np.ndarray], lo, hi, share: float = INSET_SHARE,
           margin: float = 0.025) -> tuple[float, float] | None:
    """Lower-left corner (unit-square coordinates of the plot) of the free corner for an
    inset of side ``share``: not over the zoomed region, over as few of the points
    ``avoid`` as possible, then the one farthest from the region.  None if none is free."""
    lo, hi = np.asarray(lo, dtype=np.float64)[:2], np.asarray(hi, dtype=np.float64)[:2]
    (a1, b1), (a2, b2) = zoom
    za = (np.array([a1, a2]) - lo) / (hi - lo)
    zb = (np.array([b1, b2]) - lo) / (hi - lo)
    pts = (np.asarray(avoid, dtype=np.float64).reshape(-1, 2) - lo) / (hi - lo)
    best = None
    for cx in (margin, 1 - margin - share):
        for cy in (margin, 1 - margin - share):
            c0, c1 = np.array([cx, cy]), np.array([cx + share, cy + share])
            if (c0 < zb + margin).all() and (za - margin < c1).all():
                continue  # over the zoomed region
            covered = int(((pts >= c0) & (pts <= c1)).all(axis=1).sum())
            distance = float(np.linalg.norm((c0 + c1) / 2 - (za + zb) / 2))
            key = (covered, -distance)
            if best is None or key < best[0]:
                best = (key, (cx, cy))
    return None if best is None else best[1]


def _zoom_grid(surface, grid: SurfaceGrid, zoom, n: int) -> SurfaceGrid:
    """``grid``'s levels and colours, sampled over ``zoom``."""
    (a1, b1), (a2, b2) = zoom
    x1, x2 = np.linspace(a1, b1, n), np.linspace(a2, b2, n)
    X1, X2 = np.meshgrid(x1, x2)
    with np.errstate(all="ignore"):
        F = np.asarray(surface.value(np.stack([X1, X2], axis=-1)), dtype=np.float64)
    F = np.where(np.isfinite(F), F, grid.F.max())
    return dataclasses.replace(grid, x1=x1, x2=x2, X1=X1, X2=X2, F=F)


def add_inset(fig, ax, surface, grid: SurfaceGrid, zoom, at: tuple[float, float],
              share: float = INSET_SHARE, n: int = 160):
    """Add the inset axes showing ``zoom`` at ``at`` (unit-square corner in ``ax``) and
    mark the region on ``ax``; returns the inset axes (position fixed in ``fig``)."""
    pos = ax.get_position()
    inset = fig.add_axes((pos.x0 + at[0] * pos.width, pos.y0 + at[1] * pos.height,
                          share * pos.width, share * pos.height))
    scene.draw_contour(inset, surface, grid=_zoom_grid(surface, grid, zoom, n), labels=False)
    (a1, b1), (a2, b2) = zoom
    inset.set_aspect("auto")
    inset.set_xlabel("")
    inset.set_ylabel("")
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():
        spine.set_color(_FRAME)
        spine.set_linewidth(1.4)
    inset.set_zorder(ax.get_zorder() + 1)
    ax.add_patch(Rectangle((a1, a2), b1 - a1, b2 - a2, fill=False, edgecolor=_FRAME,
                           linewidth=1.2, zorder=scene.Z_STATIONARY - 0.5))
    return inset
