"""The order in which a stochastic run sees the examples: seeded, without replacement.

Each run draws its batches from its own seed (an integer in [0, 2⁶⁴)); runs with the same
seed see the same batches. The algorithm is simple enough to be reproduced bit for bit in
JavaScript (with ``BigInt`` and ``BigInt.asUintN(64, ·)``):

1. Random numbers: SplitMix64 (Steele, Lea & Flood, 2014) on unsigned 64-bit integers
   (all arithmetic mod 2⁶⁴). The k-th number of a run (k = 0, 1, …) is ``mix(seed + (k + 1)·γ)``
   with γ = 0x9E3779B97F4A7C15 and
   ``mix(z)``: z ← (z ^ (z >> 30))·0xBF58476D1CE4E5B9; z ← (z ^ (z >> 27))·0x94D049BB133111EB;
   return z ^ (z >> 31).
2. Epochs: epoch e (e = 0, 1, …) is a permutation of 0 … N−1 made by Fisher–Yates from the
   identity: for i = N−1 down to 1, j = r % (i + 1) with r the run's next number (epoch e
   uses numbers k = e·(N−1) … e·(N−1) + N−2, in that order), then swap a[i] and a[j]. (The
   modulo's bias is below N/2⁶⁴: irrelevant.)
3. Batches: an epoch gives ⌊N/B⌋ batches of B examples, a[0:B], a[B:2B], …; the remaining
   N mod B examples sit that epoch out (every batch is a uniform sample without replacement,
   and every batch of an epoch is disjoint from the others). Batch t of a run (t = 0, 1, …)
   is batch t mod ⌊N/B⌋ of epoch ⌊t / ⌊N/B⌋⌋.

Since the k-th number depends only on (seed, k), the batches of any stretch of steps are
computed at once, vectorised over epochs and runs; a continued run starts where it stopped.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

GAMMA = np.uint64(0x9E3779B97F4A7C15)
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)
_BLOCK = 1 << 20  # examples' worth of permutations generated at a time


class BatchStream(NamedTuple):
    """Where a batch of runs is in its stream of batches."""

    seeds: np.ndarray  # uint64, broadcastable against the batch of runs
    n_examples: int
    batch_size: int
    taken: int  # batches already taken (the same for every run of the batch)


def seeds_of(seed, batch_shape: tuple[int, ...]) -> np.ndarray:
    """``seed`` (an integer or an integer array broadcastable to ``batch_shape``) as uint64;
    a one-line ValueError for anything else."""
    array = np.asarray(seed)
    if array.dtype.kind not in "iu" or (array.dtype.kind == "i" and (array < 0).any()):
        raise ValueError(f"run: seed={seed!r} is invalid: must be an integer >= 0 or an array of them")
    try:
        shape = np.broadcast_shapes(array.shape, batch_shape)
    except ValueError:
        shape = None
    if shape != tuple(batch_shape):
        raise ValueError(f"run: seed has shape {array.shape}, which does not broadcast to the batch "
                         f"of runs {tuple(batch_shape)}")
    return array.astype(np.uint64)


def mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64's output function (module docstring), on uint64 arrays (wrapping)."""
    z = (z ^ (z >> np.uint64(30))) * MIX1
    z = (z ^ (z >> np.uint64(27))) * MIX2
    return z ^ (z >> np.uint64(31))


def numbers(seeds: np.ndarray, first: int, count: int) -> np.ndarray:
    """The random numbers k = first … first + count − 1 of each seed: shape (*seeds.shape, count)."""
    k = np.arange(first + 1, first + count + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return mix(np.asarray(seeds, dtype=np.uint64)[..., None] + k * GAMMA)


def permutations(seeds: np.ndarray, n: int, first_epoch: int, epochs: int) -> np.ndarray:
    """Epochs ``first_epoch`` … ``+ epochs − 1`` of each seed: shape (epochs, *seeds.shape, n)."""
    seeds = np.asarray(seeds, dtype=np.uint64)
    draws = numbers(seeds, first_epoch * (n - 1), epochs * (n - 1))  # (*seeds, epochs·(n−1))
    draws = np.moveaxis(draws.reshape(*seeds.shape, epochs, n - 1), -2, 0).reshape(-1, n - 1)
    rows = len(draws)
    # Every j at once (i = n−1 … 1 along the columns), as flat positions in an (n, rows) array
    # whose row i holds position i of every permutation: the swaps are then 1-D gathers.
    j = (draws % np.arange(n, 1, -1, dtype=np.uint64)).astype(np.intp)
    flat_j = (j * rows + np.arange(rows)[:, None]).T.copy()  # (n − 1, rows)
    order = np.repeat(np.arange(n), rows)  # the identity, flattened from (n, rows)
    by_position = order.reshape(n, rows)
    for step, i in enumerate(range(n - 1, 0, -1)):
        held = by_position[i].copy()
        by_position[i] = order[flat_j[step]]
        order[flat_j[step]] = held
    return by_position.T.reshape(epochs, *seeds.shape, n)


def take(stream: BatchStream, count: int) -> tuple[np.ndarray, BatchStream]:
    """The next ``count`` batches: indices of shape (count, *seeds.shape, batch_size), and the
    stream after them."""
    n, size = stream.n_examples, stream.batch_size
    per_epoch = n // size
    first, last = stream.taken, stream.taken + count  # batches [first, last)
    first_epoch, end_epoch = first // per_epoch, -(-last // per_epoch)
    epochs = end_epoch - first_epoch
    order = permutations(stream.seeds, n, first_epoch, epochs)  # (epochs, *seeds, n)
    batches = order[..., :per_epoch * size].reshape(*order.shape[:-1], per_epoch, size)
    batches = np.moveaxis(batches, -2, 1).reshape(epochs * per_epoch, *stream.seeds.shape, size)
    start = first - first_epoch * per_epoch
    # C order, so that each step's batch is too: a mean over a strided axis is summed in another order
    return np.ascontiguousarray(batches[start:start + count]), stream._replace(taken=last)


def steps_per_block(stream: BatchStream) -> int:
    """How many batches to take at once: whole epochs, about ``_BLOCK`` examples' worth of
    permutations (generating them costs a loop over N, whatever the number of epochs)."""
    per_epoch = stream.n_examples // stream.batch_size
    runs = max(1, int(np.prod(stream.seeds.shape)))
    return per_epoch * max(1, _BLOCK // (runs * stream.n_examples))
