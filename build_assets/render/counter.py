"""The "step k / T" counter in the corner of an animation.

"step" and "/ T" are part of the static background; the number is composited per
frame from digit bitmaps that matplotlib renders once (drawing text costs ~2-3 ms a
frame, pasting the digits ~0.05 ms).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["StepCounter"]


class StepCounter:
    """The "step k / T" counter.  "step" and "/ T" are static background
    text; the number is composited from digit bitmaps rendered once by
    matplotlib (drawing text costs ~2-3 ms a frame, pasting digits ~0.05)."""

    def __init__(self, fig, total: int, fontsize: float, color: str, right_px: float,
                 top_px: float) -> None:
        self.fig = fig
        W, H = fig.bbox.width, fig.bbox.height
        renderer = fig.canvas.get_renderer()
        props = dict(fontsize=fontsize, color=color, va="baseline")
        probe = fig.text(0, 0, "0123456789", **props)
        ext = probe.get_window_extent(renderer)
        probe.remove()
        self.advance = ext.width / 10.0
        ndig = len(str(total))
        baseline = H - top_px - ext.height * 0.8
        self._baseline = round(baseline)
        tail = fig.text(right_px / W, self._baseline / H, f" / {total}", ha="right", **props)
        tail_w = tail.get_window_extent(renderer).width
        self._num_right = right_px - tail_w  # right edge of the number
        num_w = ndig * self.advance
        fig.text((self._num_right - num_w) / W, self._baseline / H, "step ", ha="right", **props)
        self._props = props
        self._sprites: list[np.ndarray] | None = None

    def render_sprites(self, bg) -> None:
        """Render the ten digits once onto the cached background."""
        fig = self.fig
        canvas = fig.canvas
        W, H = fig.bbox.width, fig.bbox.height
        renderer = canvas.get_renderer()
        sprites = []
        # Render at an integer pixel position inside the (blank) number area.
        self._x0 = int(math.floor(self._num_right - self.advance))
        for d in "0123456789":
            canvas.restore_region(bg)
            t = fig.text(self._x0 / W, self._baseline / H, d, animated=True, **self._props)
            fig.draw_artist(t)
            e = t.get_window_extent(renderer)
            t.remove()
            buf = np.asarray(canvas.buffer_rgba())
            r0 = max(int(math.floor(H - e.y1)) - 1, 0)
            r1 = min(int(math.ceil(H - e.y0)) + 1, int(H))
            c1 = int(math.ceil(self._x0 + self.advance)) + 2
            sprites.append(buf[r0:r1, self._x0 - 2 : c1, :].copy())
        canvas.restore_region(bg)
        self._rows = (r0, r1)
        self._sprites = sprites

    def paste(self, buf: np.ndarray, k: int) -> None:
        """Draw the number ``k`` into the RGBA buffer (dark text on a light
        background: composite with a per-pixel minimum)."""
        r0, r1 = self._rows
        s = str(k)
        for i, ch in enumerate(s):
            sp = self._sprites[ord(ch) - 48]
            left = round(self._num_right - (len(s) - i) * self.advance) - 2
            region = buf[r0:r1, left : left + sp.shape[1]]
            np.minimum(region, sp[:, : region.shape[1]], out=region)
