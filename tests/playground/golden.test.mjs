// The JavaScript port against the Python library: golden vectors written by
// tests/playground/write_golden.py (make test runs it first). The exactness checked:
//
// - Polynomial surfaces (every surface but Rastrigin): points, losses and the divergence
//   step bit for bit over max(200, budget) steps, and the same outcome (every field of
//   optimizers.outcomes.classify, judged to the horizon) — for every optimizer, setting and
//   start. Newton is the exception once it meets a nearly singular Hessian, where numpy's
//   pseudo-inverse (an SVD) and the port's closed form differ in the last bits: bit for bit
//   up to that step, within NEWTON_SINGULAR_RTOL just after it, then, as the step through a
//   near-singular Hessian amplifies any difference, no claim on the path.
// - Rastrigin (cos/sin are approximated differently by numpy and V8): runs not flagged
//   chaotic by optimizers.chaos stay within RASTRIGIN_TOL of the plot width over all shown
//   steps and end with the same outcome; chaotic ones stay within it for the first
//   CHAOTIC_AGREEMENT steps, after which they separate as a 1e-9 shift of the start would.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { OPTIMIZERS, SURFACES, atlas, classify, horizonFor, run } from "../../playground/src/index.js";
import { isNearlySingular } from "../../playground/src/optimizers/algorithms/newton.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const GOLDEN = process.env.PLAYGROUND_GOLDEN ?? path.join(ROOT, ".cache/playground-golden");
const NOT_BIT_EXACT = ["rastrigin"];
const RASTRIGIN_TOL = 1e-9;
const CHAOTIC_AGREEMENT = 15;
const NEWTON_SINGULAR_RTOL = 1e-9;
const OUTCOME_FIELDS = ["kind", "end", "point", "reached_at", "arrived_at", "left_at", "diverged_at"];

const number = (v) => (typeof v === "string" ? Number(v.replace(/^(-?)inf$/, "$1Infinity").replace("nan", "NaN")) : v);

function goldenFiles() {
  if (!fs.existsSync(GOLDEN)) {
    throw new Error(`${GOLDEN} not found: run \`python tests/playground/write_golden.py\` first (make test does)`);
  }
  return fs.readdirSync(GOLDEN).filter((f) => f.endsWith(".json")).sort();
}

test("the registries are keyed as in Python, with the same hyperparameter names", () => {
  assert.deepEqual(Object.keys(OPTIMIZERS).sort(), Object.keys(atlas.optimizers).sort());
  for (const [name, spec] of Object.entries(atlas.optimizers)) {
    assert.deepEqual(OPTIMIZERS[name].params, Object.keys(spec.hypers), name);
    assert.equal(OPTIMIZERS[name].usesHessian, spec.uses_hessian, name);
  }
  assert.deepEqual(Object.keys(SURFACES).sort(), Object.keys(atlas.surfaces).sort());
});

test("golden vectors cover every optimizer × surface × setting", () => {
  const seen = new Set();
  for (const file of goldenFiles()) {
    for (const r of JSON.parse(fs.readFileSync(path.join(GOLDEN, file))).runs) {
      seen.add(`${file}/${r.optimizer}/${r.setting}`);
      assert.ok(r.losses.length >= 201, `${file} ${r.optimizer}: ${r.losses.length - 1} steps`);
    }
  }
  for (const key of Object.keys(atlas.settings)) {
    for (const name of Object.keys(atlas.optimizers)) {
      for (const setting of ["seed", "tuned", "defaults"]) assert.ok(seen.has(`${key}.json/${name}/${setting}`), `${key} ${name} ${setting}`);
    }
  }
});

for (const file of fs.existsSync(GOLDEN) ? goldenFiles() : [null]) {
  test(`JavaScript runs equal the Python library's: ${file ?? "(no golden vectors)"}`, () => {
    if (file === null) goldenFiles(); // throws, naming the missing directory
    const { surface: key, runs } = JSON.parse(fs.readFileSync(path.join(GOLDEN, file)));
    const surface = SURFACES[key];
    const width = surface.bounds[0][1] - surface.bounds[0][0];
    const failures = [];
    for (const r of runs) {
      const label = `${key} ${r.optimizer} ${r.setting} from ${JSON.stringify(r.start)}`;
      const shown = r.losses.length - 1;
      const js = run(r.optimizer, r.hparams, key, r.start, horizonFor(r.budget));
      const diff = (t) => Math.max(Math.abs(js.points[t][0] - r.points[2 * t]), Math.abs(js.points[t][1] - r.points[2 * t + 1]));
      let sameOutcome = true;
      if (NOT_BIT_EXACT.includes(key)) {
        const agree = r.chaotic ? CHAOTIC_AGREEMENT : shown;
        const t = Array.from({ length: agree + 1 }, (_, i) => i).find((i) => !(diff(i) <= RASTRIGIN_TOL * width));
        if (t !== undefined) failures.push(`${label}: differs by ${diff(t)} at step ${t}`);
        sameOutcome = !r.chaotic;
      } else {
        const singular = r.optimizer === "newton"
          ? js.points.slice(0, shown).findIndex((x) => isNearlySingular(surface.hessian(x))) : -1;
        const exactUpTo = singular >= 0 ? singular : shown;
        for (let t = 0; t <= exactUpTo; t++) {
          const same = Object.is(js.points[t][0], r.points[2 * t]) && Object.is(js.points[t][1], r.points[2 * t + 1])
            && Object.is(js.losses[t], number(r.losses[t]));
          if (!same) { failures.push(`${label}: step ${t}: ${js.points[t]} (f ${js.losses[t]}) ≠ ${r.points.slice(2 * t, 2 * t + 2)} (f ${r.losses[t]})`); break; }
        }
        if (singular >= 0) {
          const t = singular + 1, scale = Math.max(1, Math.abs(r.points[2 * t]), Math.abs(r.points[2 * t + 1]));
          if (!(diff(t) <= NEWTON_SINGULAR_RTOL * scale)) failures.push(`${label}: after the singular Hessian at step ${singular}: differs by ${diff(t)}`);
          sameOutcome = false;
        } else if ((js.divergedAt <= shown ? js.divergedAt : -1) !== r.diverged_at) {
          failures.push(`${label}: diverged at ${js.divergedAt}, Python at ${r.diverged_at}`);
        }
      }
      if (sameOutcome) {
        const o = classify(js.points, js.losses, js.divergedAt, surface, r.budget);
        const wrong = OUTCOME_FIELDS.filter((f) => o[f] !== r.outcome[f]);
        if (wrong.length) failures.push(`${label}: outcome ${wrong.map((f) => `${f} ${o[f]} ≠ ${r.outcome[f]}`).join(", ")}`);
      }
    }
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${runs.length} runs differ`);
  });
}
