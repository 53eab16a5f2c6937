"""Loss curves: one line per optimizer of the loss against the step."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.scale import SymmetricalLogTransform
from matplotlib.ticker import FixedLocator, FuncFormatter

from build_assets.render.chart_common import (
    GAP_FLOOR,
    INK,
    chart_style,
    draw_target,
    new_figure,
    save_png,
    smallest_text_px,
    symlog_tick,
    symlog_ticks,
    symlog_threshold,
    target_band,
    uses_gap_scale,
)

__all__ = ["loss_curves_figure", "save_loss_curves"]

DIVERGED_MARKER = dict(marker="X", markersize=9, markeredgecolor="white", markeredgewidth=0.8)
LEFT_PLOT_MARKER = dict(marker="o", markersize=7, markerfacecolor="white", markeredgewidth=1.8)
#: The phone rendering (inches; 540 px wide at 150 dpi): its 19.8 px text is 12.6 px in a
#: 343 px column. The legend below adds a row per entry.
PHONE_SIZE = (3.6, 3.4)
PHONE_LEGEND_ROW = 0.22
PHONE_TITLE_WRAP = 34  # characters per line of the phone rendering's title


def save_loss_curves(path: str | os.PathLike[str], surface, runs: Sequence, *, title: str | None = None,
                     phone: bool = False) -> float:
    """Save :func:`loss_curves_figure` as a PNG at ``path`` (atomically, deterministic bytes);
    returns the size in pixels of its smallest text."""
    fig = loss_curves_figure(surface, runs, title=title, phone=phone)
    save_png(fig, path)
    return smallest_text_px(fig, drawn=True)


def loss_curves_figure(surface, runs: Sequence, *, title: str | None = None, phone: bool = False) -> Figure:
    """The loss of each run against the step, on ``surface``.

    ``runs``: :class:`build_assets.render.style.Run` objects (from ``make_run``), or
    anything with the attributes ``label``, ``points`` ((T+1, 2) iterates, frozen after
    a divergence, as the runner returns them), ``diverged_at`` (step or -1), ``color``
    and ``linestyle``.  The losses and the step at which a run first leaves the plot
    range are computed from the points, so they always agree with the animation.
    Runs may have different lengths.

    y axis: ``f(x_t) − f*`` on a log scale (floored at 1e-16 so exact hits still plot)
    where f* is the lowest value in the plot range; ``f(x_t)`` on a symlog scale
    otherwise (the saddle, and the cubic, which falls away below its local minimum).
    The y range covers the runs while they are inside the plot range; a run that then
    runs off it is clipped at the edge of the axes.  A run that left the plot range is
    marked by a hollow circle at that step, a diverged run ends in a cross at the step
    of divergence (drawn at the edge when its last value is off the axes), and its
    legend entry says so.  The target (``f* + loss_tol`` or ``escape_loss``) is a
    thin dashed line labelled "target".  ``title=None`` gives a default title; pass
    ``""`` for none.  ``phone``: drawn for a phone's column (narrow, the legend below the
    plot), at the same text size.
    """
    gap_axis = uses_gap_scale(surface)
    curves = [_curve(surface, run, gap_axis) for run in runs]
    low, high = _y_limits(surface, curves, gap_axis)
    with chart_style():
        fig = new_figure(*PHONE_SIZE) if phone else new_figure(8.0, 4.6)
        ax = fig.add_subplot()
        for curve in curves:
            steps = np.arange(curve["end"] + 1)
            ax.plot(steps, curve["y"][: curve["end"] + 1], color=curve["color"],
                    linestyle=curve["linestyle"], linewidth=2.0, label=curve["label"], zorder=3)
        draw_target(ax, surface)
        if gap_axis:
            ax.set_yscale("log")
            ax.set_ylabel(r"$f(x_t) - f^{*}$")
        else:
            ax.set_yscale("symlog", linthresh=symlog_threshold(surface), linscale=0.5)
            ax.yaxis.set_major_formatter(FuncFormatter(symlog_tick))
            ax.yaxis.set_major_locator(FixedLocator(symlog_ticks(low, high, symlog_threshold(surface), 6)))
            ax.set_ylabel(r"$f(x_t)$")
        ax.set_ylim(low, high)
        ax.set_xlim(0, max([c["steps"] for c in curves], default=1) or 1)
        ax.set_xlabel("step")
        left, diverged = _draw_markers(ax, curves, low, high)
        handles, labels = ax.get_legend_handles_labels()
        if left:
            handles.append(Line2D([], [], linestyle="none", color=INK, markeredgecolor=INK, **LEFT_PLOT_MARKER))
            labels.append("left the plot range")
        if diverged:
            handles.append(Line2D([], [], linestyle="none", color=INK, **DIVERGED_MARKER))
            labels.append("diverged")
        if phone:
            fig.set_size_inches(PHONE_SIZE[0], PHONE_SIZE[1] + PHONE_LEGEND_ROW * len(handles))
        fig.legend(handles, labels, loc="outside lower center" if phone else "outside right upper")
        if title is None:
            title = f"{surface.title}: loss per step"
        if title:
            fig.suptitle(textwrap.fill(title, PHONE_TITLE_WRAP) if phone else title, x=0.01, ha="left")
    return fig


def _curve(surface, run, gap_axis: bool) -> dict:
    points = np.asarray(run.points, dtype=np.float64)
    steps = len(points) - 1
    diverged_at = int(run.diverged_at)
    # points[diverged_at] is the frozen copy of the last good iterate: stop before it.
    end = min(diverged_at - 1, steps) if diverged_at >= 0 else steps
    with np.errstate(all="ignore"):
        loss = surface.value(points)
    y = np.maximum(loss - surface.min_value, GAP_FLOOR) if gap_axis else loss
    outside = ~surface.inside(points[: end + 1])
    left_at = int(np.argmax(outside)) if outside.any() else -1
    # A diverged run has nearly always left the plot first; its circle still shows where.
    if diverged_at >= 0:
        label = f"{run.label} (diverged at step {diverged_at})"
    elif left_at >= 0:
        label = f"{run.label} (left the plot at step {left_at})"
    else:
        label = str(run.label)
    return dict(y=y, end=end, steps=steps, diverged_at=diverged_at, left_at=left_at,
                in_plot_end=left_at - 1 if left_at >= 0 else end,
                color=run.color, linestyle=run.linestyle, label=label)


def _y_limits(surface, curves, gap_axis: bool) -> tuple[float, float]:
    """The range of the runs and the target, padded.  Beyond what the runs cover inside
    the plot range it extends at most two decades: runs that run off further (on their
    way to diverging) are clipped at the edge of the axes."""
    low, high = target_band(surface)
    target = np.array([high] + ([low] if np.isfinite(low) and not gap_axis else []))
    if gap_axis:
        forward, inverse, decade = np.log10, lambda t: 10.0 ** t, 1.0
    else:
        threshold = symlog_threshold(surface)
        transform = SymmetricalLogTransform(10, threshold, 0.5)
        forward, inverse = transform.transform, transform.inverted().transform
        decade = float(np.diff(forward(np.array([threshold, 10 * threshold])))[0])

    def span(arrays):
        t = forward(np.concatenate([target, *arrays]))
        t = t[np.isfinite(t)]
        return t.min(), t.max()

    lo, hi = span([c["y"][: c["in_plot_end"] + 1] for c in curves if c["in_plot_end"] >= 0])
    all_lo, all_hi = span([c["y"][: c["end"] + 1] for c in curves])
    lo, hi = max(all_lo, lo - 2 * decade), min(all_hi, hi + 2 * decade)
    pad = max(0.04 * (hi - lo), 0.15 * decade)
    low, high = inverse(np.array([lo - pad, hi + pad]))
    return float(low), float(high)


def _draw_markers(ax, curves, low: float, high: float) -> tuple[bool, bool]:
    """Hollow circles where runs left the plot range, crosses where they diverged."""
    any_left = any_diverged = False
    for c in curves:
        if c["left_at"] >= 0:
            any_left = True
            y = np.clip(c["y"][c["left_at"]], low, high)
            ax.plot([c["left_at"]], [y], color=c["color"], markeredgecolor=c["color"],
                    clip_on=False, zorder=5, linestyle="none", **LEFT_PLOT_MARKER)
        if c["diverged_at"] >= 0:
            any_diverged = True
            last = c["y"][max(c["end"], 0)]
            y = np.clip(last if np.isfinite(last) else high, low, high)
            ax.plot([c["diverged_at"]], [y], color=c["color"], clip_on=False, zorder=6,
                    linestyle="none", gid="diverged", **DIVERGED_MARKER)
    return any_left, any_diverged
