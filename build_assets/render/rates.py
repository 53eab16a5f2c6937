"""The rates figure: measured f − f* per step against the slopes theory predicts.

Drawn from the results of :func:`build_assets.rates.measure`: each run's ``gaps``
(f(x_t) − f*, t = 0 … T), its ``predicted`` and ``measured`` rate per step, its
``optimizer``, ``hparams`` and ``key`` ("gd", "heavy_ball", "seed.sgd", "seed.momentum").
"""
from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, LogFormatterMathtext, NullLocator

from build_assets.render.chart_common import INK, chart_style, new_figure, save_png
from build_assets.render.style import display_name, style_for

__all__ = ["rates_figure", "save_rates_figure"]

PREDICTED_STYLE = dict(color=INK, linewidth=1.1, linestyle=(0, (1.5, 2.0)), zorder=4)
WINDOW_COLOUR = "#EDEDED"


def save_rates_figure(path: str | os.PathLike[str], surface, results: Sequence[dict],
                      window: tuple[int, int]) -> None:
    save_png(rates_figure(surface, results, window), path)


def _label(row: dict) -> str:
    hp = ", ".join(f"{k} {v:.3g}" for k, v in row["hparams"].items())
    kind = "hand-picked" if row["key"].startswith("seed.") else "optimal"
    return (f"{display_name(row['optimizer'])}, {kind} ({hp}): "
            f"measured {row['measured']:.4f}, predicted {row['predicted']:.4f} per step")


def _decade_ticks(low: float, high: float, most: int = 8) -> list[float]:
    """Powers of ten from ``high`` down to ``low``, every k-th decade with k a multiple of 5."""
    top, bottom = int(np.floor(np.log10(high))), int(np.ceil(np.log10(low)))
    step = max(1, int(np.ceil((top - bottom) / (most - 1) / 5)) * 5) if top - bottom > most else 1
    return [10.0**k for k in range(top - top % step, bottom - 1, -step)]


def local_rate(gaps: np.ndarray, span: int) -> np.ndarray:
    """(f_t / f_{t−span})^(1/span) for t ≥ span: the mean factor per step over the last span steps."""
    gaps = np.asarray(gaps, dtype=np.float64)
    return np.exp((np.log(gaps[span:]) - np.log(gaps[:-span])) / span)


def rates_figure(surface, results: Sequence[dict], window: tuple[int, int], span: int = 20):
    """Top: f − f* on a log axis for every run, the fit window shaded, and through each
    run's fitted line at the window's middle a dotted line of the predicted slope. The
    lines are anchored in the window, not at the start: heavy ball's t² prefactor (a
    defective iteration matrix) shifts its curve but not its late slope. Bottom: the
    mean factor per step over the last ``span`` steps against the predicted rate, where
    the prefactor shows as a factor ((t/(t − span))^(2/span)) that tends to 1."""
    first, last = window
    with chart_style():
        fig = new_figure(8.0, 8.0)
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
        for ax in (top, bottom):
            ax.axvspan(first, last, color=WINDOW_COLOUR, zorder=0.5, linewidth=0)
        for row in results:
            style = style_for(row["optimizer"])
            gaps = np.asarray(row["gaps"])
            steps = np.arange(len(gaps))
            optimal = not row["key"].startswith("seed.")
            line = dict(color=style.color, linestyle=style.linestyle, linewidth=2.2 if optimal else 1.3,
                        alpha=1.0 if optimal else 0.6, zorder=3 if optimal else 3.5)  # thin over thick
            top.plot(steps, gaps, label=_label(row), **line)
            # The least-squares line passes through the window's mean point.
            t = np.arange(first, last + 1)
            middle, level = t.mean(), np.log(gaps[first:last + 1]).mean()
            top.plot(steps, np.exp(level + np.log(row["predicted"]) * (steps - middle)), **PREDICTED_STYLE)
            bottom.plot(steps[span:], local_rate(gaps, span), **line)
            bottom.axhline(row["predicted"], **PREDICTED_STYLE)
        top.set_yscale("log")
        everything = np.concatenate([np.asarray(r["gaps"]) for r in results])
        low, high = everything.min() / 10, everything.max() * 10
        top.set_ylim(low, high)
        top.yaxis.set_major_locator(FixedLocator(_decade_ticks(low, high)))
        top.yaxis.set_major_formatter(LogFormatterMathtext())
        top.yaxis.set_minor_locator(NullLocator())
        top.set_ylabel(r"$f(x_t) - f^{*}$")
        top.set_title(f"{surface.title}: measured f − f* against the predicted rate per step", loc="left")
        bottom.set_ylim(0, 1.2)  # an oscillating run's f can grow for a few steps: rate > 1
        bottom.set_ylabel(rf"$(f_t / f_{{t-{span}}})^{{1/{span}}}$")
        bottom.set_xlabel("step t")
        bottom.set_xlim(0, max(len(r["gaps"]) - 1 for r in results))
        bottom.set_title(f"rate per step, averaged over the last {span} steps; dotted: predicted", loc="left",
                         fontsize=10, fontweight="normal")
        handles, labels = top.get_legend_handles_labels()
        handles += [Line2D([], [], **PREDICTED_STYLE), Patch(color=WINDOW_COLOUR)]
        labels += ["predicted slope, through the fitted line in the window",
                   f"fit window: steps {first}–{last}"]
        fig.legend(handles, labels, loc="outside lower center", ncols=1, fontsize=8.5)
    return fig
