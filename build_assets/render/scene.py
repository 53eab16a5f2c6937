"""Static backgrounds of a test surface: filled contour plot and 3-D surface.

Everything here is drawn once per figure; :mod:`.animate` then draws only the
moving trajectory artists on top of the cached background, and the landmarks
(stationary points, start; :mod:`.markers`) above those.  How the surface is
sampled and scaled is :mod:`.grid`'s job (re-exported here).
"""

from __future__ import annotations

import math
import os

import numpy as np
from matplotlib import colors as mcolors
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .grid import (VIEW_SETTINGS, SurfaceGrid, ViewSettings, colour_values, surface_grid,
                   uses_log_scale, view_settings)

__all__ = [
    "SurfaceGrid",
    "ViewSettings",
    "VIEW_SETTINGS",
    "SURFACE_CMAP",
    "CONTOUR_CMAP",
    "surface_grid",
    "view_settings",
    "uses_log_scale",
    "draw_contour",
    "draw_surface3d",
    "new_figure",
    "save_surface_png",
    "save_contour_png",
]

# --------------------------------------------------------------------------
# Colours
# --------------------------------------------------------------------------

#: Filled contours: pale blue valleys through near-white to pale sand on the
#: heights (a light terrain map).  Light everywhere, so every trajectory
#: colour and the dark contour lines keep their contrast.
CONTOUR_CMAP = mcolors.LinearSegmentedColormap.from_list(
    "atlas_terrain", ["#C9DBEA", "#E6EEF4", "#F3ECE0", "#E3CDA8"], N=256
)
#: 3-D surface: the same map a little stronger (shading adds depth).
SURFACE_CMAP = mcolors.LinearSegmentedColormap.from_list(
    "atlas_terrain_3d", ["#BFD4E6", "#E3ECF2", "#F0E8DA", "#DDC39B"], N=256
)

# Z-orders: background < stationary points < trajectories (set in animate).
Z_SURFACE = 1
Z_STATIONARY = 5

# --------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------

_AXIS_LABEL_SIZE = 11
_TICK_SIZE = 9
_CONTOUR_LABEL_SIZE = 9


def format_level(v: float, minus: str = "-") -> str:
    """A contour level or colour-bar tick: powers of ten as 1eK, others to 1–3 digits;
    ``minus`` is the sign written for negative values and mantissas."""
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1e4 or a < 1e-2:
        k = round(math.log10(a))
        if math.isclose(a, 10.0**k, rel_tol=1e-6):
            return f"1e{k}" if v > 0 else f"{minus}1e{k}"
        return f"{v:.0e}".replace("-", minus)
    return f"{v:g}".replace("-", minus)


def _compact(v: float) -> str:
    """Short tick labels: 40000 -> "4e4", 160000 -> "1.6e5", 2.5 -> "2.5"."""
    if v == 0:
        return "0"
    if abs(v) >= 1e4:
        k = math.floor(math.log10(abs(v)))
        return f"{v / 10**k:.3g}e{k}"
    return f"{v:.6g}"


def draw_contour(ax, surface, *, grid: SurfaceGrid | None = None,
                 labels: bool = True) -> SurfaceGrid:
    """Draw the filled contour background of ``surface`` into 2-D ``ax``:
    light filled contours, thin dark contour lines (a few labelled), equal
    aspect, limits = the grid's extent (``surface.bounds`` by default).
    Returns the :class:`SurfaceGrid` used."""
    if grid is None:
        grid = surface_grid(surface)
    levels = grid.levels
    fill_levels = np.concatenate([[grid.F.min()], levels, [grid.F.max()]])
    fill_levels = np.unique(fill_levels)
    # Colour each band by the value at its lower edge (through the norm).
    band_vals = colour_values(grid, fill_levels[:-1])
    band_cols = CONTOUR_CMAP(band_vals)
    ax.contourf(grid.X1, grid.X2, grid.F, levels=fill_levels, colors=band_cols,
                zorder=Z_SURFACE, antialiased=True)
    cs = ax.contour(grid.X1, grid.X2, grid.F, levels=levels, colors="#1a1a1a",
                    linewidths=0.55, alpha=0.4, zorder=Z_SURFACE + 0.1,
                    negative_linestyles="solid")
    many_points = len(getattr(surface, "stationary_points", ()) or ()) > 12
    if labels and len(levels) and not many_points:  # (Rastrigin: labels would be noise)
        if grid.log:
            lab = [v for v in levels if math.isclose(math.log10(v - grid.offset) % 1, 0, abs_tol=1e-9)
                   or math.isclose(math.log10(v - grid.offset) % 1, 1, abs_tol=1e-9)]
        else:
            lab = list(levels[1::3])
        if lab:
            texts = ax.clabel(cs, levels=lab, inline=True, inline_spacing=4,
                              fontsize=_CONTOUR_LABEL_SIZE, fmt=format_level, colors="#333333")
            for text in texts:
                text.set_alpha(0.9)  # not the lines' faintness
    ax.set_xlim(grid.x1[0], grid.x1[-1])
    ax.set_ylim(grid.x2[0], grid.x2[-1])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x₁", fontsize=_AXIS_LABEL_SIZE, labelpad=2)
    ax.set_ylabel("x₂", fontsize=_AXIS_LABEL_SIZE, labelpad=2, rotation=0)
    ax.tick_params(labelsize=_TICK_SIZE, direction="out", length=3)
    for spine in ax.spines.values():
        spine.set_color("#555555")
        spine.set_linewidth(0.8)
    return grid


