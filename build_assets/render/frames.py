"""Which steps of a run an animation shows: one per frame, denser early."""

from __future__ import annotations

import numpy as np

__all__ = ["select_frames"]


def select_frames(n_points: int, max_frames: int = 150) -> np.ndarray:
    """Indices of the trajectory points to show, one per frame.

    All points if ``n_points <= max_frames``; otherwise ``max_frames`` (or one
    fewer after rounding) unique, increasing indices from 0 to
    ``n_points - 1``, spaced by a quadratic so that consecutive frames are one
    step apart at the start and the gaps grow towards the end (most of the
    motion happens early).
    """
    if n_points < 1:
        raise ValueError("need at least one point")
    if max_frames < 2:
        raise ValueError("max_frames must be at least 2")
    if n_points <= max_frames:
        return np.arange(n_points)
    T = n_points - 1
    F = max_frames
    a = (F - 1) / T  # initial gap of exactly one step
    u = np.linspace(0.0, 1.0, F)
    idx = np.rint(T * (a * u + (1.0 - a) * u * u)).astype(np.int64)
    idx[0], idx[-1] = 0, T
    return np.unique(np.clip(idx, 0, T))
