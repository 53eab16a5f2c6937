"""'Explore this run' links: every figure of a run setting (its animations and its loss chart)
gets a link that opens exactly that run in the Playground (its surface, setting and
optimizers; start and budget are the setting's, which the page opens with).

The MkDocs hook applies :func:`add_explore_links` to every page's Markdown, so no page has
to spell the links out and they follow ``experiments.yml``.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

from .config import Experiments

# ![alt](<prefix>assets/generated/<rest>){ attrs }, the image being a run animation,
# <surface>/<setting>_<view>.gif or sets/<set>/<surface>_<setting>_<view>.gif, or the loss
# chart of the same runs, <surface>/<setting>_loss.png
_RUN_FIGURE = re.compile(
    r"(?P<image>!\[[^\]]*\]\((?P<prefix>[^)\s]*?)assets/generated/"
    r"(?:sets/(?P<set>[\w-]+)/(?P<set_surface>\w+?)_|(?P<surface>\w+)/)"
    r"(?P<setting>seed|tuned)_(?:3d\.gif|contour\.gif|loss\.png)\)(?:\{[^}\n]*\})?)")
LABEL = "Explore this run"


def explore_query(exp: Experiments, surface: str, setting: str, figure_set: str | None) -> str | None:
    """The Playground's query for a run figure, or None when it shows no known run."""
    entry = exp.surfaces.get(surface)
    if entry is None or (figure_set is not None and figure_set not in exp.sets):
        return None
    names = [n for n in (exp.sets[figure_set].optimizers if figure_set else entry.seed) if n in entry.seed]
    return urlencode({"surface": surface, "preset": setting, "on": ",".join(names)}, safe=",")


def add_explore_links(markdown: str, exp: Experiments) -> str:
    """``markdown`` with a link after every run figure."""
    def link(match: re.Match) -> str:
        surface = match.group("set_surface") or match.group("surface")
        query = explore_query(exp, surface, match.group("setting"), match.group("set"))
        if query is None:
            return match.group(0)
        return f"{match.group('image')} [{LABEL}]({match.group('prefix')}playground.md?{query}){{ .oa-explore }}"

    return _RUN_FIGURE.sub(link, markdown)
