"""The legend of an animation: placing it beside or below the plot, and its labels
changing with the step.

:func:`place` puts the plot (and its colour bar) and the legend into the figure so that
neither overlaps the other.  :class:`LiveLabels` makes the run entries show their
status only from the step it happens (see :mod:`.timeline`) without redrawing the
legend: each label a run goes through is rendered once, in place, into a small bitmap,
and every frame pastes the current one into the cached background (~0.01 ms each).
"""

from __future__ import annotations

import functools
import textwrap
from typing import Sequence

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.transforms import Bbox

__all__ = ["FONTSIZE", "WRAP", "WRAPS", "wrap", "widest", "place", "LiveLabels"]

FONTSIZE = 9.5
#: Labels longer than this many characters are wrapped (a run's name and a long status,
#: such as an outcome judged beyond the budget, would otherwise squeeze the plot); the
#: layout also tries the narrower widths of :data:`WRAPS`.
WRAP = 44
WRAPS = (WRAP, 34, 28)
_SLACK = 8


def wrap(label: str, width: int = WRAP) -> str:
    """``label`` on lines of at most ``width`` characters, the continuation lines
    indented: a new line at each "; " (one clause a line) where it is too long, a clause
    up to :data:`_SLACK` characters too long kept whole (no orphan words), and words
    never broken."""
    if len(label) <= width:
        return label
    clauses = label.split("; ")
    lines = []
    for i, clause in enumerate(clauses):
        text = ("    " if i else "") + clause + (";" if i < len(clauses) - 1 else "")
        if len(text) <= width + _SLACK:
            lines.append(text)
            continue
        part = textwrap.wrap(text.lstrip(), width, initial_indent="    " if i else "",
                             subsequent_indent="    ", break_long_words=False,
                             break_on_hyphens=False)
        if len(part) > 1 and len(part[-1].strip()) <= 6 and len(part[-2]) + len(part[-1].strip()) < width + _SLACK:
            part[-2:] = [part[-2] + " " + part[-1].strip()]  # no orphan ("557;")
        lines += part
    return "\n".join(lines)


@functools.lru_cache(maxsize=4096)
def _line_width(line: str, dpi: float) -> float:
    """The width in pixels of one line of legend text (shaping text costs about a
    millisecond, and the same lines are measured for every wrap width and figure)."""
    return _measuring_renderer(dpi).get_text_width_height_descent(line, FontProperties(size=FONTSIZE),
                                                                  ismath=False)[0]


@functools.lru_cache(maxsize=4)
def _measuring_renderer(dpi: float):
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, dpi)


def widest(fig, labels: Sequence[str]) -> str:
    """A text that needs as much room in the legend as the largest of ``labels``: the
    one with the widest line, given as many lines as the one with the most (blank lines
    at the end).  The legend packs an entry around it."""
    dpi = fig.canvas.get_renderer().dpi

    def width(label):
        return max(_line_width(line, dpi) for line in label.split("\n"))

    wide = max(labels, key=width)
    lines = max(label.count("\n") for label in labels)
    return wide + "\n " * (lines - wide.count("\n"))


def _legend(fig, handles, ncol, **kw):
    return fig.legend(handles=handles, ncol=ncol, frameon=False, fontsize=FONTSIZE,
                      handlelength=3.4, handletextpad=0.6, columnspacing=1.4,
                      labelspacing=0.45, borderaxespad=0.0, **kw)


