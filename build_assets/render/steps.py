"""Per-optimizer chart: how long its steps are and its effective learning rate, on every surface."""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
from matplotlib.figure import Figure

from build_assets.render.chart_common import chart_style, new_figure, save_png
from optimizers.metrics import ROUND_OFF

__all__ = ["SURFACE_STYLES", "SurfaceStyle", "step_sizes_figure", "save_step_sizes"]


class SurfaceStyle(NamedTuple):
    """How one surface's line is drawn: a shade of grey and a marker shape."""

    color: str
    marker: str


#: Surfaces are told apart by grey and marker, never by hue or dashes: colours and
#: dashes are the optimizers' (one style per optimizer across the site), so every
#: surface line is solid, achromatic (never black, RMSprop's colour) and marked.
SURFACE_STYLES = tuple(SurfaceStyle(c, m) for c, m in zip(
    ("#262626", "#6E6E6E", "#A3A3A3", "#3D3D3D", "#878787", "#525252", "#B5B5B5", "#1A1A1A"),
    ("o", "s", "^", "D", "v", "P", "X", "h")))
#: Markers every this many decades of steps, each surface's shifted by a share of it,
#: so that surfaces whose lines coincide (same lr on two quadratics) still show both.
_MARK_DECADES = 0.3


def _marks(steps: np.ndarray, i: int, n: int) -> list[int]:
    """Indices into ``steps`` (increasing) where surface ``i`` of ``n`` puts its markers:
    one at step ``i + 2``, then at log-spaced steps from step 12 on (where the shifts of
    the ``n`` surfaces are whole steps apart), shifted by ``i / n`` of the spacing; a
    short run (Newton's few steps) at every point."""
    if len(steps) <= 16:
        return list(range(len(steps)))
    first = np.log10(12.0) + (i + 0.5) / n * _MARK_DECADES
    at = np.rint(10.0 ** np.arange(first, np.log10(steps[-1]) + 1e-9, _MARK_DECADES))
    at = np.concatenate([[i + 2] if i + 2 < 12 else [], at])
    idx = np.searchsorted(steps, at)
    return sorted({int(k) for k in idx if k < len(steps)})


def save_step_sizes(path: str | os.PathLike[str], title: str, series: Mapping) -> None:
    """Save :func:`step_sizes_figure` as a PNG (atomically, deterministic bytes)."""
    save_png(step_sizes_figure(title, series), path)


def step_sizes_figure(title: str, series: Mapping) -> Figure:
    """Two panels against the step: the step length ‖x_{t+1} − x_t‖ and the effective
    learning rate ‖x_{t+1} − x_t‖ / ‖∇f(x_t)‖ (what plain SGD's lr would have had to be).

    ``series`` maps a surface title to ``(points, grads)``: the run's iterates (T+1, 2)
    and the gradients at them (T+1, 2); each surface drawn in its :data:`SURFACE_STYLES`
    (in order). Steps shorter than ROUND_OFF (numerical noise, or
    frozen after a divergence) are not drawn.
    """
    with chart_style():
        fig = new_figure(8.0, 3.8)
        length_ax, rate_ax = fig.subplots(1, 2, sharex=False)
        n = len(series)
        for i, ((label, (points, grads)), (color, mark)) in enumerate(zip(series.items(), SURFACE_STYLES)):
            step = np.linalg.norm(np.diff(points, axis=0), axis=-1)
            grad = np.linalg.norm(grads[:-1], axis=-1)
            moving = step > ROUND_OFF  # shorter steps are numerical noise, not moves
            t = np.arange(1, len(step) + 1)
            with np.errstate(all="ignore"):
                rate = np.where(moving & (grad > 0), step / grad, np.nan)
            style = dict(color=color, linestyle="solid", linewidth=1.4, marker=mark, markersize=5.5,
                         markerfacecolor=color, markeredgecolor="white", markeredgewidth=0.7)
            length_ax.plot(t[moving], step[moving], label=label, markevery=_marks(t[moving], i, n), **style)
            shown = np.flatnonzero(np.isfinite(rate))
            rate_ax.plot(t, rate, markevery=[int(shown[k]) for k in _marks(t[shown], i, n)], **style)
        for ax, ylabel in ((length_ax, r"step length $\|x_{t+1} - x_t\|$"),
                           (rate_ax, r"effective lr $\|x_{t+1} - x_t\| \,/\, \|\nabla f(x_t)\|$")):
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel("step")
            ax.set_ylabel(ylabel)
        fig.legend(loc="outside lower center", ncols=4, handlelength=2.5)
        fig.suptitle(title, x=0.01, ha="left")
    return fig
