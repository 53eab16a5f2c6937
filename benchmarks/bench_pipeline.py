"""Benchmark of the figure pipeline (not a test: it asserts nothing, it prints).

    python benchmarks/bench_pipeline.py [--seed-frames 60] [--skip-build]

(a) the seed material's way: matplotlib ``FuncAnimation`` over a 3-D ``plot_surface`` of
    the saddle -x1^2/2 + x2^2 on [-1, 2] x [-1, 1], 800 x 600 px, one frame per step of
    six optimizers' 500-step runs (SGD lr 0.05 from (1e-5, 0.5) and the other seed
    settings), full redraw per frame, saved with ``PillowWriter``. Only the first
    --seed-frames frames are rendered; the per-frame cost is extrapolated to 500 frames.
(b) this pipeline making the same animation: ``render_animation`` with max_frames=500,
    the same runs and pixel size; per frame, and the ratio (a)/(b) (target >= 20x).
(c) the GIF-encode floor: frames of (b) rendered beforehand, then encoded with one global
    palette by ``build_assets.render.gif`` (palette, mapper, writer); per frame, and the
    ratio of (b)'s steady per-frame cost to it (target <= 3x).
(d) a cold build of every asset, ``python -m build_assets --force --out <tmp>`` in a
    subprocess with the default --jobs (target <= 60 s wall).
(e) a warm build with nothing changed, in a new process (target <= 1 s wall), checking
    in that process that matplotlib was never imported.

(a)-(c) run in this process and are timed in CPU seconds of this process (robust when
the machine is shared), wall-clock alongside; (d) and (e) are wall-clock by nature, with
the CPU seconds of the subprocess tree alongside.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.animation import FuncAnimation, PillowWriter  # noqa: E402

from build_assets.render.animate import TrajectoryAnimation, render_animation  # noqa: E402
from build_assets.render.gif import PaletteMapper, build_palette, write_gif  # noqa: E402
from build_assets.render.style import make_run  # noqa: E402
from optimizers import SURFACES, make, run  # noqa: E402

STEPS = 500
START = (1e-5, 0.5)
WIDTH, HEIGHT, DPI = 800, 600, 100
FPS = 20
# The seed material's saddle settings (eps 1e-7 for the adaptive ones): six lines.
SEED = {
    "sgd": {"lr": 0.05},
    "momentum": {"lr": 0.05, "momentum": 0.9},
    "nesterov": {"lr": 0.01, "momentum": 0.9},
    "adagrad": {"lr": 0.05, "eps": 1e-7},
    "rmsprop": {"lr": 0.05, "eps": 1e-7},
    "adam": {"lr": 0.05, "eps": 1e-7},
}
TARGET_SPEEDUP = 20.0
TARGET_FLOOR_RATIO = 3.0
TARGET_COLD_S = 60.0
TARGET_WARM_S = 1.0


class Timer:
    def __enter__(self):
        self.cpu0, self.wall0 = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.cpu = time.process_time() - self.cpu0
        self.wall = time.perf_counter() - self.wall0


def trajectories():
    saddle = SURFACES["saddle"]
    return {name: run(make(name, **hp), saddle, START, STEPS) for name, hp in SEED.items()}


# ----------------------------------------------------------------------------------------
# (a) the seed material's way
# ----------------------------------------------------------------------------------------

def seed_way(trajs, frames: int, out: Path) -> dict:
    def f(x1, x2):
        return -x1 ** 2 / 2 + x2 ** 2

    with Timer() as setup:
        fig = plt.figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
        ax = fig.add_subplot(projection="3d")
        x1, x2 = np.meshgrid(np.linspace(-1, 2, 100), np.linspace(-1, 1, 100))
        ax.plot_surface(x1, x2, f(x1, x2), cmap="viridis", alpha=0.7)
        ax.set_xlim(-1, 2)
        ax.set_ylim(-1, 1)
        ax.set_zlim(-2, 1)
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
        ax.set_title("Saddle point")
        lines = []
        for name, traj in trajs.items():
            (line,) = ax.plot([], [], [], label=name, linewidth=2)
            lines.append((line, traj.points))
        ax.legend(loc="upper left")

        def update(i):
            for line, p in lines:
                line.set_data(p[: i + 1, 0], p[: i + 1, 1])
                line.set_3d_properties(f(p[: i + 1, 0], p[: i + 1, 1]))
            return [line for line, _ in lines]

        anim = FuncAnimation(fig, update, frames=frames, interval=1000 / FPS, blit=False)
    with Timer() as save:
        anim.save(out, writer=PillowWriter(fps=FPS))
    plt.close(fig)
    return {"frames": frames, "setup_cpu": setup.cpu, "per_frame_cpu": save.cpu / frames,
            "per_frame_wall": save.wall / frames, "bytes": out.stat().st_size}


# ----------------------------------------------------------------------------------------
# (b) this pipeline, (c) the encode floor
# ----------------------------------------------------------------------------------------

def runs_of(trajs):
    return [make_run(name, t.points, int(t.diverged_at)) for name, t in trajs.items()]


def pipeline_way(trajs, out: Path) -> dict:
    with Timer() as total:
        result = render_animation(out, SURFACES["saddle"], runs_of(trajs), "3d", max_frames=STEPS,
                                  width_px=WIDTH, height_px=HEIGHT)
    n = result.n_frames
    return {"frames": n, "cpu": total.cpu, "per_frame_cpu": total.cpu / n, "per_frame_wall": total.wall / n,
            "reported_ms": result.ms_per_frame, "bytes": result.n_bytes}


def encode_floor(trajs, out: Path, count: int = 120) -> dict:
    """Encode ``count`` consecutive frames of (b), rendered beforehand, with one global palette.
    Also times the set-up of (b) alone (figure, background, projection)."""
    with Timer() as setup:
        anim = TrajectoryAnimation(SURFACES["saddle"], runs_of(trajs), "3d", max_frames=STEPS,
                                   width_px=WIDTH, height_px=HEIGHT)
    first = (len(anim.steps) - count) // 2
    frames = [anim.draw_frame(i).copy() for i in range(first, first + count)]
    background, final = anim.background_rgba, anim.draw_frame(len(anim.steps) - 1).copy()
    reserved = anim.reserved_colors()
    anim.close()
    with Timer() as t:
        palette = build_palette([background, final], reserved)
        write_gif(out, frames, 1000 / FPS, loop=0, mapper=PaletteMapper(palette))
    return {"frames": count, "per_frame_cpu": t.cpu / count, "per_frame_wall": t.wall / count,
            "setup_cpu": setup.cpu}


# ----------------------------------------------------------------------------------------
# (d) cold build, (e) warm build
# ----------------------------------------------------------------------------------------

WARM_SCRIPT = """
import json, sys, time
t0 = time.perf_counter()
from build_assets.cli import main
status = main(["--out", sys.argv[1]])
print(json.dumps({"status": status, "main_s": time.perf_counter() - t0,
                  "matplotlib": "matplotlib" in sys.modules,
                  "plotting": sorted(m for m in sys.modules if m.split(".")[0] in ("matplotlib", "PIL"))}))
