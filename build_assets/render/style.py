"""Run records and the visual style of optimizers (colours, line styles, markers).

Colours are from Paul Tol's colour-blind-safe schemes (``bright`` and
``muted``) plus black.  Eleven optimizers need more hues than any safe
qualitative scheme offers, so every optimizer also gets its own line style:
two runs that coincide exactly (Nesterov on top of SGD on the saddle) remain
distinguishable because the dashes of the upper one let the lower one show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import to_hex

from optimizers import OPTIMIZERS

__all__ = [
    "OptimizerStyle",
    "Event",
    "Run",
    "DEFAULT_STYLES",
    "FALLBACK_STYLES",
    "display_name",
    "style_for",
    "make_run",
]


@dataclass(frozen=True)
class OptimizerStyle:
    """How one optimizer is drawn.  ``linestyle`` is any matplotlib line style
    (a name or an ``(offset, (on, off, ...))`` dash tuple); ``marker`` is the
    head marker that moves along the path."""

    color: str
    linestyle: str | tuple = "solid"
    marker: str = "o"


# Line styles, in points of dash/gap; the lines are ~2.2 pt wide.
_SOLID = "solid"
_DASHED = (0, (6.0, 2.5))
_LONG_DASH = (0, (10.0, 3.0))
_DOTTED = (0, (1.2, 2.0))
_DASHDOT = (0, (6.0, 2.0, 1.5, 2.0))
_DASHDOTDOT = (0, (6.0, 2.0, 1.5, 2.0, 1.5, 2.0))
_SHORT_DASH = (0, (3.0, 2.0))
_LONG_SHORT = (0, (10.0, 2.5, 3.0, 2.5))

DEFAULT_STYLES: dict[str, OptimizerStyle] = {
    # Plain methods: solid, the "reference" look.
    "sgd": OptimizerStyle("#CC3311", _SOLID, "o"),  # Tol vibrant red
    "momentum": OptimizerStyle("#228833", _DASHED, "s"),  # Tol bright green
    "nesterov": OptimizerStyle("#AA3377", _DOTTED, "D"),  # Tol bright purple
    "adagrad": OptimizerStyle("#4477AA", _DASHDOT, "^"),  # Tol bright blue
    "rmsprop": OptimizerStyle("#000000", _LONG_DASH, "v"),  # black
    "adam": OptimizerStyle("#EE7733", _SOLID, "o"),  # Tol vibrant orange
    "amsgrad": OptimizerStyle("#332288", _SHORT_DASH, "p"),  # Tol muted indigo
    "nadam": OptimizerStyle("#009988", _DASHDOTDOT, "h"),  # Tol vibrant teal
    "adadelta": OptimizerStyle("#997700", _LONG_SHORT, "<"),  # Tol high-contrast dark yellow
    "lion": OptimizerStyle("#999933", _DASHED, ">"),  # Tol muted olive
    "newton": OptimizerStyle("#33BBEE", _SOLID, "d"),  # Tol vibrant cyan
}

#: Styles handed out, in order, to runs whose name is not in DEFAULT_STYLES.
FALLBACK_STYLES: tuple[OptimizerStyle, ...] = (
    OptimizerStyle("#0077BB", _SOLID, "o"),
    OptimizerStyle("#EE3377", _DASHED, "s"),
    OptimizerStyle("#117733", _DOTTED, "D"),
    OptimizerStyle("#DDAA33", _DASHDOT, "^"),
    OptimizerStyle("#555555", _LONG_DASH, "v"),
)

def _key(name: str) -> str:
    return name.strip().lower().replace("-", "").replace("_", "").replace(" ", "")


def display_name(name: str) -> str:
    """The registry's title (``"rmsprop"`` -> ``"RMSprop"``); unknown names are returned unchanged."""
    spec = OPTIMIZERS.get(_key(name))
    return spec.title if spec else name


def style_for(
    name: str,
    overrides: Mapping[str, str] | None = None,
    *,
    index: int = 0,
) -> OptimizerStyle:
    """Style of optimizer ``name`` (case/underscore-insensitive).

    ``overrides`` maps optimizer names to colours (e.g. the cs231n set of experiments.yml).
    Unknown names get ``FALLBACK_STYLES[index % len(FALLBACK_STYLES)]``.
    """
    k = _key(name)
    base = DEFAULT_STYLES.get(k) or FALLBACK_STYLES[index % len(FALLBACK_STYLES)]
    if overrides:
        norm = {_key(n): c for n, c in overrides.items()}
        if k in norm:
            return OptimizerStyle(to_hex(norm[k]).upper(), base.linestyle, base.marker)
    return base


#: A timed status of a run, ``(step, text)``: from ``step`` on, its legend label in
#: the animations reads "<name> — <text>" (until a later event).
Event = tuple[int, str]


@dataclass(frozen=True, eq=False)
class Run:
    """One optimizer trajectory, ready to draw.

    ``points``: (T+1, 2) float64, ``points[k]`` is the iterate after ``k``
    steps (frozen at the last good value after a divergence).
    ``diverged_at``: the step at which the optimizer produced a non-finite
    value, or -1.  The array is copied and made read-only.
    ``events``: timed statuses ``(step, text)`` for the legend, kept sorted by
    step; None (the default) lets the animation derive them as the metrics
    tables word them (first exit from the plot, divergence; see
    :mod:`.timeline`).
    """

    label: str
    points: np.ndarray
    diverged_at: int
    color: str
    linestyle: str | tuple = "solid"
    marker: str = "o"
    events: tuple[Event, ...] | None = None

    def __post_init__(self) -> None:
        pts = np.array(self.points, dtype=np.float64, copy=True)
        if pts.ndim != 2 or pts.shape[1] != 2 or pts.shape[0] < 1:
            raise ValueError(f"points must have shape (T+1, 2), got {pts.shape}")
        pts.setflags(write=False)
        object.__setattr__(self, "points", pts)
        object.__setattr__(self, "diverged_at", int(self.diverged_at))
        object.__setattr__(self, "color", to_hex(self.color).upper())
        if self.events is not None:
            events = tuple((int(step), str(text)) for step, text in self.events)
            object.__setattr__(self, "events", tuple(sorted(events, key=lambda e: e[0])))

    @property
    def n_steps(self) -> int:
        """T, the number of steps (``len(points) - 1``)."""
        return self.points.shape[0] - 1


def make_run(
    name: str,
    points: np.ndarray,
    diverged_at: int = -1,
    *,
    label: str | None = None,
    color: str | None = None,
    linestyle: str | tuple | None = None,
    overrides: Mapping[str, str] | None = None,
    index: int = 0,
    events: Sequence[Event] | None = None,
) -> Run:
    """Build a :class:`Run` with the default style of optimizer ``name``;
    ``label`` defaults to its display name, ``color``/``linestyle`` override.
    ``events``: the run's timed statuses ``(step, text)`` for the legend (e.g.
    ``[(16, "reached the target at step 16"), (361, "left it at step 361")]``);
    by default they are derived from ``diverged_at`` and the plot exits."""
    st = style_for(name, overrides, index=index)
    return Run(
        label=label if label is not None else display_name(name),
        points=points,
        diverged_at=diverged_at,
        color=color if color is not None else st.color,
        linestyle=linestyle if linestyle is not None else st.linestyle,
        marker=st.marker,
        events=None if events is None else tuple(events),
    )
