"""Benchmark of the numerical library (not a test: it asserts nothing, it prints).

    python benchmarks/bench_optimizers.py [--starts 100000] [--steps 100] [--repeat 3]

(a) the full experiment set: all 11 optimizers x 7 surfaces, each from the surface's
    default start for its default number of steps (target: well under 1 s);
(b) throughput: a batch of 100,000 start points on Rosenbrock with Adam, in point-steps
    per second (target: >= 10 million/s on one core);
(c) the floor for (b), measured in the same process: a plain numpy loop doing
    x -= lr * grad(x) on the same batch, and the ratio of (b) to it.

Everything runs on one core: the BLAS/OpenMP thread counts are pinned to 1 before numpy
is imported. Each figure is the best of --repeat runs, in CPU seconds of this process
(equal to wall-clock on an idle machine; robust when the machine is shared); wall-clock
is printed alongside.

(d) a diagnosis, not a target: (b) and (c) again after raising glibc's mmap and trim
    thresholds (mallopt, Linux only). With the defaults every 1.6 MB temporary of a
    100,000-point step is a fresh mmap whose pages fault in on first touch; the
    difference between (b) and (d) is that cost.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import ctypes  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from optimizers import OPTIMIZERS, SURFACES, evaluate, make, run  # noqa: E402

TARGET_FULL_SET_S = 1.0
TARGET_POINT_STEPS = 10e6


def best_of(repeat, fn):
    """(CPU seconds, wall seconds), each the best of ``repeat`` calls."""
    cpu, wall = [], []
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return min(cpu), min(wall)


def tune_malloc() -> bool:
    """Keep freed memory in the heap (glibc): no mmap/munmap churn for large temporaries."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3
    return bool(libc.mallopt(m_mmap_threshold, 32 << 20)) and bool(libc.mallopt(m_trim_threshold, 1 << 30))


def full_experiment_set(with_metrics: bool):
    for surface in SURFACES.values():
        for name in OPTIMIZERS:
            traj = run(make(name), surface, surface.start, surface.steps)
            if with_metrics:
                evaluate(traj, surface)


def rosenbrock_starts(n, seed=0):
    rng = np.random.default_rng(seed)
    (lo1, hi1), (lo2, hi2) = SURFACES["rosenbrock"].bounds
    return np.stack([rng.uniform(lo1, hi1, n), rng.uniform(lo2, hi2, n)], axis=-1)


def floor_loop(x0, steps, lr):
    """The floor: the cheapest honest batched gradient loop, Rosenbrock's gradient inlined."""
    x = x0.copy()
    for _ in range(steps):
        x1, x2 = x[:, 0], x[:, 1]
        r = x2 - x1 * x1
        g = np.stack([-2 * (1 - x1) - 400 * x1 * r, 200 * r], axis=-1)
        x -= lr * g
    return x


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}, one thread")
    n_runs = len(OPTIMIZERS) * len(SURFACES)
    total_steps = len(OPTIMIZERS) * sum(s.steps for s in SURFACES.values())

    full_experiment_set(False)  # warm-up: imports, caches
    t_runs, w_runs = best_of(args.repeat, lambda: full_experiment_set(False))
    t_all, w_all = best_of(args.repeat, lambda: full_experiment_set(True))
    verdict = "OK" if t_runs < TARGET_FULL_SET_S else "MISSED"
    print(f"(a) full experiment set ({n_runs} runs, {total_steps} single-point steps):")
    print(f"      run only          {t_runs:8.3f} s   target < {TARGET_FULL_SET_S:g} s  [{verdict}]"
          f"   ({t_runs / total_steps * 1e6:.1f} us per step; wall {w_runs:.3f} s)")
    print(f"      run + evaluate    {t_all:8.3f} s   (wall {w_all:.3f} s)")

    surface = SURFACES["rosenbrock"]
    x0 = rosenbrock_starts(args.starts)
    opt = make("adam", lr=1e-3)
    point_steps = args.starts * args.steps

    def throughput(label):
        run(opt, surface, x0[:1000], 5)  # warm-up
        t_adam, w_adam = best_of(args.repeat, lambda: run(opt, surface, x0, args.steps))
        t_floor, w_floor = best_of(args.repeat, lambda: floor_loop(x0, args.steps, 1e-4))
        rate, floor_rate = point_steps / t_adam, point_steps / t_floor
        verdict = "OK" if rate >= TARGET_POINT_STEPS else "MISSED"
        print(f"      {label + ' run()':<17} {t_adam:8.3f} s   {rate / 1e6:7.1f} M point-steps/s"
              f"   target >= {TARGET_POINT_STEPS / 1e6:g} M  [{verdict}]   (wall {w_adam:.3f} s)")
        print(f"      {label + ' floor':<17} {t_floor:8.3f} s   {floor_rate / 1e6:7.1f} M point-steps/s"
              f"   plain loop x -= lr*grad(x)   (wall {w_floor:.3f} s)")
        print(f"      ratio run()/floor {t_adam / t_floor:8.2f} x")

    print(f"(b, c) Adam on Rosenbrock, {args.starts:,} starts x {args.steps} steps, and the floor:")
    throughput("(b,c)")
    if tune_malloc():
        print("(d) the same after mallopt(M_MMAP_THRESHOLD=32 MB, M_TRIM_THRESHOLD=1 GB):")
        throughput("(d)")

if __name__ == "__main__":
    main()
