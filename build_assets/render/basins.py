"""Basin maps: where each start point of a grid over the plot range ends up, per optimizer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import LogNorm, to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from build_assets.render.chart_common import INK, chart_style, new_figure
from build_assets.render.panels import PANEL_SIZE, Panels, key_figure, panel_title
from build_assets.render.style import display_name
from optimizers import make, run_verified

__all__ = ["BasinMap", "DEFAULT_N", "basin_metrics", "basin_categories", "basin_map_panels"]

#: Grid size of :func:`basin_metrics` (DEFAULT_N × DEFAULT_N start points).
DEFAULT_N = 48

#: A run still moving within this fraction of the plot width of a minimum is "near" it.
NEAR_FRACTION = 0.01

#: Above this many minima, starts are coloured "global" vs "another local minimum".
MAX_NAMED_MINIMA = 8

# Tol's "light" scheme for the basins of the minima, greys for the other outcomes.
MINIMUM_COLORS = ("#77AADD", "#EE8866", "#BBCC33", "#FFAABB", "#EEDD88", "#44BB99", "#99DDFF", "#AAAA00")
GLOBAL_COLOR, LOCAL_COLOR = "#EE8866", "#77AADD"
# Every outcome but arriving at the target (optimizers.outcomes.KINDS), in legend order.
OUTCOME_COLORS = {
    "late": "#B7D7B0",
    "left": "#CC6677",
    "minimum": "#88CCEE",
    "saddle": "#A8A8A8",
    "maximum": "#686868",
    "cycling": "#DDCC77",
    "moving": "#E2E2E2",
    "left_plot": "#AA4499",
    "escaping": "#882255",
    "diverged": "#2B2B2B",
}
OUTCOME_LABELS = {
    "late": "holds the target only after the budget",
    "left": "reached, then left",
    "minimum": "at a local minimum",
    "saddle": "stuck at a saddle",
    "maximum": "stuck at a maximum",
    "cycling": "cycling",
    "moving": "still moving",
    "left_plot": "left the plot",
    "escaping": "escaping (f → −∞)",
    "diverged": "diverged",
}
STEPS_CMAP = "viridis_r"


class BasinMap(NamedTuple):
    """What a basin map needs of a batched run over ``surface.grid(n)``; every array
    is (n, n) with x1 along axis 1, as in ``Surface.grid``.  The same fields as
    :class:`optimizers.Metrics`, which is accepted in its place."""

    steps_to_target: np.ndarray
    kind: np.ndarray  # one of optimizers.outcomes.KINDS
    nearest_minimum: np.ndarray  # index into surface.minima, -1 if none is listed
    final_distance: np.ndarray  # from the final point to that minimum (NaN if none is listed)
    diverged_at: np.ndarray
    steps: int


def basin_metrics(surface, name: str, hparams: Mapping | None = None, *, n: int = DEFAULT_N,
                  steps: int | None = None, max_bytes: float = 64e6) -> BasinMap:
    """Run optimizer ``name`` (with ``hparams``) from every point of ``surface.grid(n)``
    for ``steps`` steps (default ``surface.steps``), in row chunks so that the stored
    trajectory stays under ``max_bytes``, and classify where each run ended: runs that
    hold the target to the end of the budget are checked to the horizon
    (``optimizers.run_verified``), the others are judged at the end of the budget.
    """
    steps = surface.steps if steps is None else int(steps)
    grid = surface.grid(n)
    rows = max(1, min(n, int(max_bytes // ((steps + 1) * n * 2 * 8))))
    opt = make(name, **dict(hparams or {}))
    parts = []
    for start in range(0, n, rows):
        starts = grid[start:start + rows].reshape(-1, 2)
        _, m = run_verified(lambda index: opt, surface, starts, steps)
        shape = grid[start:start + rows].shape[:-1]
        parts.append(tuple(np.reshape(v, shape) for v in (
            m.steps_to_target, m.outcome.kind, m.nearest_minimum, m.final_distance, m.diverged_at)))
    return BasinMap(*(np.concatenate(column, axis=0) for column in zip(*parts)), steps=steps)


def _kinds(result) -> np.ndarray:
    """The outcome kinds of a BasinMap or of ``optimizers.Metrics``."""
    return np.asarray(result.kind if isinstance(result, BasinMap) else result.outcome.kind)


def _tint(color: str, amount: float = 0.55) -> str:
    """``color`` mixed with ``amount`` of white."""
    r, g, b = (1 - amount) * np.array(to_rgb(color)) + amount
    return f"#{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"


class _Categories(NamedTuple):
    index: np.ndarray  # (n, n) category of each start
    labels: list[str]
    colors: list[str]


def basin_categories(surface, result) -> _Categories:
    """Which outcome each start had, for a surface with several minima.

    ``index`` refers to ``labels``/``colors``: first one category per minimum (or, on
    a surface with more than MAX_NAMED_MINIMA, "global minimum" and "another local
    minimum"), then the same minima again, in a lighter tint, for runs still moving
    but within NEAR_FRACTION of the plot width of that minimum (Lion or RMSprop at a
    fixed lr hover around a minimum without ever settling), then "stuck at a
    saddle", "stuck at a maximum", "still moving", "diverged".  A start is in a
    minimum's category only if its run ended there (small gradient,
    positive-definite Hessian).
    """
    minima = surface.minima
    values = surface.value(minima)
    if len(minima) > MAX_NAMED_MINIMA:
        is_global = values <= surface.min_value + surface.loss_tol
        minimum_category = np.where(is_global, 0, 1)
        labels = ["global minimum", "another local minimum"]
        colors = [GLOBAL_COLOR, LOCAL_COLOR]
    else:
        minimum_category = np.arange(len(minima))
        labels = [f"minimum ({x:.2f}, {y:.2f})" for x, y in minima]
        colors = [MINIMUM_COLORS[i % len(MINIMUM_COLORS)] for i in range(len(minima))]
    named = len(labels)
    labels += [f"near {label}, still moving" for label in labels]
    colors += [_tint(c) for c in colors]
    kind = _kinds(result)
    nearest = np.asarray(result.nearest_minimum)
    index = np.full(kind.shape, -1)
    at_minimum = np.isin(kind, ("held", "late", "minimum")) & (nearest >= 0)
    index[at_minimum] = minimum_category[nearest[at_minimum]]
    width = surface.bounds[0][1] - surface.bounds[0][0]
    hovering = (np.isin(kind, ("moving", "cycling")) & (nearest >= 0)
                & (np.asarray(result.final_distance) <= NEAR_FRACTION * width))
    index[hovering] = named + minimum_category[nearest[hovering]]
    outcomes = [k for k in OUTCOME_COLORS if k not in ("late", "minimum")]  # those are minima above
    for k, outcome in enumerate(outcomes):
        index[(index < 0) & (kind == outcome)] = len(labels) + k
    index[index < 0] = len(labels) + outcomes.index("moving")
    labels += [OUTCOME_LABELS[o] for o in outcomes]
    colors += [OUTCOME_COLORS[o] for o in outcomes]
    return _Categories(index, labels, colors)


def basin_map_panels(surface, maps: Mapping, *, steps: int | None = None,
                     labels: Mapping[str, str] | None = None) -> Panels:
    """Small multiples over the plot range, one panel per optimizer, colouring every
    start point by the outcome of the run from it; and a key.

    ``maps`` maps optimizer names (panel order) to a :class:`BasinMap` from
    :func:`basin_metrics`, or to the :class:`optimizers.Metrics` of a batched run over
    ``surface.grid(n)`` (shape (n, n)); then pass ``steps`` (the run's length; else
    the longest arrival seen is used for the colour scale).

    Surfaces with several minima (Himmelblau, Rastrigin) get a categorical map, see
    :func:`basin_categories`.  Surfaces with at most one (and the saddle, with none)
    are coloured by the steps to the target on a log colour scale, with the other
    outcomes in their own colours.  The minima (Rastrigin: the global one as a star,
    the rest as dots) and the default start ``surface.start`` are marked; the key holds
    the legend (and the colour bar of the steps).
    """
    if not maps:
        raise ValueError("basin_map_panels: no maps to draw")
    categorical = len(surface.minima) > 1
    if steps is None:
        steps = max(int(getattr(m, "steps", 0) or np.max(m.steps_to_target)) for m in maps.values())
    steps = max(int(steps), 2)
    (lo1, hi1), (lo2, hi2) = surface.bounds
    figures, present, cats = {}, set(), None
    with chart_style():
        for name, m in maps.items():
            fig = new_figure(*PANEL_SIZE)
            ax = fig.add_subplot()
            if categorical:
                cats = basin_categories(surface, m)
                image = np.array([to_rgb(c) for c in cats.colors])[cats.index]
                present.update(np.unique(cats.index).tolist())
                summary = f"{panel_share(surface, m, cats):.0%}"
            else:
                image, kinds = _steps_image(m, steps)
                present.update(kinds)
                summary = f"{panel_share(surface, m):.0%}"
            n1, n2 = image.shape[1], image.shape[0]
            d1, d2 = (hi1 - lo1) / max(n1 - 1, 1), (hi2 - lo2) / max(n2 - 1, 1)
            ax.imshow(image, origin="lower", interpolation="nearest", aspect="equal",
                      extent=(lo1 - d1 / 2, hi1 + d1 / 2, lo2 - d2 / 2, hi2 + d2 / 2), zorder=0)
            _mark_points(ax, surface)
            ax.grid(False)
            panel_title(fig, (labels or {}).get(name) or display_name(name), summary)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 5, 10]))
            ax.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 5, 10]))
            ax.set_xlim(lo1, hi1)
            ax.set_ylim(lo2, hi2)
            ax.set_xlabel(r"$x_1$")
            ax.set_ylabel(r"$x_2$")
            figures[name] = fig
        handles = _legend_handles(surface, cats if categorical else None, present)
        key = key_figure(handles, title=_summary_note(surface, categorical), below_px=0 if categorical else 105)
        if not categorical:
            _colorbar(key, steps)
    return Panels(figures, key)


def _steps_image(m, steps: int) -> tuple[np.ndarray, set]:
    """Arrivals coloured by their step; every other start by its outcome. Also returns the
    outcomes that occur, for the legend."""
    arrival = np.asarray(m.steps_to_target)
    reached = arrival >= 0
    norm = LogNorm(1, steps)
    cmap = ScalarMappable(norm, STEPS_CMAP).get_cmap()
    image = cmap(norm(np.clip(arrival, 1, steps)))[..., :3]
    kind = _kinds(m)
    present = set()
    for outcome, color in OUTCOME_COLORS.items():
        mask = ~reached & (kind == outcome)
        if mask.any():
            image[mask] = to_rgb(color)
            present.add(outcome)
    return image, present


def panel_share(surface, metrics, cats: _Categories | None = None) -> float:
    """The share printed at the top right of a panel: of the starts, those that end at a
    minimum (at the global one where the minima are too many to name) on surfaces with
    several minima, else those that arrive at the target."""
    if len(surface.minima) <= 1:
        return float(np.mean(np.asarray(metrics.steps_to_target) >= 0))
    index = (cats or basin_categories(surface, metrics)).index
    if len(surface.minima) > MAX_NAMED_MINIMA:
        return float(np.mean(index == 0))
    return float(np.mean(index < len(surface.minima)))


def _summary_note(surface, categorical: bool) -> str:
    """What the percentage at the top right of each panel counts."""
    if not categorical:
        return "top right: the share of starts that arrive and hold the target"
    if len(surface.minima) > MAX_NAMED_MINIMA:
        return "top right: the share of starts that end at the global minimum"
    return "top right: the share of starts that end at a minimum"


def _colorbar(fig, steps: int) -> None:
    """A horizontal log colour bar of the steps to the target, at the bottom of the key."""
    mappable = ScalarMappable(LogNorm(1, steps), STEPS_CMAP)
    height = fig.bbox.height
    bar = fig.colorbar(mappable, cax=fig.add_axes((0.08, 62 / height, 0.84, 18 / height)), orientation="horizontal")
    bar.set_label("steps to the target", fontsize=9.5)
    bar.outline.set_visible(False)
    bar.ax.tick_params(labelsize=9.5)


def _mark_points(ax, surface) -> None:
    minima = surface.minima
    if len(minima) > MAX_NAMED_MINIMA:
        values = surface.value(minima)
        best = values <= surface.min_value + surface.loss_tol
        ax.plot(minima[~best, 0], minima[~best, 1], linestyle="none", marker="o", markersize=1.6,
                color=INK, zorder=3)
        minima = minima[best]
    if len(minima):  # an empty unclipped line has no extent and collapses the layout
        ax.plot(minima[:, 0], minima[:, 1], linestyle="none", marker="*", markersize=9, color="black",
                markeredgecolor="white", markeredgewidth=0.7, zorder=4, gid="minima", clip_on=False)
    ax.plot([surface.start[0]], [surface.start[1]], linestyle="none", marker="o", markersize=6.5,
            color="white", markeredgecolor="black", markeredgewidth=1.4, zorder=5, gid="start", clip_on=False)


def _legend_handles(surface, cats: _Categories | None, present: set) -> list:
    """The minima's colours always; the tint and the other outcomes where they occur."""
    handles = []
    if cats is not None:
        named = 2 if len(surface.minima) > MAX_NAMED_MINIMA else len(surface.minima)
        for k in range(named):
            handles.append(Patch(facecolor=cats.colors[k], edgecolor="none", label=cats.labels[k]))
        if present & set(range(named, 2 * named)):
            handles.append(Patch(facecolor=cats.colors[named], edgecolor="none",
                                 label="lighter: still moving,\nhovering near that minimum"))
        for k in range(2 * named, len(cats.labels)):
            if k in present:
                handles.append(Patch(facecolor=cats.colors[k], edgecolor="none", label=cats.labels[k]))
    else:
        handles += [Patch(facecolor=color, edgecolor="none", label=OUTCOME_LABELS[kind])
                    for kind, color in OUTCOME_COLORS.items() if kind in present]
    star = "global minimum" if len(surface.minima) > MAX_NAMED_MINIMA else "minimum"
    if len(surface.minima):
        handles.append(Line2D([], [], linestyle="none", marker="*", markersize=9, color="black",
                              markeredgecolor="white", label=star))
    handles.append(Line2D([], [], linestyle="none", marker="o", markersize=6.5, color="white",
                          markeredgecolor="black", markeredgewidth=1.4, label="default start"))
    return handles
