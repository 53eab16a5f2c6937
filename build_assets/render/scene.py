"""Static backgrounds of a test surface: filled contour plot and 3-D surface.

Everything here is drawn once per figure; :mod:`.animate` then draws only the
moving trajectory artists on top of the cached background.

A surface is anything with ``value(x)`` (vectorised over ``(..., 2)``),
``key``, ``title``, ``bounds = ((x1_min, x1_max), (x2_min, x2_max))`` and
``stationary_points`` (objects with ``location``, ``kind``, ``value``).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import colors as mcolors
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

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
    "marked_stationary_points",
    "stationary_legend_handles",
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

#: A bow tie (two cones meeting at a point) for saddles: an × would be
#: confused with the exit markers of the animations.
_BOWTIE = [(-1.0, -0.8), (1.0, 0.8), (1.0, -0.8), (-1.0, 0.8), (-1.0, -0.8)]
STATIONARY_STYLE: dict[str, dict[str, Any]] = {
    "minimum": dict(marker="*", markersize=15, label="minimum"),
    "saddle": dict(marker=_BOWTIE, markersize=11, label="saddle point"),
    "maximum": dict(marker="^", markersize=10, label="maximum"),
}
_STATIONARY_FACE = "#FFFFFF"
_STATIONARY_EDGE = "#222222"

# Z-orders: background < stationary points < trajectories (set in animate).
Z_SURFACE = 1
Z_STATIONARY = 5

# --------------------------------------------------------------------------
# Per-surface view settings
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ViewSettings:
    """Per-surface drawing choices.  ``log``: log-spaced contour levels and
    colours (None: decide from the values).  ``log_height``: the 3-D height
    shows log10 f instead of f (default False: linear heights read best even
    for Rosenbrock and Beale, whose colours are then log-scaled)."""

    elev: float = 35.0
    azim: float = -60.0
    log: bool | None = None
    log_height: bool | None = None


VIEW_SETTINGS: dict[str, ViewSettings] = {
    "cubic": ViewSettings(elev=30, azim=-50),
    "ill_conditioned_bowl": ViewSettings(elev=40, azim=-65),
    # The bowl's camera, so the two pages show the trough turned; log levels, since the
    # square plot's corners across the trough are several times higher than the bowl's.
    "rotated_bowl": ViewSettings(elev=40, azim=-65, log=True),
    "saddle": ViewSettings(elev=30, azim=-55),
    "rosenbrock": ViewSettings(elev=40, azim=-60),
    "beale": ViewSettings(elev=40, azim=-60),
    "himmelblau": ViewSettings(elev=45, azim=-60, log=True),
    "rastrigin": ViewSettings(elev=50, azim=-60),
}


def view_settings(surface) -> ViewSettings:
    """The :class:`ViewSettings` for ``surface.key`` (defaults if unknown)."""
    return VIEW_SETTINGS.get(getattr(surface, "key", ""), ViewSettings())


# --------------------------------------------------------------------------
# Sampling the surface
# --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SurfaceGrid:
    """Samples of f on a regular grid plus the derived colour scale.

    ``log``: values span decades; contour levels and colours are
    log-spaced.  ``log_height``: the 3-D height is ``log10(f - offset)``
    (see :meth:`height`), else f.
    ``levels``: contour levels in f units.  ``norm``: maps f to [0, 1] for
    the colour map.  ``zlim``: the 3-D height axis range (height units).
    """

    x1: np.ndarray  # (n,)
    x2: np.ndarray  # (n,)
    X1: np.ndarray  # (n, n), x1 along axis 1
    X2: np.ndarray
    F: np.ndarray  # f values, non-finite replaced by the finite max
    log: bool
    log_height: bool
    floor: float  # log scale only: f - offset is clamped at this value
    offset: float  # log scale only: subtracted from f before the log
    levels: np.ndarray
    norm: mcolors.Normalize
    zlim: tuple[float, float]

    def height(self, f: np.ndarray) -> np.ndarray:
        """3-D height of points with function values ``f``."""
        f = np.asarray(f, dtype=np.float64)
        if not self.log_height:
            return f
        with np.errstate(invalid="ignore"):
            return np.log10(np.maximum(f - self.offset, self.floor))

    @property
    def Z(self) -> np.ndarray:
        """3-D heights of the grid."""
        return self.height(self.F)

    @property
    def zlabel(self) -> str:
        if not self.log_height:
            return "f(x)"
        if self.offset == 0:
            return "log₁₀ f(x)"
        return f"log₁₀ (f(x) − {self.offset:.3g})"


def uses_log_scale(values: np.ndarray) -> bool:
    """True when the (finite) values are bounded below and span several
    decades above their minimum, so that linear contour levels would crowd
    into one corner (Rosenbrock, Beale)."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return False
    lo, hi = float(v.min()), float(v.max())
    if hi <= lo:
        return False
    span = hi - lo
    # Compare the total span with the span of the lower quarter of the plot:
    # for a quadratic bowl the ratio is ~4-10, for Rosenbrock ~hundreds.
    q = float(np.percentile(v, 25)) - lo
    return q <= 0 or span / q > 40


