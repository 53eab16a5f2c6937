// Benchmark of the playground (not a test: it asserts nothing, it prints).
//
//     node benchmarks/bench_playground.mjs [--repeat 41]      (after `python -m build_assets`)
//
// Timed as the page computes (playground/src/page/compute.js: typed arrays reused from the
// runs they replace), for a 1,000-step budget continued to the horizon the outcome
// definitions need (HORIZON_FACTOR × 1,000 steps) and classified; medians of --repeat, per
// surface, of the hand-picked settings:
// (a) all 11 optimizers recomputed, as after the start moves or the budget changes
//     (target: ≤ 5 ms on a 2-core machine);
// (a1) one optimizer recomputed, as after a slider move (the others are kept);
// (b) a baseline measured in the same run, for a shared machine: the same number of steps
//     as (a) of a bare loop, one gradient and one f per step (x ← x − 0.001·∇f(x)), and the
//     ratio (a)/(b);
// (c) the page's own JavaScript: the bundle's size, raw and gzipped (target: ≤ 150 KB gzipped;
//     the bundle is made by `python -m build_assets.bundle`).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

import { SURFACES, atlas, horizonFor } from "../playground/src/index.js";
import { createRunCache } from "../playground/src/page/compute.js";
import { presetHparams } from "../playground/src/page/state.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BUNDLE = path.join(ROOT, "docs/assets/vendor/playground/playground.js");
const BUDGET = 1000;
const NAMES = Object.keys(atlas.optimizers);
const repeatArg = process.argv.indexOf("--repeat");
const REPEAT = repeatArg > 0 ? Number(process.argv[repeatArg + 1]) : 41;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median time of `work(i)` over REPEAT calls, after REPEAT warm-up calls (compiled code). */
function time(work) {
  for (let i = 0; i < REPEAT; i++) work(i);
  const times = [];
  for (let i = 0; i < REPEAT; i++) {
    const started = performance.now();
    work(i);
    times.push(performance.now() - started);
  }
  return median(times);
}

function pageState(key) {
  const setting = atlas.settings[key];
  return { surface: key, on: NAMES, hparams: presetHparams(key, "seed"),
    start: [...(setting?.start ?? SURFACES[key].start)], budget: BUDGET };
}

/** (a): each call moves the start by a hair, so every run is recomputed. */
function allRuns(key) {
  const computeRuns = createRunCache(), state = pageState(key), [x1, x2] = state.start;
  return (i) => computeRuns({ ...state, start: [x1 + (i % 2) * 1e-9, x2] });
}

/** (a1): each call moves one optimizer's learning rate (Adam's) by a hair. */
function oneSlider(key) {
  const computeRuns = createRunCache(), state = pageState(key), lr = state.hparams.adam.lr;
  computeRuns(state);
  return (i) => computeRuns({ ...state, hparams: { ...state.hparams, adam: { ...state.hparams.adam, lr: lr * (1 + (i % 2) * 1e-9) } } });
}

/** (b): as many steps as (a) of a bare loop, one gradient and one f per step. */
function bareLoop(key) {
  const surface = SURFACES[key], start = pageState(key).start;
  const x = [...start], g = [0, 0];
  return () => {
    let sum = 0;
    for (let i = 0; i < NAMES.length * horizonFor(BUDGET); i++) {
      surface.gradInto(x, g);
      x[0] -= 0.001 * g[0];
      x[1] -= 0.001 * g[1];
      sum += surface.value(x);
      if (!(Math.abs(x[0]) < 1e6 && Math.abs(x[1]) < 1e6)) [x[0], x[1]] = start;
    }
    return sum;
  };
}

console.log(`${NAMES.length} runs of a ${BUDGET}-step budget, to step ${horizonFor(BUDGET)}, classified, as the page computes them: median of ${REPEAT} (ms)`);
console.log("    surface                (a) all 11   (a1) one slider   (b) baseline   (a)/(b)");
const all = [];
for (const key of Object.keys(SURFACES)) {
  const a = time(allRuns(key)), a1 = time(oneSlider(key)), b = time(bareLoop(key));
  all.push(a);
  console.log(`    ${key.padEnd(22)} ${a.toFixed(2).padStart(10)}   ${a1.toFixed(2).padStart(15)}   ${b.toFixed(2).padStart(12)}   ${(a / b).toFixed(2).padStart(7)}`);
}
console.log(`    (a) slowest surface ${Math.max(...all).toFixed(2)} ms, median over surfaces ${median(all).toFixed(2)} ms (target ≤ 5 ms)`);
if (fs.existsSync(BUNDLE)) {
  const bytes = fs.readFileSync(BUNDLE);
  const gzipped = zlib.gzipSync(bytes, { level: 9 }).length;
  console.log(`(c) bundle ${path.relative(ROOT, BUNDLE)}: ${(bytes.length / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
} else {
  console.log(`(c) no bundle at ${path.relative(ROOT, BUNDLE)}: run \`python -m build_assets.bundle\``);
}
