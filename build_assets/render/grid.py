"""Sampling a test surface for drawing: per-surface view settings, the grid of f
values, and the colour and height scales derived from it (log-spaced where f spans
decades).

A surface is anything with ``value(x)`` (vectorised over ``(..., 2)``), ``key``,
``title``, ``bounds = ((x1_min, x1_max), (x2_min, x2_max))`` and
``stationary_points`` (objects with ``location``, ``kind``, ``value``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib import colors as mcolors
from matplotlib.ticker import MaxNLocator

__all__ = [
    "SurfaceGrid",
    "ViewSettings",
    "VIEW_SETTINGS",
    "surface_grid",
    "view_settings",
    "uses_log_scale",
    "colour_values",
]

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


def colour_values(grid: SurfaceGrid, f: np.ndarray) -> np.ndarray:
    """f -> [0, 1] for the colour maps."""
    if grid.log:
        return np.asarray(grid.norm(np.maximum(f - grid.offset, grid.floor)))
    return np.asarray(grid.norm(f))

