"""Clipping a trajectory to the plot box.

A trajectory is a polyline of iterates; what is drawn of it is the part inside the
plot box (x1/x2 bounds and, in 3-D, the height range): :func:`clip_polyline` cuts it
segment by segment and records where, and at which step, it left the box.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

__all__ = ["ClippedPath", "clip_polyline"]


@dataclass(frozen=True, eq=False)
class ClippedPath:
    """A polyline clipped to an axis-aligned box.

    ``verts`` (M, D): the drawable vertices, rows of NaN separate pieces; the
    path after ``k`` steps is ``verts[:cut[k]]``.  ``inside[k]``: point ``k``
    is finite and inside the box.  ``exit_points`` (E, D) / ``exit_steps``
    (E,): where and at which step (the first point outside) the path left
    the box, in order.
    """

    verts: np.ndarray
    cut: np.ndarray
    inside: np.ndarray
    exit_points: np.ndarray
    exit_steps: np.ndarray

    @property
    def left_plot(self) -> bool:
        return len(self.exit_steps) > 0


def clip_polyline(coords: np.ndarray, lo: Sequence[float], hi: Sequence[float]) -> ClippedPath:
    """Clip the polyline ``coords`` (N, D) to the box ``lo <= x <= hi``
    segment by segment (Liang-Barsky).  Non-finite points end the path at the
    previous point (counted as an exit)."""
    P = np.asarray(coords, dtype=np.float64)
    if P.ndim != 2 or P.shape[0] < 1:
        raise ValueError("coords must be (N, D) with N >= 1")
    N, D = P.shape
    lo = np.asarray(lo, dtype=np.float64).reshape(D)
    hi = np.asarray(hi, dtype=np.float64).reshape(D)
    finite = np.isfinite(P).all(axis=1)
    with np.errstate(invalid="ignore"):
        inside = finite & (P >= lo).all(axis=1) & (P <= hi).all(axis=1)

    start = P[:1] if inside[0] else np.empty((0, D))
    if N == 1:
        return ClippedPath(start.copy(), np.array([len(start)]), inside,
                           np.empty((0, D)), np.empty(0, dtype=np.int64))

    A, B = P[:-1], P[1:]
    with np.errstate(all="ignore"):
        d = B - A
        flat = d == 0
        tA = (lo - A) / d
        tB = (hi - A) / d
        tmin = np.where(flat, -np.inf, np.minimum(tA, tB))
        tmax = np.where(flat, np.inf, np.maximum(tA, tB))
        outside_flat = (flat & ((A < lo) | (A > hi))).any(axis=1)
        t0 = np.maximum(0.0, tmin.max(axis=1))
        t1 = np.minimum(1.0, tmax.min(axis=1))
        # Exact ends for points inside (no round-off exits on the boundary).
        t0 = np.where(inside[:-1], 0.0, t0)
        t1 = np.where(inside[1:], 1.0, t1)
        valid = (finite[:-1] & finite[1:] & np.isfinite(d).all(axis=1)
                 & ~outside_flat & (t0 <= t1))
        t0 = np.where(valid, t0, 0.0)
        t1 = np.where(valid, t1, 0.0)
        Pa = np.clip(A + t0[:, None] * d, lo, hi)
        Pb = np.clip(A + t1[:, None] * d, lo, hi)
    # The path is "open" at point k-1 (can continue without a break) if that
    # point is inside and was reached by the path.
    reached = np.concatenate([[inside[0]], valid])  # point j reached by segment j-1
    open_ = (inside & reached)[:-1]
    opened = valid & ~open_  # segment starts a new piece at its entry point
    emitted_before = np.concatenate([[len(start)], valid[:-1].astype(np.int64)]).cumsum() > 0
    nan_row = np.full((N - 1, D), np.nan)
    cand = np.stack([nan_row, Pa, Pb], axis=1)  # (N-1, 3, D)
    mask = np.stack([opened & emitted_before, opened, valid], axis=1)
    verts = np.concatenate([start, cand[mask]], axis=0)
    cut = np.concatenate([[len(start)], len(start) + mask.sum(axis=1).cumsum()])

    # Exits: a valid segment clipped before its end, or an inside point
    # followed by a non-finite one.
    clipped_end = valid & (t1 < 1.0)
    lost = ~valid & open_
    steps = np.flatnonzero(clipped_end | lost) + 1
    exit_pts = np.where(clipped_end[steps - 1][:, None], Pb[steps - 1], A[steps - 1])
    return ClippedPath(verts, cut.astype(np.int64), inside, exit_pts.reshape(-1, D),
                       steps.astype(np.int64))