def _nice_log_levels(lo: float, hi: float) -> np.ndarray:
    """Levels 1, 2, 5 × 10^k covering [lo, hi] (lo > 0)."""
    k0 = math.floor(math.log10(lo))
    k1 = math.ceil(math.log10(hi))
    levels = [m * 10.0**k for k in range(k0, k1 + 1) for m in (1, 2, 5)]
    levels = [v for v in levels if lo <= v <= hi * 1.0000001]
    return np.array(levels)


def surface_grid(surface, n: int = 300, *, log: bool | None = None,
                 log_height: bool | None = None) -> SurfaceGrid:
    """Sample ``surface`` on an ``n × n`` grid over its bounds.  ``log`` and
    ``log_height`` override :data:`VIEW_SETTINGS` and the automatic choice."""
    (a1, b1), (a2, b2) = surface.bounds
    x1 = np.linspace(a1, b1, n)
    x2 = np.linspace(a2, b2, n)
    X1, X2 = np.meshgrid(x1, x2)
    with np.errstate(all="ignore"):
        F = np.asarray(surface.value(np.stack([X1, X2], axis=-1)), dtype=np.float64)
    finite = np.isfinite(F)
    if not finite.any():
        raise ValueError(f"surface {getattr(surface, 'key', '?')!r} has no finite values")
    if not finite.all():
        F = np.where(finite, F, F[finite].max())
    lo, hi = float(F.min()), float(F.max())
    if hi <= lo:
        hi = lo + 1.0
    if log is None:
        log = view_settings(surface).log
    if log is None:
        log = uses_log_scale(F)
    if log_height is None:
        log_height = view_settings(surface).log_height
    log_height = bool(log_height and log)

    if log:
        offset = 0.0 if lo >= 0 else lo
        shifted = F - offset
        positive = shifted[shifted > 0]
        # Lowest level: about the 0.5th percentile, never more than 7 decades
        # below the maximum, rounded down to a power of ten.
        p = float(np.percentile(positive, 0.5)) if positive.size else 1e-3
        floor = max(p, (hi - offset) * 1e-7)
        floor = 10.0 ** math.floor(math.log10(floor))
        levels = _nice_log_levels(floor, hi - offset) + offset
        norm = mcolors.LogNorm(vmin=floor, vmax=hi - offset, clip=True)
        zlo, zhi = (math.log10(floor), math.log10(hi - offset)) if log_height else (lo, hi)
    else:
        offset, floor = 0.0, 0.0
        levels = MaxNLocator(nbins=18).tick_values(lo, hi)
        levels = levels[(levels >= lo - 1e-12 * abs(lo)) & (levels <= hi)]
        if levels.size < 3:
            levels = np.linspace(lo, hi, 12)
        norm = mcolors.Normalize(vmin=lo, vmax=hi, clip=True)
        zlo, zhi = lo, hi
    pad = 0.02 * (zhi - zlo)
    return SurfaceGrid(
        x1=x1, x2=x2, X1=X1, X2=X2, F=F, log=bool(log), log_height=log_height, floor=floor,
        offset=offset, levels=levels, norm=norm, zlim=(zlo - pad, zhi + pad),
    )


def _colour_values(grid: SurfaceGrid, f: np.ndarray) -> np.ndarray:
    """f -> [0, 1] for the colour maps."""
    if grid.log:
        return np.asarray(grid.norm(np.maximum(f - grid.offset, grid.floor)))
    return np.asarray(grid.norm(f))


# --------------------------------------------------------------------------
# Stationary points
# --------------------------------------------------------------------------


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
                       markersize=st["markersize"] * 0.8, markerfacecolor=_STATIONARY_FACE,
                       markeredgecolor=_STATIONARY_EDGE, markeredgewidth=1.0, label=label)
            )
        if (kind, False) in kinds:
            handles.append(
                Line2D([], [], linestyle="none", marker="o", markersize=3.5,
                       markerfacecolor=_STATIONARY_FACE, markeredgecolor=_STATIONARY_EDGE,
                       markeredgewidth=0.6, label=f"local {kind}")
            )
    return handles