def _soft_shade(grid: SurfaceGrid, Z: np.ndarray, zlim, azim: float) -> np.ndarray:
    """Brightness factors in [0.72, 1] from a light above and to the left of
    the viewer.  Matplotlib's own shading goes down to 0.3, which turns the
    far side of a surface so dark that black and dark trajectories vanish."""
    (a1, b1), (a2, b2) = (grid.x1[0], grid.x1[-1]), (grid.x2[0], grid.x2[-1])
    zlo, zhi = zlim
    # Coordinates as the default 4:4:3 box shows them.
    xs = (grid.x1 - a1) / (b1 - a1) * 4.0
    ys = (grid.x2 - a2) / (b2 - a2) * 4.0
    zn = (Z - zlo) / max(zhi - zlo, 1e-300) * 3.0
    dzdy, dzdx = np.gradient(zn, ys, xs)
    normal = np.stack([-dzdx, -dzdy, np.ones_like(zn)], axis=-1)
    normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
    az = math.radians(azim + 50.0)
    alt = math.radians(55.0)
    light = np.array([math.cos(alt) * math.cos(az), math.cos(alt) * math.sin(az), math.sin(alt)])
    intensity = np.clip(normal @ light, 0.0, 1.0)
    return 0.72 + 0.28 * intensity


def draw_surface3d(ax, surface, *, grid: SurfaceGrid | None = None, mesh: int = 80,
                   floor_contours: bool = True) -> SurfaceGrid:
    """Draw ``surface`` as a shaded 3-D surface into ``ax`` (an ``Axes3D``
    created with ``computed_zorder=False``), with faint contour lines on the
    floor of the box and the per-surface view.
    Log-scale surfaces show ``log10 f`` as height.  Returns the grid used."""
    if grid is None:
        grid = surface_grid(surface, n=mesh)
    vs = view_settings(surface)
    Z = grid.Z
    zlo, zhi = grid.zlim
    face = SURFACE_CMAP(colour_values(grid, grid.F))
    face[..., :3] *= _soft_shade(grid, Z, (zlo, zhi), vs.azim)[..., None]
    n = grid.X1.shape[0]
    ax.plot_surface(grid.X1, grid.X2, Z, facecolors=face, rcount=min(n, mesh),
                    ccount=min(n, mesh), linewidth=0, antialiased=True, shade=False,
                    zorder=Z_SURFACE)
    if floor_contours:
        if grid.log:
            lv = grid.height(grid.levels[::3])
        else:
            lv = grid.levels[::2]
        lv = np.unique(lv)
        if lv.size >= 2:
            ax.contour(grid.X1, grid.X2, Z, levels=lv, zdir="z", offset=zlo,
                       colors="#555555", linewidths=0.5, alpha=0.5, zorder=0,
                       negative_linestyles="solid")
    (a1, b1), (a2, b2) = surface.bounds
    ax.set_xlim(a1, b1)
    ax.set_ylim(a2, b2)
    ax.set_zlim(zlo, zhi)
    ax.view_init(elev=vs.elev, azim=vs.azim)
    ax.set_box_aspect(None, zoom=1.12)
    ax.set_xlabel("x₁", fontsize=_AXIS_LABEL_SIZE, labelpad=0)
    ax.set_ylabel("x₂", fontsize=_AXIS_LABEL_SIZE, labelpad=0)
    ax.set_zlabel(grid.zlabel, fontsize=_AXIS_LABEL_SIZE - 1, labelpad=2)
    ax.tick_params(labelsize=_TICK_SIZE - 1, pad=0)
    for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: _compact(v)))
        # No ticks at the ends of x1/x2: they collide at the box corners.
        axis.set_major_locator(MaxNLocator(nbins=4, prune=None if axis is ax.zaxis else "both"))
        axis.set_pane_color((0.96, 0.96, 0.97, 1.0))
        axis._axinfo["grid"].update(color=(0.75, 0.75, 0.78, 1.0), linewidth=0.5)
    return grid


# --------------------------------------------------------------------------
# Figures and static PNGs
# --------------------------------------------------------------------------


def new_figure(width_px: int = 800, height_px: int = 600, dpi: int = 100) -> Figure:
    """A figure with an Agg canvas (no pyplot, no GUI, no global state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _save_png(fig: Figure, path) -> str:
    from ..atomic import atomic_write

    path = os.fspath(path)
    with atomic_write(path, "wb") as f:
        # No "Software" entry: the bytes depend only on the picture.
        fig.savefig(f, format="png", dpi=fig.dpi, metadata={"Software": None})
    return path


def _save_static(surface, path, view: str, width_px: int, height_px: int,
                 title: str | None) -> str:
    # The animation's figure with no runs: same layout engine (legend never
    # over the plot), same look as the GIFs.
    from .animate import TrajectoryAnimation

    anim = TrajectoryAnimation(surface, [], view, title=title, width_px=width_px,
                               height_px=height_px, counter=False)
    try:
        return _save_png(anim.fig, path)
    finally:
        anim.close()


def save_contour_png(surface, path, *, width_px: int = 800, height_px: int = 600,
                     title: str | None = None) -> str:
    """Write a static PNG of the contour plot of ``surface`` (atomically;
    deterministic bytes).  Returns the path written."""
    return _save_static(surface, path, "contour", width_px, height_px, title)


def save_surface_png(surface, path, *, width_px: int = 800, height_px: int = 600,
                     title: str | None = None) -> str:
    """Write a static PNG of the 3-D surface plot of ``surface`` (atomically;
    deterministic bytes).  Returns the path written."""
    return _save_static(surface, path, "3d", width_px, height_px, title)
