"""Benchmark: Lighthouse (mobile) on the built site (not a test: it asserts nothing, it prints).

    npm ci                                   # Lighthouse 12.8.2 is a pinned devDependency
    python -m mkdocs build --strict          # the site into site/
    python benchmarks/lighthouse.py [--site site] [--runs 3] [--page optimizers/adam/ ...] [--no-gzip]

Serves ``site/`` on 127.0.0.1 with gzip for text files, as GitHub Pages serves it (without
it a phone on slow 4G would wait ~0.7 s for Material's uncompressed stylesheet alone; the
server sends no cache headers, so ignore the "cache TTL" finding), and runs
Lighthouse from ``node_modules`` with Debian's Chromium (``$CHROME_PATH``, default
/usr/bin/chromium) in its default mode: a mid-range phone on a slow 4G network (simulated
throttling).  Scores swing by ±15 between identical runs on a busy 2-core machine, so each
page is run ``--runs`` times (default 3) and the median of each figure is printed:
performance and accessibility scores, LCP, CLS, and the page weight (all bytes the page
loads, and how much of it is HTML, script, images, fonts, CSS).  Below the table, per page:
the other metrics (FCP, Speed Index, TBT), the LCP element, the render-blocking resources, the failing accessibility audits and the
largest savings Lighthouse suggests (from the run with the median performance score).

Targets (issue 10): performance >= 90, accessibility 100, LCP <= 2.5 s, CLS <= 0.1.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage "
                "--disable-background-networking --disable-component-update --no-first-run")
# Home, a surface, an optimizer and the CS231n page; then, as the baseline measured in the
# same run, the theme's 404 page: Material's CSS and JavaScript and no content, so what a
# page scores below it comes from its content, and what the 404 page loses from 100 comes
# from the theme and from how busy the machine is (TBT, LCP grow with the CPU load).
DEFAULT_PAGES = ("", "surfaces/rastrigin/", "optimizers/adam/", "cs231n/", "404.html")
RESOURCE_TYPES = ("document", "script", "image", "font", "stylesheet")


COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text ones gzip-compressed when the client accepts it."""

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        kind = self.guess_type(str(path))
        if (not self.server.gzip or not path.is_file() or not kind.startswith(COMPRESSED_TYPES)
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().do_GET()
        body = _gzipped(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@functools.cache
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


def serve(site: Path, compress: bool) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.gzip = compress
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def run_lighthouse(url: str) -> dict:
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    proc = subprocess.run(
        ["node", str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
         "--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}"],
        capture_output=True, text=True, env=env, cwd=ROOT)
    if proc.returncode != 0:
        sys.exit(f"lighthouse failed on {url} (exit {proc.returncode}): {proc.stderr.strip()[-500:]}")
    return json.loads(proc.stdout)


def figures(report: dict) -> dict:
    """The figures of one run that the table shows."""
    audits = report["audits"]
    weights = {item["resourceType"]: item["transferSize"]
               for item in audits["resource-summary"]["details"]["items"]}
    return {
        "performance": round(100 * report["categories"]["performance"]["score"]),
        "accessibility": round(100 * report["categories"]["accessibility"]["score"]),
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "total_kb": audits["total-byte-weight"]["numericValue"] / 1024,
        **{f"{kind}_kb": weights.get(kind, 0) / 1024 for kind in RESOURCE_TYPES},
    }


def findings(report: dict) -> list[str]:
    """What Lighthouse blames, for the notes under the table."""
    audits = report["audits"]
    notes = ["other metrics: " + ", ".join(
        f"{name} {audits[audit]['displayValue']}" for name, audit in (
            ("FCP", "first-contentful-paint"), ("Speed Index", "speed-index"), ("TBT", "total-blocking-time")))]
    lcp_items = audits.get("largest-contentful-paint-element", {}).get("details", {}).get("items", [])
    for item in lcp_items[:1]:
        node = (item.get("items") or [{}])[0].get("node", {}) if "items" in item else item.get("node", {})
        if node:
            notes.append(f"LCP element: {node.get('selector', '')[-60:]} \"{node.get('nodeLabel', '')[:70]}\"")
    blocking = audits.get("render-blocking-resources", {}).get("details", {}).get("items", [])
    notes += [f"render-blocking: {i['url'].split('/', 3)[-1]} ({i.get('wastedMs', 0):.0f} ms)" for i in blocking]
    failing = [ref["id"] for ref in report["categories"]["accessibility"]["auditRefs"]
               if ref["weight"] and audits[ref["id"]].get("score") not in (None, 1)]
    if failing:
        notes.append("accessibility fails: " + ", ".join(failing))
    savings = sorted(((a.get("details", {}).get("overallSavingsBytes", 0), a["id"])
                      for a in audits.values() if a.get("details", {}).get("type") == "opportunity"),
                     reverse=True)
    notes += [f"saving: {audit_id} {nbytes / 1024:.0f} KiB" for nbytes, audit_id in savings[:3] if nbytes > 10240]
    return notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default: site/)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--page", action="append", dest="pages",
                        help="page path relative to the site root, repeatable (default: four pages and 404.html)")
    parser.add_argument("--no-gzip", action="store_true",
                        help="serve uncompressed, as plain http.server does (how issue 10 measured)")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.is_file():
        sys.exit("Lighthouse is missing: run `npm ci`")
    if not (args.site / "index.html").is_file():
        sys.exit(f"{args.site}/index.html not found: build the site first (python -m mkdocs build)")

    server, base = serve(args.site, compress=not args.no_gzip)
    try:
        results, loads, bench = {}, [], []
        for page in args.pages or DEFAULT_PAGES:
            reports = []
            for _ in range(args.runs):
                loads.append(os.getloadavg()[0])
                reports.append(run_lighthouse(base + page))
                bench.append(reports[-1]["environment"]["benchmarkIndex"])
            runs = [figures(r) for r in reports]
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            by_score = sorted(range(len(runs)), key=lambda i: runs[i]["performance"])
            results[page or "(home)"] = (median, findings(reports[by_score[len(runs) // 2]]))
    finally:
        server.shutdown()

    print(f"load average at the start of the runs: median {statistics.median(loads):.1f} "
          f"on {os.cpu_count()} cores; Lighthouse's CPU benchmark index: median "
          f"{statistics.median(bench):.0f} (it slows the CPU down 4x on top of that)")
    print(f"Lighthouse 12.8.2, mobile, median of {args.runs} runs per page, "
          f"{'uncompressed' if args.no_gzip else 'gzip'} "
          "(targets: performance >= 90, accessibility 100, LCP <= 2.5 s, CLS <= 0.1)\n")
    header = (f"{'page':<22}{'perf':>5}{'a11y':>5}{'LCP s':>7}{'CLS':>7}{'total KiB':>10}"
              + "".join(f"{kind[:6]:>8}" for kind in RESOURCE_TYPES))
    print(header)
    for page, (m, _) in results.items():
        print(f"{page:<22}{m['performance']:>5.0f}{m['accessibility']:>5.0f}{m['lcp_s']:>7.2f}{m['cls']:>7.3f}"
              f"{m['total_kb']:>10.0f}" + "".join(f"{m[kind + '_kb']:>8.0f}" for kind in RESOURCE_TYPES))
    for page, (_, notes) in results.items():
        print(f"\n{page}:")
        for note in notes:
            print(f"  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
