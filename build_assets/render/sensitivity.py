"""Learning-rate sensitivity: small multiples of the final loss against the learning rate."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.scale import SymmetricalLogTransform
from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, NullFormatter

from build_assets.render.chart_common import (
    GAP_FLOOR,
    INK,
    TARGET_COLOR,
    chart_style,
    draw_target,
    new_figure,
    symlog_threshold,
    symlog_tick,
    symlog_ticks,
    f_range,
    target_band,
    uses_gap_scale,
)
from build_assets.render.panels import PANEL_SIZE, Panels, key_figure, panel_title
from build_assets.render.style import display_name, style_for

__all__ = ["failed_lrs", "lr_sensitivity_panels", "reaching_lrs"]

#: Where the markers of failed runs sit, as a fraction of the axes height.
FAILED_ROW = 0.95
_DATA_TOP = 0.86  # the finite values stay below this fraction of the axes height
_DIVERGED = dict(marker="X", markersize=7, markeredgecolor="white", markeredgewidth=0.6)
_LEFT = dict(marker="o", markersize=5.5, markerfacecolor="white", markeredgewidth=1.4)


def reaching_lrs(result) -> np.ndarray:
    """Which learning rates of a sweep reach the target without leaving the plot range
    or diverging first: exactly the runs that ``optimizers.sweep.score`` scores by
    their arrival step."""
    m = result.metrics
    arrived = m.steps_to_target >= 0
    left_at = np.where(m.diverged_at >= 0, m.diverged_at, m.left_plot_at)
    left_first = (left_at >= 0) & (~arrived | (left_at < m.steps_to_target))
    return arrived & ~left_first


def failed_lrs(result) -> tuple[np.ndarray, np.ndarray]:
    """Which learning rates of a sweep failed: diverged, or else left the plot range, without
    reaching the target first (a run that arrived counts as arrived even if it diverged or
    left afterwards)."""
    m = result.metrics
    reached = reaching_lrs(result)
    diverged = (m.diverged_at >= 0) & ~reached
    return diverged, ~diverged & (m.left_plot_at >= 0) & ~reached


def _log_lr_edges(lr: np.ndarray) -> np.ndarray:
    """Each sweep value's cell in log10(lr): out to the midpoints between neighbours."""
    log_lr = np.log10(lr)
    return np.concatenate([[1.5 * log_lr[0] - 0.5 * log_lr[1]] if len(lr) > 1 else [log_lr[0] - 0.05],
                           (log_lr[1:] + log_lr[:-1]) / 2,
                           [1.5 * log_lr[-1] - 0.5 * log_lr[-2]] if len(lr) > 1 else [log_lr[-1] + 0.05]])


def reaching_decades(lr: np.ndarray, reached: np.ndarray) -> float:
    """How many decades of learning rate reach the target: the summed width of the cells
    (see the shading) of the sweep values that do."""
    edges = _log_lr_edges(np.asarray(lr, dtype=np.float64))
    return float(sum(edges[stop] - edges[start] for start, stop in _true_runs(np.asarray(reached))))


