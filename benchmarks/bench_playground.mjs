// Benchmark of the playground (not a test: it asserts nothing, it prints).
//
//     node benchmarks/bench_playground.mjs [--repeat 21]      (after `python -m build_assets`)
//
// (a) what a slider move costs: recomputing all 11 optimizers' runs on a surface for a
//     1,000-step budget, continued to the horizon the outcome definitions need
//     (HORIZON_FACTOR × 1,000 steps) and classified — the median of --repeat runs, per surface
//     (target: ≤ 5 ms on a 2-core machine);
// (b) the floor for (a), measured in the same run: the same number of gradient evaluations
//     in a bare loop (x ← x − 0.001·∇f(x)), and the ratio of (a) to it;
// (c) the page's own JavaScript: the bundle's size, raw and gzipped (target: ≤ 150 KB gzipped;
//     the bundle is made by `python -m build_assets.bundle`).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

import { SURFACES, atlas, classify, horizonFor, run } from "../playground/src/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BUNDLE = path.join(ROOT, "docs/assets/vendor/playground/playground.js");
const BUDGET = 1000;
const repeatArg = process.argv.indexOf("--repeat");
const REPEAT = repeatArg > 0 ? Number(process.argv[repeatArg + 1]) : 21;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function time(work) {
  work(); // warm-up: compile before measuring
  const times = [];
  for (let i = 0; i < REPEAT; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return median(times);
}

function recomputeAll(key) {
  const setting = atlas.settings[key];
  const horizon = horizonFor(BUDGET);
  for (const name of Object.keys(atlas.optimizers)) {
    const r = run(name, setting?.seed[name] ?? {}, key, setting?.start ?? SURFACES[key].start, horizon);
    classify(r.points, r.losses, r.divergedAt, SURFACES[key], BUDGET);
  }
}

function bareLoop(key) {
  const surface = SURFACES[key];
  let x = [...surface.start];
  const evaluations = Object.keys(atlas.optimizers).length * horizonFor(BUDGET);
  for (let i = 0; i < evaluations; i++) {
    const g = surface.grad(x);
    x = [x[0] - 0.001 * g[0], x[1] - 0.001 * g[1]];
    if (!(Math.abs(x[0]) < 1e6)) x = [...surface.start];
  }
  return x;
}

console.log(`(a) all ${Object.keys(atlas.optimizers).length} runs for a ${BUDGET}-step budget, to step ${horizonFor(BUDGET)}, classified: median of ${REPEAT}`);
console.log("    surface                  (a) ms   (b) bare loop ms   (a)/(b)");
for (const key of Object.keys(SURFACES)) {
  const all = time(() => recomputeAll(key));
  const floor = time(() => bareLoop(key));
  console.log(`    ${key.padEnd(24)} ${all.toFixed(2).padStart(6)}   ${floor.toFixed(2).padStart(16)}   ${(all / floor).toFixed(1).padStart(7)}`);
}
if (fs.existsSync(BUNDLE)) {
  const bytes = fs.readFileSync(BUNDLE);
  const gzipped = zlib.gzipSync(bytes, { level: 9 }).length;
  console.log(`(c) bundle ${path.relative(ROOT, BUNDLE)}: ${(bytes.length / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
} else {
  console.log(`(c) no bundle at ${path.relative(ROOT, BUNDLE)}: run \`python -m build_assets.bundle\``);
}
