"""Benchmark of stochastic runs (not a test: it asserts nothing, it prints).

    python benchmarks/bench_stochastic.py [--reps 64] [--steps 1000] [--repeat 1]

(a) issue 12's load: 64 repetitions (seeds) x 4 batch sizes (1, 8, 64, and the whole data
    set of 256) x 11 optimizers x 1,000 steps on the moons objective, each (optimizer, batch
    size) one vectorised ``run`` over the 64 seeds;
(b) the baseline, measured in the same process: the same 44 runs of 64 with the exact
    gradient (``batch_size=None``), and the ratio of (a) to it;
(c) where the time goes: one run's full-batch losses alone (``losses_of``: every point of
    the trajectory against all 256 examples, which the figures need) and the batches alone
    (SplitMix64 + Fisher–Yates for the run's epochs).

Everything runs on one core (BLAS/OpenMP threads pinned to 1 before numpy is imported);
figures are CPU seconds of this process, the best of --repeat, with wall-clock alongside.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from optimizers import OPTIMIZERS, SURFACES, make, run  # noqa: E402
from optimizers import batches  # noqa: E402

from bench_optimizers import best_of  # noqa: E402  (the same timing as the library's benchmark)
from optimizers.runner import losses_of  # noqa: E402

# Rates that make visible progress on moons (its curvature is 0.03–0.35).
LR = {"sgd": 1.0, "momentum": 0.1, "nesterov": 0.1, "adagrad": 1.0, "rmsprop": 0.05, "adam": 0.1,
      "amsgrad": 0.1, "nadam": 0.1, "adadelta": 1.0, "lion": 0.02, "newton": 0.5}
BATCH_SIZES = (1, 8, 64, 256)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=64)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    surface = SURFACES["moons"]
    x0 = np.broadcast_to(np.asarray(surface.start, dtype=np.float64), (args.reps, 2))
    seeds = np.arange(args.reps)

    def stochastic():
        for name in OPTIMIZERS:
            for size in BATCH_SIZES:
                run(make(name, lr=LR[name]), surface, x0, args.steps, batch_size=size, seed=seeds)

    def exact():
        for name in OPTIMIZERS:
            for _ in BATCH_SIZES:
                run(make(name, lr=LR[name]), surface, x0, args.steps)

    runs = len(OPTIMIZERS) * len(BATCH_SIZES)
    print(f"moons: {args.reps} repetitions x {len(BATCH_SIZES)} batch sizes {BATCH_SIZES} x "
          f"{len(OPTIMIZERS)} optimizers x {args.steps} steps ({runs} vectorised runs)")
    cpu_a, wall_a = best_of(args.repeat, stochastic)
    print(f"(a) mini-batch runs:        {cpu_a:7.2f} s CPU ({wall_a:.2f} s wall)")
    cpu_b, wall_b = best_of(args.repeat, exact)
    print(f"(b) exact-gradient runs:    {cpu_b:7.2f} s CPU ({wall_b:.2f} s wall); (a)/(b) = {cpu_a / cpu_b:.2f}")

    points = run(make("sgd", lr=1.0), surface, x0, args.steps, batch_size=8, seed=seeds).points
    cpu_loss, _ = best_of(args.repeat, lambda: losses_of(surface, points))
    print(f"(c) one run's full-batch losses: {cpu_loss:.3f} s CPU = {cpu_loss / (cpu_b / runs):.0%} of an exact run")
    for size in BATCH_SIZES[:-1]:
        stream = batches.BatchStream(seeds.astype(np.uint64), surface.n_examples, size, 0)
        cpu_order, _ = best_of(args.repeat, lambda: batches.take(stream, args.steps))
        print(f"    one run's batches of {size:3d}:   {cpu_order:.3f} s CPU = "
              f"{cpu_order / (cpu_b / runs):.0%} of an exact run")


if __name__ == "__main__":
    main()
