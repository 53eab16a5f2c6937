// The JavaScript schedules and the optimizers' step counts against the Python library:
// golden vectors written by tests/playground/schedule_golden.py (write_golden.py runs it).
// The exactness checked:
//
// - every state has Python's fields in Python's order (count first), and count is the
//   number of steps taken;
// - every schedule rebuilt from Python's describe() describes itself the same way, and its
//   rates equal Python's bit for bit at every count — except where a cosine_decay is
//   involved (Math.cos against the C library's cos may differ in the last bit): there within
//   COSINE_TOL times the schedule's largest rate (an absolute bound: near the cosine's end,
//   where 1 + cos cancels, a last-bit difference is a large relative one);
// - descriptions Python refuses are refused, naming the same schedule and parameter with
//   the same reason;
// - runs of every optimizer with a schedule as lr equal Python's bit for bit (points,
//   losses, divergence step); with a cosine within COSINE_RUN_TOL of the plot width.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { OPTIMIZERS, SURFACES, make, run, schedules, withDefaults } from "../../playground/src/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const GOLDEN = path.join(process.env.PLAYGROUND_GOLDEN ?? path.join(ROOT, ".cache/playground-golden"), "schedules/schedules.json");
const COSINE_TOL = 1e-15; // measured: at most 1.4e-16 (8 of 915 cosine rates differ at all)
const COSINE_RUN_TOL = 1e-12; // measured: at most 8.9e-16 in a coordinate (widths 20 and 4)

function golden() {
  if (!fs.existsSync(GOLDEN)) {
    throw new Error(`${GOLDEN} not found: run \`python tests/playground/write_golden.py\` first (make test does)`);
  }
  return JSON.parse(fs.readFileSync(GOLDEN));
}

const usesCosine = (spec) => JSON.stringify(spec).includes('"cosine_decay"');

test("every state has Python's fields, in order, and count is the steps taken", () => {
  const { state_fields: fields } = golden();
  assert.deepEqual(Object.keys(OPTIMIZERS).sort(), Object.keys(fields).sort());
  for (const [name, expected] of Object.entries(fields)) {
    const opt = make(name, withDefaults(name, {}));
    let x = [0.5, -0.25], state = opt.init(x);
    assert.deepEqual(Object.keys(state), expected, name);
    for (let t = 0; t < 3; t++) {
      assert.equal(state.count, t, `${name} after ${t} steps`);
      [x, state] = opt.update([0.1, -0.2], state, x, [2, 0, 0, 1]);
    }
  }
});

test("schedules rebuilt from Python's descriptions give Python's rates", () => {
  const { counts, schedules: cases } = golden();
  const kinds = new Set();
  for (const { spec, values } of cases) {
    const largest = Math.max(...values);
    const schedule = schedules.fromSpec(spec);
    kinds.add(spec.kind);
    assert.deepEqual(schedule.describe(), spec);
    counts.forEach((count, i) => {
      const rate = schedule.rate(count), expected = values[i];
      const label = `${JSON.stringify(spec)} at ${count}: ${rate} != Python's ${expected}`;
      if (usesCosine(spec)) assert.ok(Math.abs(rate - expected) <= COSINE_TOL * largest, label);
      else assert.ok(Object.is(rate, expected), label);
    });
  }
  assert.deepEqual([...kinds].sort(), Object.keys(schedules.BUILDERS).sort());
});

test("descriptions Python refuses are refused for the same reason", () => {
  for (const { spec, error } of golden().invalid) {
    let message = null;
    try {
      schedules.fromSpec(spec);
    } catch (e) {
      message = e.message;
    }
    assert.ok(message, `${JSON.stringify(spec)} accepted; Python: ${error}`);
    // The same schedule and parameter ("schedules.kind: key=") and the same reason; the value
    // itself is spelt by each language (0.1 against Python's repr).
    const [where, reason] = error.includes(" is invalid: ") ? error.split(" is invalid: ") : [error, null];
    const head = where.includes("=") ? where.split("=")[0] : where.split(":")[0];
    assert.ok(message.startsWith(head), `${JSON.stringify(spec)}: '${message}' against Python's '${error}'`);
    if (reason !== null) assert.ok(message.endsWith(` is invalid: ${reason}`), `'${message}' against Python's '${error}'`);
  }
});

test("runs with a schedule as lr equal Python's", () => {
  const { runs } = golden();
  const failures = [];
  for (const r of runs) {
    const label = `${r.surface} ${r.optimizer} ${r.schedule}`;
    const steps = r.losses.length - 1;
    const js = run(r.optimizer, r.hparams, r.surface, r.start, steps);
    const [[lo, hi]] = SURFACES[r.surface].bounds;
    const tol = usesCosine(r.hparams.lr) ? COSINE_RUN_TOL * (hi - lo) : 0;
    const t = js.points.findIndex((p, i) => !(Math.abs(p[0] - r.points[2 * i]) <= tol && Math.abs(p[1] - r.points[2 * i + 1]) <= tol)
      || (tol === 0 && !(Object.is(p[0], r.points[2 * i]) && Object.is(p[1], r.points[2 * i + 1]) && Object.is(js.losses[i], r.losses[i]))));
    if (t >= 0) failures.push(`${label}: step ${t}: ${js.points[t]} against Python's ${r.points.slice(2 * t, 2 * t + 2)}`);
    else if (js.divergedAt !== r.diverged_at) failures.push(`${label}: diverged at ${js.divergedAt}, Python ${r.diverged_at}`);
  }
  assert.deepEqual(failures, []);
  assert.ok(runs.length >= 2 * Object.keys(OPTIMIZERS).length * 4, `${runs.length} runs`);
});

test("lr as a Schedule, a description or a number: the same runs", () => {
  const built = schedules.warmup(0.1, 20, schedules.step_decay(0.1, 40, 0.7));
  const fromBuilt = run("adam", { lr: built }, "rosenbrock", [-1.5, 2], 150);
  assert.deepEqual(run("adam", { lr: built.describe() }, "rosenbrock", [-1.5, 2], 150), fromBuilt);
  assert.notDeepEqual(run("adam", { lr: 0.1 }, "rosenbrock", [-1.5, 2], 150), fromBuilt);
  // A constant schedule is the number itself, bit for bit (as in Python).
  assert.deepEqual(run("momentum", { lr: schedules.constant(0.003) }, "rosenbrock", [-1.5, 2], 150),
    run("momentum", { lr: 0.003 }, "rosenbrock", [-1.5, 2], 150));
});

test("an invalid schedule is refused, naming the optimizer, lr and the schedule's reason", () => {
  assert.throws(() => run("sgd", { lr: { kind: "step_decay", init_value: 0.1, every: 0, factor: 0.5 } }, "rosenbrock", [0, 0], 5),
    /^Error: sgd: lr=\{.*\} is invalid: schedules\.step_decay: every=0 is invalid: must be a whole number >= 1$/);
  assert.throws(() => make("adam", { ...withDefaults("adam", {}), beta1: schedules.constant(0.9) }),
    /adam: beta1=.* is invalid: only lr may be a schedule/);
  assert.throws(() => schedules.warmup(0.1, 10, { kind: "constant", value: 0.1 }), /schedules\.warmup: then=.* must be a schedule/);
});
