"""Animations that can be stopped: every generated GIF has a still (its last frame, the
whole paths), and the pages show the still to readers who asked for reduced motion.

The figure build writes ``<name>-still.png`` beside each ``<name>.gif``
(``render/animate.py``). ``add_stills`` (called by the MkDocs hook on each page's HTML)
wraps every generated GIF in a ``<picture>`` whose first source is the still for
``prefers-reduced-motion: reduce``, so that no animation plays for those readers, even
without JavaScript; ``docs/javascripts/animations.js`` adds the pause/play button.
"""
from __future__ import annotations

import re

STILL_SUFFIX = "-still.png"

_GIF_IMG = re.compile(r'<img\b[^>]*?\bsrc="(?P<src>[^"]*assets/generated/[^"]*?)\.gif"[^>]*>')


def still_of(gif: str) -> str:
    """The still's path (or URL) for an animation's ``gif`` path (or URL)."""
    if not gif.endswith(".gif"):
        raise ValueError(f"not a GIF: {gif!r}")
    return gif[:-len(".gif")] + STILL_SUFFIX


def add_stills(html: str) -> str:
    """Wrap each generated GIF's ``<img>`` in a ``<picture>`` with its still for reduced motion."""
    def wrap(match: re.Match) -> str:
        still = still_of(match["src"] + ".gif")
        return (f'<picture class="atlas-animation"><source srcset="{still}" '
                f'media="(prefers-reduced-motion: reduce)">{match[0]}</picture>')

    return _GIF_IMG.sub(wrap, html)