def _draw_stationary_2d(ax, marked) -> None:
    small = np.array([loc for loc, _, _, p in marked if not p]).reshape(-1, 2)
    if len(small):
        ax.plot(small[:, 0], small[:, 1], linestyle="none", marker="o", markersize=3.5,
                markerfacecolor=_STATIONARY_FACE, markeredgecolor=_STATIONARY_EDGE,
                markeredgewidth=0.6, zorder=Z_STATIONARY, alpha=0.9)
    for loc, kind, _, prominent in marked:
        if not prominent:
            continue
        st = STATIONARY_STYLE.get(kind, STATIONARY_STYLE["saddle"])
        ax.plot([loc[0]], [loc[1]], linestyle="none", marker=st["marker"],
                markersize=st["markersize"], markerfacecolor=_STATIONARY_FACE,
                markeredgecolor=_STATIONARY_EDGE, markeredgewidth=1.2, zorder=Z_STATIONARY)


def _draw_stationary_3d(ax, marked, grid: SurfaceGrid) -> None:
    for loc, kind, val, prominent in marked:
        if not prominent:
            continue  # hundreds of small markers on a 3-D surface are noise
        st = STATIONARY_STYLE.get(kind, STATIONARY_STYLE["saddle"])
        z = float(grid.height(np.array(val)))
        ax.plot([loc[0]], [loc[1]], [z], linestyle="none", marker=st["marker"],
                markersize=st["markersize"], markerfacecolor=_STATIONARY_FACE,
                markeredgecolor=_STATIONARY_EDGE, markeredgewidth=1.2, zorder=Z_STATIONARY)


# --------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------

_AXIS_LABEL_SIZE = 11
_TICK_SIZE = 9


def _format_level(v: float) -> str:
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1e4 or a < 1e-2:
        k = round(math.log10(a))
        if math.isclose(a, 10.0**k, rel_tol=1e-6):
            return f"1e{k}" if v > 0 else f"-1e{k}"
        return f"{v:.0e}"
    return f"{v:g}"


def _compact(v: float) -> str:
    """Short tick labels: 40000 -> "4e4", 160000 -> "1.6e5", 2.5 -> "2.5"."""
    if v == 0:
        return "0"
    if abs(v) >= 1e4:
        k = math.floor(math.log10(abs(v)))
        return f"{v / 10**k:.3g}e{k}"
    return f"{v:.6g}"


def draw_contour(ax, surface, *, grid: SurfaceGrid | None = None, labels: bool = True,
                 mark_stationary: bool = True) -> SurfaceGrid:
    """Draw the filled contour background of ``surface`` into 2-D ``ax``:
    light filled contours, thin dark contour lines (a few labelled), marked
    stationary points, equal aspect, limits = ``surface.bounds``.
    Returns the :class:`SurfaceGrid` used."""
    if grid is None:
        grid = surface_grid(surface)
    levels = grid.levels
    fill_levels = np.concatenate([[grid.F.min()], levels, [grid.F.max()]])
    fill_levels = np.unique(fill_levels)
    # Colour each band by the value at its lower edge (through the norm).
    band_vals = _colour_values(grid, fill_levels[:-1])
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
            ax.clabel(cs, levels=lab, inline=True, fontsize=7.5, fmt=_format_level,
                      colors="#333333")
    if mark_stationary:
        _draw_stationary_2d(ax, marked_stationary_points(surface))
    (a1, b1), (a2, b2) = surface.bounds
    ax.set_xlim(a1, b1)
    ax.set_ylim(a2, b2)
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
                   mark_stationary: bool = True, floor_contours: bool = True) -> SurfaceGrid:
    """Draw ``surface`` as a shaded 3-D surface into ``ax`` (an ``Axes3D``
    created with ``computed_zorder=False``), with faint contour lines on the
    floor of the box, marked stationary points and the per-surface view.
    Log-scale surfaces show ``log10 f`` as height.  Returns the grid used."""
    if grid is None:
        grid = surface_grid(surface, n=mesh)
    vs = view_settings(surface)
    Z = grid.Z
    zlo, zhi = grid.zlim
    face = SURFACE_CMAP(_colour_values(grid, grid.F))
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
    if mark_stationary:
        _draw_stationary_3d(ax, marked_stationary_points(surface), grid)
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