def place(fig, ax, handle_sets, *, top: float, aspect: float | None, cax=None,
          cax_width: float = 12.0, cax_gap: float = 10.0):
    """Place ``ax`` and a legend in ``fig`` below ``top`` px of title; returns the
    legend (None without handles) and the index of the handles it shows.

    ``handle_sets``: alternative lists of legend handles, in order of preference (the
    same entries with labels wrapped at different widths).  The legend goes to the
    right of or below the plot, with the handles that leave the larger plot, and never
    overlaps it: the plot's real extent (tick labels, axis labels, the
    3-D box, the colour bar ``cax`` to the right of a 2-D plot) is measured and the
    axes resized until it fits its region.  ``aspect``: width/height of a 2-D plot;
    None for a 3-D axes (drawn into a square).
    """
    W, H = fig.bbox.width, fig.bbox.height
    renderer = fig.canvas.get_renderer()
    pad, gap = 8.0, 14.0
    rel = None
    if aspect is None:
        # The 3-D box, its tick labels and axis labels only exist after a draw; measure
        # them once relative to the axes square (they scale with it).
        side = 0.6 * min(W, H)
        ax.set_position(((W - side) / 2 / W, (H - side) / 2 / H, side / W, side / H))
        # The surface lies inside the box: drawn hidden, it costs most of the draw and
        # adds nothing to the extent.
        shown = [a for a in ax.collections if a.get_visible()]
        for artist in shown:
            artist.set_visible(False)
        fig.canvas.draw()
        for artist in shown:
            artist.set_visible(True)
        tb = ax.get_tightbbox(renderer)
        ab = ax.get_window_extent(renderer)
        rel = [(ab.x0 - tb.x0 + 8) / ab.width, (tb.x1 - ab.x1 + 6) / ab.width,
               (ab.y0 - tb.y0 + 6) / ab.height, (tb.y1 - ab.y1 + 6) / ab.height]
        margins = [0.0, 0.0, 0.0, 0.0]
    else:
        margins = [60.0, 14.0 + (0 if cax is None else 70.0), 44.0, 8.0]

    def measure(handles, ncol):
        lg = _legend(fig, handles, ncol)
        bb = lg.get_window_extent(renderer)
        lg.remove()
        return bb

    def fit(region):
        x, y, w, h = region
        if rel is not None:
            side = max(min(w / (1 + rel[0] + rel[1]), h / (1 + rel[2] + rel[3])), 10.0)
            return side, side
        w = max(w - margins[0] - margins[1], 10.0)
        h = max(h - margins[2] - margins[3], 10.0)
        if w / h > aspect:
            return h * aspect, h
        return w, w / aspect

    full_h = H - top - pad
    options = []
    for k, handles in enumerate(handle_sets):
        if not handles:
            options.append(("none", (pad, pad, W - 2 * pad, full_h), None, 1, k))
            continue
        bb = measure(handles, 1)
        if bb.height <= full_h:
            options.append(("right", (pad, pad, W - 2 * pad - bb.width - gap, full_h), bb, 1, k))
        for ncol in (1, 2, 3, 4):
            bb = measure(handles, ncol)
            if bb.width > W - 2 * pad:
                break
            options.append(("below", (pad, pad + bb.height + gap, W - 2 * pad,
                                      full_h - bb.height - gap), bb, ncol, k))
    if not options:  # nothing fits: the widest legend below, tough luck
        options.append(("below", (pad, pad + bb.height + gap, W - 2 * pad,
                                  full_h - bb.height - gap), bb, 1, len(handle_sets) - 1))

    def area(opt):
        w, h = fit(opt[1])
        return w * h * (1.0 if opt[0] != "below" else 0.97) * (1.0 - 0.03 * opt[4])

    where, region, bb, ncol, chosen = max(options, key=area)
    handles = handle_sets[chosen]
    rx, ry, rw, rh = region

    cax_extra = None  # how far the colour bar's ticks and label reach right of its bar

    def plot_extent():
        nonlocal cax_extra
        ab = ax.get_window_extent(renderer)
        if cax is None:
            return ab, ax.get_tightbbox(renderer)
        cax.set_position(((ab.x1 + cax_gap) / W, ab.y0 / H, cax_width / W, ab.height / H))
        if cax_extra is None:  # measured once: it hardly depends on the bar's height
            cax_extra = cax.get_tightbbox(renderer).x1 - cax.get_window_extent(renderer).x1
        bar = Bbox([[ab.x1, ab.y0], [ab.x1 + cax_gap + cax_width + cax_extra, ab.y1]])
        return ab, Bbox.union([ax.get_tightbbox(renderer), bar])

    for _ in range(3 if rel is None else 0):
        aw, ah = fit(region)
        x0 = rx + margins[0] + (rw - margins[0] - margins[1] - aw) / 2
        y0 = ry + margins[2] + (rh - margins[2] - margins[3] - ah) / 2
        ax.set_position((x0 / W, y0 / H, aw / W, ah / H))
        ax.apply_aspect()
        ab, tb = plot_extent()
        margins = [ab.x0 - tb.x0 + 2, tb.x1 - ab.x1 + 2, ab.y0 - tb.y0 + 2, tb.y1 - ab.y1 + 2]
    if rel is not None:
        side, _ = fit(region)
        x0 = rx + rel[0] * side + (rw - side * (1 + rel[0] + rel[1])) / 2
        y0 = ry + rel[2] * side + (rh - side * (1 + rel[2] + rel[3])) / 2
        ax.set_position((x0 / W, y0 / H, side / W, side / H))
        tb = Bbox([[x0 - rel[0] * side, y0 - rel[2] * side],
                   [x0 + side * (1 + rel[1]), y0 + side * (1 + rel[3])]])

    # Centre the plot+legend block and put the legend next to the plot.
    pos = ax.get_position(original=True)
    if where == "right":
        block = tb.width + gap + bb.width
        dx = (pad + (W - 2 * pad - block) / 2) - tb.x0
        ax.set_position((pos.x0 + dx / W, pos.y0, pos.width, pos.height))
        legend = _legend(fig, handles, ncol, loc="center left",
                         bbox_to_anchor=((tb.x1 + dx + gap) / W, (tb.y0 + tb.y1) / 2 / H))
    elif where == "below":
        block = tb.height + gap + bb.height
        dy = (pad + (full_h - block) / 2 + bb.height + gap) - tb.y0
        dy = max(dy, pad + bb.height + gap - tb.y0)
        ax.set_position((pos.x0, pos.y0 + dy / H, pos.width, pos.height))
        cx = (tb.x0 + tb.x1) / 2
        cx = min(max(cx, pad + bb.width / 2), W - pad - bb.width / 2)
        legend = _legend(fig, handles, ncol, loc="upper center",
                         bbox_to_anchor=(cx / W, (tb.y0 + dy - gap) / H))
    else:
        legend = None
    if cax is not None:
        if rel is None:
            ax.apply_aspect()
        plot_extent()
    return legend, chosen


