"""Benchmark of the Playground page in headless Chromium (not a test: it prints).

    python benchmarks/bench_playground_page.py [--site DIR] [--seconds 3]

(a) frame time while playing: all 11 optimizers on Rosenbrock (1,000-step budget) played at
    120 steps/s; the intervals between animation frames over --seconds, median and 95th
    percentile (60 frames per second is 16.7 ms), and the same for a frame that changes one
    canvas fill (the baseline of this browser and machine, in the same run). The intervals
    come in whole frames; the main thread's busy time per frame (Chromium's TaskDuration,
    with its script and layout parts) says how much of the 16.7 ms a frame uses;
(b) cold load weight of the Playground next to other pages: bytes of every response the
    page loads with an empty cache (uncompressed: Python's server sends no gzip).

--site: a built site (default: `mkdocs build` into a temporary directory, which runs the
cache-aware figure pipeline and bundles the playground).
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "site"))
from served_site import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PAGES = ("", "surfaces/rosenbrock/", "optimizers/adam/", "playground/")
# Frame intervals over `seconds`; with `touch`, a canvas of the plot's size filled every frame
# (the baseline: what this browser needs for a frame that draws next to nothing).
FRAMES = """async ([seconds, touch]) => {
  const times = [];
  const dot = document.body.appendChild(document.createElement("canvas"));
  dot.width = 600; dot.height = 400;
  dot.style.cssText = "position:fixed;left:0;top:0;z-index:10";
  const ctx = dot.getContext("2d");
  await new Promise((done) => {
    const end = performance.now() + seconds * 1000;
    const tick = (now) => {
      times.push(now);
      if (touch) { ctx.fillStyle = times.length % 2 ? "#000" : "#fff"; ctx.fillRect(0, 0, 600, 400); }
      if (now < end) requestAnimationFrame(tick); else done();
    };
    requestAnimationFrame(tick);
  });
  return times.slice(1).map((t, i) => t - times[i]);
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


def _serve(root: Path):
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _summary(intervals: list[float]) -> str:
    ordered = sorted(intervals)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"median {statistics.median(ordered):5.1f} ms, 95th percentile {p95:5.1f} ms, {len(ordered)} frames"


BUSY = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")


def _frames(page, cdp, seconds: float, touch: bool) -> tuple[list[float], dict[str, float]]:
    """Frame intervals over `seconds`, and the main thread's busy ms per frame (CDP metrics)."""
    def busy() -> dict[str, float]:
        return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] in BUSY}
    before = busy()
    intervals = page.evaluate(FRAMES, [seconds, touch])
    after = busy()
    return intervals, {name: 1000 * (after[name] - before[name]) / len(intervals) for name in BUSY}


def _busy(per_frame: dict[str, float]) -> str:
    return (f"main thread busy {per_frame['TaskDuration']:4.1f} ms per frame (script {per_frame['ScriptDuration']:.1f}, "
            f"layout {per_frame['LayoutDuration']:.1f}, style {per_frame['RecalcStyleDuration']:.1f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)], cwd=ROOT,
                           check=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
        server, base = _serve(site)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + "playground/")
            page.wait_for_function("window.OptimizerAtlas && window.OptimizerAtlas.widget")
            everyone = ",".join(page.evaluate("Object.keys(window.OptimizerAtlas.OPTIMIZERS)"))
            page.goto(base + f"playground/?surface=rosenbrock&on={everyone}&steps=1000")
            page.wait_for_function("window.OptimizerAtlas && window.OptimizerAtlas.widget")
            page.select_option("#oa-pg-speed", "120")
            page.get_by_role("button", name="Reset").click()
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            page.get_by_role("button", name="▶ Play").click()
            playing, playing_busy = _frames(page, cdp, args.seconds, False)
            page.get_by_role("button", name="❚❚ Pause").click()
            idle, idle_busy = _frames(page, cdp, args.seconds, True)  # same page, warmed up, paused
            print("(a) frame intervals in headless Chromium (software rendering)")
            print(f"    baseline, one canvas fill:      {_summary(idle)}")
            print(f"                                    {_busy(idle_busy)}")
            print(f"    playing 11 runs at 120 steps/s: {_summary(playing)}")
            print(f"                                    {_busy(playing_busy)}")
            print("(b) cold load weight (bytes of all responses, empty cache)")
            for rel in PAGES:
                context = browser.new_context()
                fresh = context.new_page()
                sizes = []
                fresh.on("response", lambda r: sizes.append(int(r.headers.get("content-length", 0))) if r.ok else None)
                fresh.goto(base + rel, wait_until="networkidle")
                print(f"    /{rel:<24} {sum(sizes) / 1024:8.1f} KB in {len(sizes)} responses")
                context.close()
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
