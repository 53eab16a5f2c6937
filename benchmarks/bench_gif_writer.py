"""Benchmark: the project's GIF encoder against the same GIF written through imageio
(not a test: it asserts nothing, it prints).

    pip install imageio     # not a dependency of the project: only this comparison needs it
    python benchmarks/bench_gif_writer.py [--frames 150] [--repeat 3] [--no-default]

The question (issue 10, "The GIF writer"): can the GIF writing go through imageio --
keeping one global palette and changed-region frames -- within 1.5x of the project's
encode time and file size? The answer decides whether imageio is a dependency.

Every writer gets the same input: the frames of four of the pipeline's animations
(``TrajectoryAnimation`` at its defaults, 800 x 600 px, 150 frames, the surfaces'
hand-picked settings from ``build_assets/experiments.yml``), rendered once beforehand and
held in memory, and the same global palette (``build_palette``). Timed, per animation,
is everything from RGBA frames to the file:

- **project** -- ``build_assets.render.gif.write_gif``: frames mapped by ``PaletteMapper``;
  per frame the bounding box of the changed palette indices, unchanged pixels in it
  transparent (index 255), each rectangle compressed by Pillow's GIF frame encoder.
- **imageio** -- ``imageio.v3`` and its Pillow plugin (imageio has no GIF encoder of its
  own; it hands the frames to Pillow's ``save``): the frames mapped by the same
  ``PaletteMapper`` and given as palette-index images, with the global palette
  (``palette=``), ``transparency=255`` and ``optimize=True`` -- the options that make
  Pillow store the changed rectangle with unchanged pixels transparent, under one global
  colour table. The same file structure; the pixels decode identically (checked).
- **imageio, default** (unless ``--no-default``) -- ``iio.imwrite`` of the RGB frames with
  only ``duration`` and ``loop``: Pillow then picks a palette per frame. Shown for scale
  (one timing, not a median).

Each writer encodes each animation ``--repeat`` times, alternating, and the median CPU
time of this process is used. Times are printed as ratios against the project's encoder
measured in the same run (its milliseconds per frame alongside, for orientation only),
sizes in bytes and as ratios.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import PIL  # noqa: E402
from PIL import Image  # noqa: E402

try:
    import imageio
    import imageio.v3 as iio
except ImportError:  # pragma: no cover
    sys.exit("imageio is not a dependency of the project (docs/building.md says why); "
             "this comparison needs it: pip install imageio")

from build_assets import config, figures  # noqa: E402
from build_assets.render.animate import TrajectoryAnimation  # noqa: E402
from build_assets.render.gif import TRANSPARENT, PaletteMapper, build_palette, write_gif  # noqa: E402
from optimizers import SURFACES  # noqa: E402

LIMIT = 1.5  # the threshold, for time and for size
ANIMATIONS = (("saddle", "3d"), ("saddle", "contour"), ("beale", "contour"), ("rosenbrock", "3d"))


def animation_frames(surface_key: str, view: str, max_frames: int):
    """The frames (RGBA copies), durations and palette of one of the pipeline's
    animations: the surface's hand-picked settings from experiments.yml."""
    exp = config.load(ROOT / "build_assets" / "experiments.yml").surfaces[surface_key]
    runs = figures._runs(Path(tempfile.gettempdir()), surface_key, exp.start, exp.steps, exp.seed, "seed")
    anim = TrajectoryAnimation(SURFACES[surface_key], runs, view, max_frames=max_frames)
    try:
        frames = [anim.draw_frame(i).copy() for i in range(len(anim.steps))]
        palette = build_palette([anim.background_rgba, frames[-1]], anim.reserved_colors())
        durations = anim.durations_ms()
    finally:
        anim.close()
    return frames, durations, palette


def write_with_project(path: Path, frames, durations, palette) -> None:
    write_gif(path, frames, durations, loop=0, mapper=PaletteMapper(palette))


