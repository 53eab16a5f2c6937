"""Shared look and output of the static charts (loss curves, lr sensitivity, basin maps).

Every chart is drawn on a bare :class:`matplotlib.figure.Figure` (no pyplot, so no
global figure state and no backend switch) inside :func:`chart_style`, and saved by
:func:`save_png`: fixed dpi, no ``Software`` metadata (deterministic bytes), written
atomically through :mod:`build_assets.atomic`.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from build_assets.atomic import write_bytes_atomic

__all__ = ["DPI", "GAP_FLOOR", "chart_style", "new_figure", "save_png", "uses_gap_scale", "target_band", "draw_target",
           "symlog_threshold", "symlog_tick",
           "symlog_ticks", "f_range", "smallest_text_px"]

#: Resolution of every chart; an 8-inch-wide figure is 1200 px.
DPI = 150

#: ``f − f*`` is floored here on log axes so that runs that hit f* exactly still plot.
GAP_FLOOR = 1e-16

INK = "#333333"
TARGET_COLOR = "#555555"

_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 10.5,
    "axes.titlesize": 11.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 10.5,
    "axes.labelcolor": INK,
    "axes.edgecolor": "#888888",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "axes.titlepad": 6.0,
    "grid.color": "#E6E6E6",
    "grid.linewidth": 0.8,
    "xtick.color": INK,
    "ytick.color": INK,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "xtick.major.size": 3.0,
    "ytick.major.size": 3.0,
    "xtick.minor.size": 1.5,
    "ytick.minor.size": 1.5,
    "legend.fontsize": 9.5,
    "legend.frameon": False,
    "legend.handlelength": 3.0,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.titlesize": 13,
    "figure.titleweight": "bold",
    "text.color": INK,
    "mathtext.fontset": "dejavusans",
    "axes.formatter.use_mathtext": True,
}


@contextlib.contextmanager
def chart_style() -> Iterator[None]:
    """The charts' matplotlib settings (light grid, no top/right spines, readable fonts)."""
    with mpl.rc_context(_RC):
        yield


def new_figure(width: float, height: float) -> Figure:
    """A white figure with constrained layout; call inside :func:`chart_style`."""
    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def save_png(fig: Figure, path: str | os.PathLike[str]) -> None:
    """Write ``fig`` to ``path`` as a PNG with deterministic bytes, atomically."""
    buffer = io.BytesIO()
    with chart_style():
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    write_bytes_atomic(path, buffer.getvalue())


def uses_gap_scale(surface) -> bool:
    """Whether losses on ``surface`` are shown as the gap ``f − f*`` on a log axis.

    That needs an f* that is also the lowest value in the plot range: the cubic lists a
    (local) minimum but falls away below it past its saddle, and the saddle has no
    minimum at all; both are shown as f itself on a symlog axis instead.
    """
    if surface.min_value is None or surface.escape_loss is not None:
        return False
    with np.errstate(all="ignore"):
        lowest = float(np.nanmin(surface.value(surface.grid(201))))
    return lowest >= surface.min_value - surface.loss_tol


def target_band(surface) -> tuple[float, float]:
    """The surface's target as an interval ``(low, high)`` on the chart's y axis.

    On a gap axis it is ``f − f* ≤ loss_tol`` (``low`` = 0, drawn as a line at
    ``high``); on an f axis it is ``f ≤ escape_loss`` (``low`` = −inf) or, where f*
    is only a local minimum (the cubic), the band ``f* ± loss_tol``.
    """
    if uses_gap_scale(surface):
        return 0.0, surface.loss_tol
    if surface.escape_loss is not None:
        return -np.inf, surface.escape_loss
    return surface.min_value - surface.loss_tol, surface.min_value + surface.loss_tol


def draw_target(ax, surface, *, label: str | None = "target") -> None:
    """The target as a thin dashed horizontal line (or a band for the cubic)."""
    low, high = target_band(surface)
    style = dict(color=TARGET_COLOR, linewidth=1.0, linestyle=(0, (5, 3)), zorder=1.5)
    if uses_gap_scale(surface) or not np.isfinite(low):
        ax.axhline(high, label=label, **style)
    else:
        ax.axhspan(low, high, facecolor="#CCCCCC", alpha=0.45, edgecolor="none", zorder=1.4)
        ax.axhline(high, label=label, **style)
        ax.axhline(low, **style)


def symlog_threshold(surface) -> float:
    """Linear half-width of the symlog axis for surfaces shown as f."""
    return surface.loss_tol


def symlog_tick(value: float, _pos=None) -> str:
    """Tick labels of a symlog axis: 0, ±1, ±10, ±100 written out, other decades as
    ±10ᵏ (matplotlib's default writes 10⁰ for 1)."""
    if value == 0:
        return "0"
    sign = "\u2212" if value < 0 else ""
    exponent = int(np.round(np.log10(abs(value))))
    if not np.isclose(abs(value), 10.0**exponent):
        return ""
    if 0 <= exponent <= 2:
        return f"{sign}{10 ** exponent}"
    return f"${'-' if value < 0 else ''}10^{{{exponent}}}$"


def f_range(surface) -> tuple[float, float]:
    """The lowest and highest value of f over the plot range (on a 201 × 201 grid)."""
    with np.errstate(all="ignore"):
        values = surface.value(surface.grid(201))
    return float(np.nanmin(values)), float(np.nanmax(values))


def symlog_ticks(low: float, high: float, threshold: float, per_side: int = 4) -> list[float]:
    """Ticks for a symlog axis from ``low`` to ``high``: 0 and powers of ten from
    ``threshold`` outwards, thinned to at most ``per_side`` on each side of 0."""
    ticks = [0.0] if low <= 0 <= high else []
    first = int(np.floor(np.log10(threshold)))
    for sign, bound in ((1.0, high), (-1.0, -low)):
        if bound < threshold:
            continue
        exponents = np.arange(first, int(np.floor(np.log10(bound))) + 1)
        step = int(np.ceil(len(exponents) / per_side))
        # Keep the largest decade and every step-th one below it.
        kept = exponents[::-1][::step]
        ticks += [sign * 10.0**k for k in kept]
    return sorted(t for t in ticks if low <= t <= high)


def smallest_text_px(fig: Figure, *, drawn: bool = False) -> float:
    """The size in pixels of the smallest visible, non-empty text of ``fig`` (tick labels,
    titles, legend entries), which is what decides whether it can be read where shown.
    ``drawn``: the figure has just been drawn (saved), so its tick labels exist."""
    if not drawn:  # tick labels exist only once the ticks are laid out
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        fig.canvas.draw()
    sizes = [t.get_fontsize() * fig.dpi / 72.0 for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip() and _drawn(t)]
    if not sizes:
        raise ValueError("smallest_text_px: the figure has no text")
    return min(sizes)


def _drawn(text: Text) -> bool:
    """Whether the axes ``text`` belongs to (if any) is shown: a hidden axes hides its labels."""
    return text.axes is None or text.axes.get_visible()
