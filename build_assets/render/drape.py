"""Trajectories laid on the 3-D surface.

A step is a jump from one iterate to the next; in the contour plot it is a straight
line in the plane.  In 3-D a straight chord between two points of the surface floats
above it or cuts through it (a long jump of Momentum across the saddle).  So each step
is drawn over the surface instead: its projection on the plane is subdivided and the
points in between are lifted to the surface's height, which the later clipping to the
box (including the height range) cuts where the surface itself leaves it.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

__all__ = ["MAX_PIECE", "MAX_PIECES", "drape"]

#: Longest drawn piece of a step, as a fraction of the plot box (in x1/x2 units
#: scaled to [0, 1]); a step longer than that is subdivided.
MAX_PIECE = 1.0 / 40
#: At most this many pieces per step.
MAX_PIECES = 60


def _inside_span(A: np.ndarray, d: np.ndarray, lo: np.ndarray, hi: np.ndarray):
    """Parameters ``t0 <= t1`` of the part of each segment ``A + t d`` (t in [0, 1])
    inside the box (t0 > t1: none)."""
    with np.errstate(all="ignore"):
        tA = (lo - A) / d
        tB = (hi - A) / d
        flat = d == 0
        tmin = np.where(flat, np.where((A >= lo) & (A <= hi), -np.inf, np.inf), np.minimum(tA, tB))
        tmax = np.where(flat, np.where((A >= lo) & (A <= hi), np.inf, -np.inf), np.maximum(tA, tB))
    return np.maximum(0.0, tmin.max(axis=1)), np.minimum(1.0, tmax.min(axis=1))


def drape(points: np.ndarray, height: Callable[[np.ndarray], np.ndarray], lo, hi,
          max_piece: float = MAX_PIECE, max_pieces: int = MAX_PIECES, tol: float = 0.0):
    """Lay the polyline ``points`` (N, 2) on the surface.

    Returns ``(coords, at)``: ``coords`` (M, 3), the points with the in-between points
    of long steps, each with ``height(x)`` as third coordinate; ``at`` (N,), the row of
    ``coords`` holding ``points[k]``.  Only the part of a step inside the box ``lo``,
    ``hi`` (x1/x2) is subdivided, including the points where it crosses the box's
    boundary; non-finite steps are not, nor are steps whose chord is within ``tol`` (in
    height units) of the surface at a quarter, half and three quarters of the way (a
    short step on a smooth surface).
    """
    P = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    lo, hi = np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)
    N = len(P)
    if N < 2:
        xy = P
        counts = np.zeros(0, dtype=np.int64)
    else:
        A, d = P[:-1], np.diff(P, axis=0)
        with np.errstate(all="ignore"):
            finite = np.isfinite(A).all(axis=1) & np.isfinite(d).all(axis=1)
            t0, t1 = _inside_span(np.where(finite[:, None], A, 0.0), np.where(finite[:, None], d, 0.0),
                                  lo, hi)
            length = np.hypot(*(d / (hi - lo)).T) * np.clip(t1 - t0, 0.0, None)
            pieces = np.where(finite & (t1 > t0), np.ceil(length / max_piece), 0.0)
        pieces = np.minimum(np.nan_to_num(pieces), max_pieces).astype(np.int64)
        if tol > 0:
            cut = np.flatnonzero(pieces >= 2)
            u = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
            t = t0[cut, None] + (t1[cut] - t0[cut])[:, None] * u  # (K, 5)
            with np.errstate(all="ignore"):
                z = np.asarray(height(A[cut, None] + t[..., None] * d[cut, None]), dtype=np.float64)
                chord = z[:, :1] + (z[:, 4:] - z[:, :1]) * u
                off = np.abs(z - chord).max(axis=1)
            pieces[cut[off <= tol]] = 0
        # In-between parameters of segment i: t0, t0 + (t1 - t0) j / n, ..., t1, without
        # the ends 0 and 1 (the iterates themselves).
        counts = np.where(pieces >= 2, pieces + 1, 0)
        seg = np.repeat(np.arange(N - 1), counts)
        first = np.repeat(np.cumsum(counts) - counts, counts)
        j = np.arange(counts.sum()) - first
        t = t0[seg] + (t1[seg] - t0[seg]) * j / np.maximum(pieces[seg], 1)
        keep = (t > 0.0) & (t < 1.0)
        seg, t = seg[keep], t[keep]
        counts = np.bincount(seg, minlength=N - 1)
        mid = A[seg] + t[:, None] * d[seg]
        # Interleave: point k, then the in-between points of segment k.
        at = np.arange(N) + np.concatenate([[0], np.cumsum(counts)])
        xy = np.empty((N + len(mid), 2))
        xy[at] = P
        rest = np.ones(len(xy), dtype=bool)
        rest[at] = False
        xy[rest] = mid
    if N < 2:
        at = np.arange(N)
    with np.errstate(all="ignore"):
        z = np.asarray(height(xy), dtype=np.float64).reshape(-1)
    return np.column_stack([xy, z]), at