def write_with_imageio(path: Path, frames, durations, palette) -> None:
    """The same GIF through imageio: mapped frames as palette indices, one global
    palette, changed rectangles with unchanged pixels transparent."""
    mapper = PaletteMapper(palette)
    table = np.zeros((256, 3), np.uint8)
    table[: len(palette)] = palette
    # Pillow remaps every frame to the given palette by colour; entries equal to an
    # earlier one would be moved: make the unused padding entries distinct.
    pad = np.arange(256 - len(palette), dtype=np.uint32) + 1
    table[len(palette):] = np.stack([pad & 0xFF, (pad >> 8) & 0xFF, np.ones_like(pad)], axis=1)
    options = {"duration": [max(20, round(d / 10) * 10) for d in durations], "loop": 0,
               "palette": table.tobytes(), "transparency": TRANSPARENT, "optimize": True}
    with open(path, "wb") as f, iio.imopen(f, "w", plugin="pillow", extension=".gif") as out:
        for frame in frames:  # collected by the plugin, saved by Pillow on close
            out.write(mapper(frame), is_batch=False, **options)


def write_with_imageio_default(path: Path, frames, durations, palette) -> None:
    """imageio's plain call: RGB frames; Pillow picks a palette per frame."""
    iio.imwrite(path, [f[:, :, :3] for f in frames], plugin="pillow", extension=".gif",
                duration=durations, loop=0)


def decoded(path: Path) -> list[np.ndarray]:
    out = []
    with Image.open(path) as im:
        for i in range(im.n_frames):
            im.seek(i)
            out.append(np.asarray(im.convert("RGB")).copy())
    return out


def cpu_time(write, path, *args) -> float:
    t0 = time.process_time()
    write(path, *args)
    return time.process_time() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=150, help="frames per animation (the pipeline's default)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-default", action="store_true", help="skip imageio's default (slow) call")
    args = ap.parse_args()
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, Pillow {PIL.__version__}, "
          f"imageio {imageio.__version__}; {args.frames} frames per animation, 800 x 600; "
          f"median of {args.repeat} CPU timings")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for surface_key, view in ANIMATIONS:
            frames, durations, palette = animation_frames(surface_key, view, args.frames)
            a, b, c = tmp / "project.gif", tmp / "imageio.gif", tmp / "default.gif"
            ta, tb = [], []
            for _ in range(args.repeat):
                ta.append(cpu_time(write_with_project, a, frames, durations, palette))
                tb.append(cpu_time(write_with_imageio, b, frames, durations, palette))
            row = {"name": f"{surface_key} {view}", "n": len(frames),
                   "ta": statistics.median(ta), "tb": statistics.median(tb),
                   "sa": a.stat().st_size, "sb": b.stat().st_size}
            da, db = decoded(a), decoded(b)
            row["same"] = len(da) == len(db) and all(np.array_equal(x, y) for x, y in zip(da, db))
            if not args.no_default:
                row["tc"] = cpu_time(write_with_imageio_default, c, frames, durations, palette)
                row["sc"] = c.stat().st_size
            rows.append(row)

    print()
    head = (f"{'animation':<16} {'frames':>6} {'project':>9} {'project':>10} | {'imageio':>8} "
            f"{'imageio':>8} {'same':>6}")
    unit = f"{'':<16} {'':>6} {'ms/frame':>9} {'bytes':>10} | {'time':>8} {'size':>8} {'pixels':>6}"
    if not args.no_default:
        head += f" | {'default':>8} {'default':>8}"
        unit += f" | {'time':>8} {'size':>8}"
    print(head)
    print(unit)
    for r in rows:
        line = (f"{r['name']:<16} {r['n']:>6} {1000 * r['ta'] / r['n']:>9.2f} {r['sa']:>10,} | "
                f"{r['tb'] / r['ta']:>7.2f}x {r['sb'] / r['sa']:>7.2f}x {'yes' if r['same'] else 'NO':>6}")
        if "tc" in r:
            line += f" | {r['tc'] / r['ta']:>7.1f}x {r['sc'] / r['sa']:>7.1f}x"
        print(line)
    t_ratio = sum(r["tb"] for r in rows) / sum(r["ta"] for r in rows)
    s_ratio = sum(r["sb"] for r in rows) / sum(r["sa"] for r in rows)
    print()
    print(f"imageio with the global palette: {t_ratio:.2f}x the project's encode time, {s_ratio:.2f}x "
          f"its bytes (limit {LIMIT}x each): "
          + ("within the limit" if t_ratio <= LIMIT and s_ratio <= LIMIT else "outside the limit"))
    if all("tc" in r for r in rows):
        tc = sum(r["tc"] for r in rows) / sum(r["ta"] for r in rows)
        sc = sum(r["sc"] for r in rows) / sum(r["sa"] for r in rows)
        print(f"imageio's default call (a palette per frame): {tc:.1f}x the time, {sc:.1f}x the bytes")


if __name__ == "__main__":
    main()