def lr_sensitivity_panels(surface, sweeps: Mapping, *, colors: Mapping[str, str] | None = None,
                          labels: Mapping[str, str] | None = None) -> Panels:
    """Which optimizers forgive a bad learning rate: one panel per optimizer, and a key.

    ``sweeps`` maps optimizer names (panel order = mapping order) to the
    :class:`optimizers.SearchResult` of ``optimizers.lr_sweep`` on ``surface`` (all
    from the same start and step budget).  Each panel shows the final loss against
    the learning rate (log x; every panel has the same axes, so they compare):
    ``f − f*`` on a log axis where f* is the lowest value in the plot range, else ``f``
    on a symlog axis (as in the loss curves); the target is the dashed line.  Learning
    rates whose run diverged (cross) or left the plot range before arriving (hollow
    circle) sit in a row at the top of the panel instead of as huge numbers.  The
    learning rates that reach the target (:func:`reaching_lrs`) are shaded, and their
    extent in decades is given top right; the sweep's best learning rate is a large dot.

    ``colors`` / ``labels`` override the optimizer colours and names of
    :mod:`build_assets.render.style`.
    """
    if not sweeps:
        raise ValueError("lr_sensitivity_panels: no sweeps to draw")
    gap_axis = uses_gap_scale(surface)
    names = list(sweeps)
    data = [_panel_data(surface, sweeps[name], gap_axis) for name in names]
    all_lrs = np.concatenate([p["lr"] for p in data])
    limits = _y_limits(surface, data, gap_axis)
    figures = {}
    with chart_style():
        for index, (name, panel) in enumerate(zip(names, data)):
            fig = new_figure(*PANEL_SIZE)
            ax = fig.add_subplot()
            color = (colors or {}).get(name) or style_for(name, index=index).color
            label = (labels or {}).get(name) or display_name(name)
            _format_axes(ax, surface, gap_axis, limits, all_lrs)
            _draw_panel(ax, surface, panel, color, label)
            figures[name] = fig
        key = key_figure(_legend_handles(data))
    return Panels(figures, key)


def _format_axes(ax, surface, gap_axis: bool, limits, all_lrs) -> None:
    """The scales, limits and ticks that every panel shares."""
    low, high, data_top = limits
    ax.set_xscale("log")
    if gap_axis:
        ax.set_yscale("log")
    else:
        ax.set_yscale("symlog", linthresh=symlog_threshold(surface), linscale=0.5)
    ax.set_xlim(all_lrs.min() / 1.4, all_lrs.max() * 1.4)
    ax.set_ylim(low, high)
    ax.xaxis.set_major_locator(LogLocator(numticks=12))
    ax.xaxis.set_major_formatter(FuncFormatter(_lr_tick))
    ax.xaxis.set_minor_formatter(NullFormatter())
    if not gap_axis:
        ax.yaxis.set_major_formatter(FuncFormatter(symlog_tick))
    # No y ticks in the row of failed runs at the top: it is not a loss value.
    if gap_axis:
        ticks = ax.yaxis.get_major_locator().tick_values(low, high)
    else:
        ticks = symlog_ticks(low, high, symlog_threshold(surface), per_side=3)
    ax.yaxis.set_major_locator(FixedLocator([t for t in ticks if low <= t <= data_top]))
    ax.set_ylim(low, high)
    ax.set_ylabel(r"final $f - f^{*}$" if gap_axis else r"final $f$")
    ax.set_xlabel("learning rate")


def _panel_data(surface, result, gap_axis: bool) -> dict:
    m = result.metrics
    lr = np.asarray(result.params["lr"], dtype=np.float64)
    final = np.asarray(m.final_loss, dtype=np.float64)
    with np.errstate(all="ignore"):
        if gap_axis:
            y = np.maximum(final - surface.min_value, GAP_FLOOR)
        else:  # runs that escaped far beyond the plot range sit at its lowest value
            y = np.clip(final, *f_range(surface))
    reached = reaching_lrs(result)
    diverged, left = failed_lrs(result)
    order = np.argsort(lr, kind="stable")
    return dict(lr=lr[order], y=y[order], diverged=diverged[order], left=left[order],
                reached=reached[order], best=int(np.flatnonzero(order == result.best_index)[0]),
                best_steps=int(m.steps_to_target[result.best_index]))


def _y_limits(surface, panels, gap_axis: bool) -> tuple[float, float]:
    """Shared y range: every finite final loss and the target, below the failed row."""
    low, high = target_band(surface)
    values = [np.array([high] + ([low] if np.isfinite(low) and not gap_axis else []))]
    values += [p["y"][~(p["diverged"] | p["left"])] for p in panels]
    values = np.concatenate(values)
    values = values[np.isfinite(values)]
    if gap_axis:
        forward, inverse, decade = np.log10, lambda t: 10.0 ** t, 1.0
    else:
        threshold = symlog_threshold(surface)
        transform = SymmetricalLogTransform(10, threshold, 0.5)
        forward, inverse = transform.transform, transform.inverted().transform
        decade = float(np.diff(forward(np.array([threshold, 10 * threshold])))[0])
    lo, hi = forward(np.array([values.min(), values.max()]))
    span = max(hi - lo, decade)
    lo -= 0.04 * span
    top = lo + (hi - lo) / _DATA_TOP
    out = inverse(np.array([lo, top, hi + 0.02 * span]))
    return float(out[0]), float(out[1]), float(out[2])


