"""What the legend says about a run, step by step.

A run's status is a list of timed events ``(step, text)``, sorted by step; at the
frame showing step ``t`` its legend label is its name plus the text of the latest
event with ``step <= t`` (the plain name before the first one).  So a run that
diverges at step 142 is labelled "Momentum" until the animation reaches step 142 and
"Momentum — diverged at step 142" from then on.

A run either carries its own events (``Run.events``, e.g. from an outcome
classification) or gets the default ones, as the metrics tables word them: where it
left the plot box (the first exit, and ", came back" once it is back for good) and
where it diverged.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .clip import ClippedPath
from .style import Event, Run

__all__ = ["default_events", "run_events", "label_at", "label_steps", "status_label"]

SEPARATOR = " — "


def default_events(diverged_at: int, path: ClippedPath | None = None) -> tuple[Event, ...]:
    """The events of a run without its own: "left the plot at step N" at its first exit
    from the box of ``path`` (", came back" added from the step it re-enters for good,
    if it ends inside) and "diverged at step N" at ``diverged_at`` (if >= 0)."""
    events: list[Event] = []
    if path is not None and path.left_plot:
        first = int(path.exit_steps[0])
        text = f"left the plot at step {first}"
        events.append((first, text))
        if path.inside[-1]:
            last = int(path.exit_steps[-1])
            back = last + int(np.argmax(path.inside[last:]))
            events.append((back, f"{text}, came back"))
    if diverged_at >= 0:
        events.append((int(diverged_at), f"diverged at step {int(diverged_at)}"))
    return tuple(sorted(events, key=lambda e: e[0]))  # stable: ties keep this order


def run_events(run: Run, path: ClippedPath | None = None) -> tuple[Event, ...]:
    """The events of ``run``: its own if it has them, else :func:`default_events`."""
    if run.events is not None:
        return run.events
    return default_events(run.diverged_at, path)


def label_at(label: str, events: Sequence[Event], step: int) -> str:
    """``label`` plus the text of the latest event at or before ``step``."""
    text = None
    for at, what in events:
        if at > step:
            break
        text = what
    return f"{label}{SEPARATOR}{text}" if text else label


def label_steps(label: str, events: Sequence[Event]) -> tuple[list[str], np.ndarray]:
    """The labels a run goes through and when they change: at step ``t`` the label is
    ``labels[np.searchsorted(steps, t, side="right")]`` (``labels[0]`` is the plain
    name, ``len(labels) == len(steps) + 1``)."""
    steps = np.unique(np.asarray([at for at, _ in events], dtype=np.int64))
    return [label] + [label_at(label, events, int(s)) for s in steps], steps


def status_label(run: Run, path: ClippedPath | None = None) -> str:
    """The label of ``run`` once all its events have happened (its final legend label)."""
    events = run_events(run, path)
    return label_at(run.label, events, max((at for at, _ in events), default=0))
