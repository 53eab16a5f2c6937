"""Small multiples saved as separate images, one per optimizer plus a key.

One picture of eleven panels is shown at a fraction of its size (on a phone at a
quarter), so its text cannot be read. Saved one panel per file, the page lays them out
in a grid that reflows (several columns on a wide screen, one on a phone), each at a
size where its text is legible; see ``build_assets/panel_markup.py``.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import NamedTuple

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from build_assets.panel_markup import KEY
from build_assets.render.chart_common import DPI, INK, save_png, smallest_text_px

__all__ = ["PANEL_SIZE", "Panels", "SavedPanel", "key_figure", "panel_title", "save_panels"]

#: Size of one panel in inches (at the charts' 150 dpi: 345 × 292 px).
PANEL_SIZE = (2.3, 1.95)
_KEY_WRAP = 30  # characters per line of a key entry


class Panels(NamedTuple):
    figures: dict[str, Figure]  # optimizer name -> its panel, in display order
    key: Figure  # what the colours and marks mean, shared by every panel


class SavedPanel(NamedTuple):
    name: str  # optimizer name, or KEY
    file: str  # file name inside the panels' directory
    width: int  # pixels
    height: int
    text_px: float  # the smallest text drawn in it, in pixels


def panel_title(fig: Figure, name: str, summary: str, *, muted: bool = False) -> None:
    """The optimizer's name at the top left of its panel, and the panel's one-number
    summary at the top right (both aligned with the figure's edges, not the axes', so
    that a long name keeps the whole width)."""
    title = fig.suptitle(name, x=0.02, ha="left", fontsize=10.5, fontweight="bold")  # room kept by the layout
    fig.text(0.98, title.get_position()[1], summary, ha="right", va=title.get_va(), fontsize=9.5,
             color="#767676" if muted else INK)


def key_figure(handles, *, title: str | None = None, below_px: float = 0) -> Figure:
    """A key: the legend ``handles`` (under ``title``) at the top of a figure of a panel's
    width, as tall as they need (at least a panel's height) plus ``below_px`` pixels left
    free at the bottom (for a colour bar). Call inside ``chart_style``."""
    fig = Figure(figsize=PANEL_SIZE, dpi=DPI)
    FigureCanvasAgg(fig)
    labels = [handle.get_label() for handle in handles]
    # No wider than a panel, so that it is shown as large: entries wrapped as narrow as needed.
    for width in range(_KEY_WRAP, 12, -2):
        for handle, label in zip(handles, labels):
            handle.set_label(_wrap(label, width))
        legend = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.04, 0.97), fontsize=9.5,
                            handlelength=1.8, borderaxespad=0.0, title=title and _wrap(title, width),
                            title_fontsize=9.5, alignment="left")
        if legend.get_window_extent(fig.canvas.get_renderer()).x1 <= 0.97 * fig.bbox.width:
            break
        legend.remove()
    needed = legend.get_window_extent(fig.canvas.get_renderer()).height + 0.06 * fig.bbox.height + below_px
    height = max(PANEL_SIZE[1], needed / DPI)
    fig.set_size_inches(PANEL_SIZE[0], height)
    legend.set_bbox_to_anchor((0.04, 1 - 0.03 * PANEL_SIZE[1] / height))
    return fig


def _wrap(text: str, width: int = _KEY_WRAP) -> str:
    return "\n".join(line for part in text.split("\n") for line in textwrap.wrap(part, width))


def save_panels(panels: Panels, directory: str | os.PathLike[str]) -> list[SavedPanel]:
    """Write each panel and the key as ``<name>.png`` in ``directory`` (atomically,
    deterministic bytes); returns what the page needs to lay them out, key last."""
    directory = Path(directory)
    saved = []
    for name, fig in [*panels.figures.items(), (KEY, panels.key)]:
        save_png(fig, directory / f"{name}.png")
        text_px = smallest_text_px(fig, drawn=True)
        width, height = (round(v) for v in fig.canvas.get_width_height())
        saved.append(SavedPanel(name, f"{name}.png", width, height, round(text_px, 2)))
    return saved