class LiveLabels:
    """Legend labels that change with the step.

    ``entries``: per legend entry to animate, ``(index, labels, steps)`` as from
    :func:`.timeline.label_steps` -- the entry's text at step ``t`` is
    ``labels[searchsorted(steps, t, "right")]``.  Create it before the background is
    drawn (it gives each animated entry the room of its largest label, see
    :func:`widest`, so that the legend's columns and rows leave room for every one,
    and hides the text), call :meth:`render` once the background is cached, then
    :meth:`paste` per frame.
    """

    def __init__(self, legend, entries: Sequence[tuple[int, Sequence[str], np.ndarray]]) -> None:
        self.legend = legend
        texts = legend.get_texts() if legend is not None else []
        self._entries = []
        for index, labels, steps in entries:
            if len(labels) < 2:
                continue  # never changes: drawn with the background
            text = texts[index]
            text.set_text(widest(legend.figure, labels))
            text.set_visible(False)  # the legend still packs it, at its full size
            self._entries.append((text, list(labels), np.asarray(steps, dtype=np.int64)))
        self._sprites: list[tuple[tuple[int, int, int, int], list[np.ndarray]]] = []

    def render(self, canvas, background) -> None:
        """Render every label of every animated entry once, in place -- centred on the
        room the legend packed for the entry, level with its handle -- onto the cached
        ``background`` (restored afterwards)."""
        renderer = canvas.get_renderer()
        H, W = int(canvas.figure.bbox.height), int(canvas.figure.bbox.width)
        for text, labels, _ in self._entries:
            text.set_visible(True)
            room = text.get_window_extent(renderer)
            shifts, boxes = [], []
            for label in labels:
                text.set_text(label)
                text.set_position((0.0, 0.0))
                box = text.get_window_extent(renderer)
                # (The text lives in the entry's offset box: its position is in pixels.)
                shifts.append((room.y0 + room.y1) / 2 - (box.y0 + box.y1) / 2)
                boxes.append(box.translated(0.0, shifts[-1]))
            box = Bbox.union(boxes)
            r0, r1 = max(int(np.floor(H - box.y1)) - 2, 0), min(int(np.ceil(H - box.y0)) + 2, H)
            c0, c1 = max(int(np.floor(box.x0)) - 2, 0), min(int(np.ceil(box.x1)) + 2, W)
            bitmaps = []
            for label, dy in zip(labels, shifts):
                canvas.restore_region(background)
                text.set_text(label)
                text.set_position((0.0, dy))
                text.draw(renderer)
                bitmaps.append(np.asarray(canvas.buffer_rgba())[r0:r1, c0:c1].copy())
            text.set_visible(False)  # (a full redraw shows the packed, blank room)
            self._sprites.append(((r0, r1, c0, c1), bitmaps))
        canvas.restore_region(background)

    def paste(self, buf: np.ndarray, step: int) -> None:
        """Write the labels of ``step`` into the RGBA buffer ``buf`` (the background)."""
        for (_, _, steps), ((r0, r1, c0, c1), bitmaps) in zip(self._entries, self._sprites):
            # Dark text on the light background: the darker of the two keeps the ink of a
            # neighbouring entry whose box overlaps this one's margin.
            region = buf[r0:r1, c0:c1]
            np.minimum(region, bitmaps[int(np.searchsorted(steps, step, side="right"))], out=region)

    def texts_at(self, step: int) -> list[str]:
        """The animated entries' texts at ``step`` (for tests and reports)."""
        return [labels[int(np.searchsorted(steps, step, side="right"))]
                for _, labels, steps in self._entries]
