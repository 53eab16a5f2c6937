"""The colour bar of a contour plot: which band colour is which value of f.

It shows exactly the bands of :func:`.scene.draw_contour` (same edges, same colours)
at their true values, on a log axis where the plot uses log-spaced levels, with a thin
line at every contour level.
"""

from __future__ import annotations


import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator

from .grid import SurfaceGrid, colour_values
from .scene import CONTOUR_CMAP, format_level

__all__ = ["draw_colorbar", "colorbar_label"]

_INK = "#333333"


def colorbar_label(grid: SurfaceGrid) -> str:
    if grid.log and grid.offset != 0:
        return f"f(x) − ({grid.offset:.3g})"
    return "f(x)"


def _tick(v: float, _pos=None) -> str:
    return format_level(v, minus="−")


def draw_colorbar(cax, grid: SurfaceGrid, *, fontsize: float = 8.5) -> None:
    """Draw the colour bar of ``grid``'s filled contours into the (narrow) axes ``cax``."""
    fill = np.unique(np.concatenate([[grid.F.min()], grid.levels, [grid.F.max()]]))
    colours = CONTOUR_CMAP(colour_values(grid, fill[:-1]))
    edges, lines = fill, np.asarray(grid.levels, dtype=np.float64)
    if grid.log:
        # The axis shows f - offset; below the lowest level every band has its colour.
        edges = np.maximum(fill - grid.offset, grid.floor)
        lines = lines - grid.offset
    keep = np.diff(edges) > 0
    colours, lower = colours[keep], edges[:-1][keep]
    edges = np.append(lower, edges[-1])
    cax.pcolormesh([0.0, 1.0], edges, np.arange(len(lower)).reshape(-1, 1),
                   cmap=ListedColormap(colours), vmin=-0.5, vmax=len(lower) - 0.5,
                   shading="flat", rasterized=False, antialiased=False)
    cax.hlines(lines[(lines >= edges[0]) & (lines <= edges[-1])], 0.0, 1.0,
               colors="#1a1a1a", linewidths=0.55, alpha=0.45)
    cax.set_xlim(0.0, 1.0)
    cax.set_ylim(edges[0], edges[-1])
    if grid.log:
        cax.set_yscale("log")
        cax.yaxis.set_major_locator(LogLocator(base=10.0, numticks=8))
        cax.yaxis.set_minor_locator(LogLocator(base=10.0, subs=(2.0, 5.0), numticks=12))
        cax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _p: ""))
    else:
        cax.yaxis.set_major_locator(MaxNLocator(nbins=6))
    cax.yaxis.set_major_formatter(FuncFormatter(_tick))
    cax.yaxis.tick_right()
    cax.yaxis.set_label_position("right")
    cax.set_xticks([])
    cax.tick_params(axis="y", labelsize=fontsize, colors=_INK, length=3, width=0.7, pad=2)
    cax.tick_params(axis="y", which="minor", length=1.8, width=0.5)
    cax.set_ylabel(colorbar_label(grid), fontsize=fontsize + 1, color=_INK, labelpad=3)
    for spine in cax.spines.values():
        spine.set_color("#555555")
        spine.set_linewidth(0.8)
