"""Per-optimizer chart: how long its steps are and its effective learning rate, on every surface."""
from __future__ import annotations

import os
from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from build_assets.render.chart_common import chart_style, new_figure, save_png
from optimizers.metrics import ROUND_OFF

__all__ = ["step_sizes_figure", "save_step_sizes"]

# One colour and dash per surface (Paul Tol's bright scheme plus black).
_SURFACE_STYLES = (
    ("#4477AA", "solid"), ("#EE6677", (0, (6, 2))), ("#228833", (0, (1.5, 1.5))),
    ("#CCBB44", (0, (6, 2, 1.5, 2))), ("#66CCEE", "solid"), ("#AA3377", (0, (3, 2))), ("#000000", (0, (9, 3))),
)


def save_step_sizes(path: str | os.PathLike[str], title: str, series: Mapping) -> None:
    """Save :func:`step_sizes_figure` as a PNG (atomically, deterministic bytes)."""
    save_png(step_sizes_figure(title, series), path)


def step_sizes_figure(title: str, series: Mapping) -> Figure:
    """Two panels against the step: the step length ‖x_{t+1} − x_t‖ and the effective
    learning rate ‖x_{t+1} − x_t‖ / ‖∇f(x_t)‖ (what plain SGD's lr would have had to be).

    ``series`` maps a surface title to ``(points, grads)``: the run's iterates (T+1, 2)
    and the gradients at them (T+1, 2). Steps shorter than ROUND_OFF (numerical noise, or
    frozen after a divergence) are not drawn.
    """
    with chart_style():
        fig = new_figure(8.0, 3.8)
        length_ax, rate_ax = fig.subplots(1, 2, sharex=False)
        for (label, (points, grads)), (color, dash) in zip(series.items(), _SURFACE_STYLES):
            step = np.linalg.norm(np.diff(points, axis=0), axis=-1)
            grad = np.linalg.norm(grads[:-1], axis=-1)
            moving = step > ROUND_OFF  # shorter steps are numerical noise, not moves
            t = np.arange(1, len(step) + 1)
            with np.errstate(all="ignore"):
                rate = np.where(moving & (grad > 0), step / grad, np.nan)
            style = dict(color=color, linestyle=dash, linewidth=1.6)
            # A run of a step or two (Newton on a quadratic) needs markers to be seen at all.
            marker = {"marker": "o", "markersize": 4} if moving.sum() <= 2 else {}
            length_ax.plot(t[moving], step[moving], label=label, **style, **marker)
            rate_ax.plot(t, rate, **style, **marker)
        for ax, ylabel in ((length_ax, r"step length $\|x_{t+1} - x_t\|$"),
                           (rate_ax, r"effective lr $\|x_{t+1} - x_t\| \,/\, \|\nabla f(x_t)\|$")):
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel("step")
            ax.set_ylabel(ylabel)
        fig.legend(loc="outside lower center", ncols=4, handlelength=2.5)
        fig.suptitle(title, x=0.01, ha="left")
    return fig
