"""The page markup of a set of panels (``render/panels.py``): a snippet that a surface page
includes (``--8<-- "<surface>/<name>.md"``), laying the panels out in a grid that reflows
(``.atlas-panels`` in ``docs/stylesheets/figures.css``).

Each image carries the size in pixels of the smallest text drawn in it
(``data-text-px``), so that a browser test can check that the text is legible at the
width the image is shown at. The image paths are relative to a page in ``docs/surfaces/``.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import write_text_atomic

if TYPE_CHECKING:  # (the renderers import matplotlib, which the build plan must not wait for)
    from .render.panels import SavedPanel

__all__ = ["KEY", "basin_alt", "key_alt", "legend_labels", "sensitivity_alt", "write_panel_snippet"]

KEY = "key"  # the file name (without .png) of a set's key, beside one file per optimizer


def display_name(name: str) -> str:
    from .render.style import display_name as title

    return title(name)


def write_panel_snippet(out_dir: Path, surface: str, name: str, saved: list["SavedPanel"],
                        alts: dict[str, str]) -> None:
    """Write ``<surface>/<name>.md``: the panels saved in ``<surface>/<name>/``, each with
    its alternative text ``alts[panel name]``."""
    lines = ['<div class="atlas-panels" markdown>', ""]
    for panel in saved:
        alt = alts[panel.name].replace("[", "(").replace("]", ")")
        lines += [f"![{alt}](../assets/generated/{surface}/{name}/{panel.file})"
                  f'{{ loading=lazy data-text-px="{panel.text_px:g}" }}', ""]
    lines.append("</div>")
    write_text_atomic(out_dir / f"{surface}/{name}.md", "\n".join(lines) + "\n")


def _percent(share: float) -> str:
    return f"{share:.0%}" if share >= 0.005 or share == 0 else "under 1%"


def _number(value: float) -> str:
    return f"{value:.3g}"


def sensitivity_alt(name: str, lrs, summary: dict, failed: dict[str, int]) -> str:
    """What one panel of the learning-rate sensitivity shows, in words."""
    count, low, high = len(lrs), _number(min(lrs)), _number(max(lrs))
    head = f"{display_name(name)}: "
    if not summary["count"]:
        text = f"none of the {count} learning rates from {low} to {high} reaches and holds the target"
    else:
        lo, hi = summary["reaching_lrs"]
        text = (f"{summary['count']} of the {count} learning rates from {low} to {high} reach and hold "
                f"the target, between {_number(lo)} and {_number(hi)} ({summary['decades']:.1f} decades); "
                f"the best, {_number(summary['best_lr'])}, arrives first")
    tails = [f"{n} {one if n == 1 else many}" for one, many, n in
             (("diverges", "diverge", failed["diverged"]), ("leaves the plot", "leave the plot", failed["left"])) if n]
    return head + text + (f"; {' and '.join(tails)}" if tails else "") + "."


#: How a basin map's outcome kinds read in a sentence (optimizers.outcomes.KINDS).
_KIND_WORDS = {
    "held": "arrive and hold the target",
    "late": "hold the target only after the budget",
    "left": "reach the target, then leave it",
    "minimum": "end at another local minimum",
    "saddle": "stop at a saddle",
    "maximum": "stop at a maximum",
    "cycling": "cycle",
    "moving": "are still moving",
    "left_plot": "leave the plot",
    "escaping": "escape towards f → −∞",
    "diverged": "diverge",
}


def basin_alt(name: str, grid: int, summary: dict) -> str:
    """What one basin map panel shows, in words: the share of the starts per outcome."""
    kinds = sorted(((share, kind) for kind, share in summary["kinds"].items() if share > 0), reverse=True)
    parts = [f"{_percent(share)} {_KIND_WORDS[kind]}" for share, kind in kinds]
    return f"{display_name(name)}: of {grid} × {grid} starts over the plot, {', '.join(parts)}."


def key_alt(labels: list[str], what: str) -> str:
    """The key's alternative text: what its entries are."""
    return f"Key to the {what}: " + "; ".join(label.replace("\n", " ") for label in labels) + "."


def legend_labels(panels) -> list[str]:
    """The texts of the key's legend (and colour bar label), in order."""
    fig = panels.key
    texts = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    title = [legend.get_title().get_text() for legend in fig.legends if legend.get_title().get_text()]
    bars = [ax.get_xlabel() for ax in fig.axes if ax.get_xlabel()]
    return title + texts + [f"colour: {label}" for label in bars]