def _draw_panel(ax, surface, p: dict, color: str, label: str) -> None:
    lr, y = p["lr"], p["y"]
    failed = p["diverged"] | p["left"]
    edges = _log_lr_edges(lr)
    for start, stop in _true_runs(p["reached"]):
        ax.axvspan(10 ** edges[start], 10 ** edges[stop], facecolor=color, alpha=0.14, edgecolor="none", zorder=0.5)
    decades = reaching_decades(lr, p["reached"])
    draw_target(ax, surface, label=None)
    ax.add_patch(Rectangle((0, _DATA_TOP + 0.025), 1, 1 - _DATA_TOP - 0.025, transform=ax.transAxes,
                           facecolor="#F3F3F3", edgecolor="none", zorder=0.3))
    ax.plot(lr, np.where(failed, np.nan, y), color=color, linewidth=1.8, marker="o", markersize=2.6, zorder=3)
    row = ax.get_xaxis_transform()  # x in data, y in axes fraction
    if p["diverged"].any():
        ax.plot(lr[p["diverged"]], np.full(p["diverged"].sum(), FAILED_ROW), transform=row, color=color,
                linestyle="none", clip_on=False, zorder=4, gid="diverged", **_DIVERGED)
    if p["left"].any():
        ax.plot(lr[p["left"]], np.full(p["left"].sum(), FAILED_ROW), transform=row, color=color,
                markeredgecolor=color, linestyle="none", clip_on=False, zorder=4, gid="left_plot", **_LEFT)
    best = p["best"]
    if p["reached"][best]:
        ax.plot([lr[best]], [y[best]], marker="o", markersize=8.5, color=color, markeredgecolor=INK,
                markeredgewidth=1.0, linestyle="none", zorder=5, gid="best")
    panel_title(ax.figure, label, f"{decades:.1f} decades" if decades > 0 else "none", muted=decades == 0)


def _true_runs(mask: np.ndarray):
    """(start, stop) index pairs of the runs of True in ``mask``, stop exclusive."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    changes = np.flatnonzero(np.diff(padded))
    return list(zip(changes[::2], changes[1::2]))


def _legend_handles(panels) -> list:
    handles = [
        Line2D([], [], color=INK, linewidth=1.8, marker="o", markersize=2.6, label="final loss at each lr"),
        Line2D([], [], color=TARGET_COLOR, linewidth=1.0, linestyle=(0, (5, 3)), label="target"),
        Patch(facecolor=INK, alpha=0.14, label="lrs that reach the target\n(their span: top right)"),
        Line2D([], [], color=INK, marker="o", markersize=8.5, markeredgecolor=INK, linestyle="none",
               label="best lr of the sweep"),
    ]
    if any(p["diverged"].any() for p in panels):
        handles.append(Line2D([], [], color=INK, linestyle="none", label="diverged", **_DIVERGED))
    if any(p["left"].any() for p in panels):
        handles.append(Line2D([], [], color=INK, markeredgecolor=INK, linestyle="none",
                              label="left the plot range", **_LEFT))
    return handles


def _lr_tick(value: float, _pos=None) -> str:
    exponent = int(np.round(np.log10(value)))
    if not np.isclose(value, 10.0**exponent) or exponent % 2:
        return ""  # every other decade: the panels are narrow
    return f"{10.0 ** exponent:g}" if -2 <= exponent <= 1 else f"$10^{{{exponent}}}$"