"""


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cold_build(out: Path) -> dict:
    cpu0, t0 = children_cpu(), time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "build_assets", "--force", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    return {"status": proc.returncode, "wall": wall, "cpu": children_cpu() - cpu0,
            "summary": proc.stdout.strip().splitlines(), "stderr": proc.stderr.strip()[-2000:],
            "files": sum(1 for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))}


def warm_build(out: Path) -> dict:
    cpu0, t0 = children_cpu(), time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", WARM_SCRIPT, str(out)], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    *summary, last = proc.stdout.strip().splitlines() or [""]
    try:
        report = json.loads(last)
    except ValueError:
        report = {"status": proc.returncode, "matplotlib": None, "plotting": []}
    written = sum(int(line.split(": ", 1)[1].split(" files written")[0]) for line in summary
                  if " files written, " in line)
    return {**report, "wall": wall, "cpu": children_cpu() - cpu0, "written": written, "summary": summary,
            "stderr": proc.stderr.strip()[-2000:]}


# ----------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--seed-frames", type=int, default=60, help="frames of (a) actually rendered")
    parser.add_argument("--skip-build", action="store_true", help="skip (d) and (e)")
    args = parser.parse_args()

    print(f"Python {platform.python_version()}, matplotlib {matplotlib.__version__}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    trajs = trajectories()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_pipeline_") as tmp:
        tmp = Path(tmp)

        a = seed_way(trajs, args.seed_frames, tmp / "seed.gif")
        a_total = a["setup_cpu"] + STEPS * a["per_frame_cpu"]
        print(f"(a) seed way: {a['frames']} of {STEPS} frames rendered: "
              f"{a['per_frame_cpu'] * 1000:.1f} ms CPU/frame ({a['per_frame_wall'] * 1000:.1f} ms wall), "
              f"setup {a['setup_cpu']:.2f} s; extrapolated to {STEPS} frames: {a_total:.1f} s "
              f"({a_total / STEPS * 1000:.1f} ms/frame incl. setup)")

        b = pipeline_way(trajs, tmp / "ours.gif")
        print(f"(b) pipeline: {b['frames']} frames: {b['per_frame_cpu'] * 1000:.1f} ms CPU/frame incl. setup "
              f"({b['per_frame_wall'] * 1000:.1f} ms wall; RenderResult.ms_per_frame {b['reported_ms']:.1f}), "
              f"{b['bytes'] / 1e6:.2f} MB")
        speedup = (a_total / STEPS) / b["per_frame_cpu"]

        c = encode_floor(trajs, tmp / "floor.gif")
        steady = (b["cpu"] - c["setup_cpu"]) / b["frames"]
        print(f"    (b) set-up {c['setup_cpu']:.2f} s CPU; steady state (draw + map + encode) "
              f"{steady * 1000:.1f} ms CPU/frame")
        print(f"    (a)/(b) per frame, both incl. set-up: {speedup:.0f}x; "
              f"steady state only: {a['per_frame_cpu'] / steady:.0f}x")
        rows.append(("(a)/(b) speed-up, per frame", f"{speedup:.0f}x", f">= {TARGET_SPEEDUP:.0f}x",
                     speedup >= TARGET_SPEEDUP))
        ratio = steady / c["per_frame_cpu"]
        print(f"(c) encode floor: {c['frames']} pre-rendered frames of (b), one global palette: "
              f"{c['per_frame_cpu'] * 1000:.2f} ms CPU/frame ({c['per_frame_wall'] * 1000:.2f} ms wall); "
              f"(b) steady / floor = {ratio:.2f}x")
        rows.append(("(b) steady per frame / encode floor", f"{ratio:.2f}x", f"<= {TARGET_FLOOR_RATIO:.0f}x",
                     ratio <= TARGET_FLOOR_RATIO))

        if not args.skip_build:
            out = tmp / "generated"
            d = cold_build(out)
            print(f"(d) cold build (--force, default jobs = {os.cpu_count()}): status {d['status']}, "
                  f"{d['wall']:.1f} s wall, {d['cpu']:.1f} s CPU (all processes), {d['files']} files")
            for line in d["summary"]:
                print(f"      {line}")
            if d["status"]:
                print(d["stderr"])
            rows.append(("(d) cold full build", f"{d['wall']:.1f} s", f"<= {TARGET_COLD_S:.0f} s",
                         d["status"] == 0 and d["wall"] <= TARGET_COLD_S))

            e = warm_build(out)
            if e.get("written"):
                print(f"    warm build rewrote {e['written']} files (sources edited since (d)?); once more:")
                e = warm_build(out)
            print(f"(e) warm build, nothing changed: status {e['status']}, {e['wall']:.2f} s wall "
                  f"(main() {e.get('main_s', float('nan')):.2f} s), {e['cpu']:.2f} s CPU, "
                  f"{e['written']} files written, matplotlib imported: {e['matplotlib']}")
            if e["plotting"]:
                print(f"      plotting modules imported: {', '.join(e['plotting'][:8])} ...")
            rows.append(("(e) warm no-change build", f"{e['wall']:.2f} s", f"<= {TARGET_WARM_S:.0f} s",
                         e["status"] == 0 and e["written"] == 0 and e["wall"] <= TARGET_WARM_S))
            rows.append(("(e) matplotlib not imported", str(not e["matplotlib"]), "True",
                         e["matplotlib"] is False))

    print()
    print(f"{'figure':<38} {'value':>10} {'target':>10}  result")
    for name, value, target, ok in rows:
        print(f"{name:<38} {value:>10} {target:>10}  {'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
