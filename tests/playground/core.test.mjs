// The core's two forms of each update rule agree: the pure update(grad, state, x[, hessian])
// of the public contract (optimizers/ mirrored one to one) and the in-place advance the
// runner uses for speed. update must leave its arguments untouched; run must be the same
// path as stepping update by hand; a trajectory computed into a reused run's arrays must
// equal a fresh one. (The golden vectors check run against the Python library.)
import assert from "node:assert/strict";
import { test } from "node:test";

import { OPTIMIZERS, SURFACES, atlas, make, run, trajectory, withDefaults } from "../../playground/src/index.js";

const STEPS = 60;

for (const key of Object.keys(atlas.settings)) {
  test(`update stepped by hand gives run's path, and leaves its arguments untouched: ${key}`, () => {
    const { start, seed } = atlas.settings[key];
    for (const name of Object.keys(OPTIMIZERS)) {
      const opt = make(name, withDefaults(name, seed[name]));
      const surface = SURFACES[key];
      let x = [...start], state = opt.init(x);
      const { points, divergedAt } = run(name, seed[name], key, start, STEPS);
      const last = divergedAt < 0 ? STEPS : divergedAt - 1; // after a divergence run freezes the point
      for (let t = 1; t <= last; t++) {
        const grad = surface.grad(x), hessian = surface.hessian(x);
        const before = JSON.stringify({ grad, state, x, hessian });
        const [next, nextState] = opt.update(grad, state, x, hessian);
        assert.equal(JSON.stringify({ grad, state, x, hessian }), before, `${name} step ${t}: update changed its arguments`);
        assert.notEqual(nextState, state, `${name}: update returned the state it was given`);
        assert.deepEqual(next, points[t], `${name} on ${key}, step ${t}`);
        [x, state] = [next, nextState];
      }
    }
  });
}

test("a trajectory computed into a reused run's arrays equals a fresh one", () => {
  const fresh = trajectory("adam", { lr: 0.05 }, "rosenbrock", [-1.5, 2], 500);
  const other = trajectory("lion", {}, "rosenbrock", [1, -1], 500);
  const reused = trajectory("adam", { lr: 0.05 }, "rosenbrock", [-1.5, 2], 500, other);
  assert.equal(reused.xs, other.xs); // the same arrays, overwritten
  assert.deepEqual(Array.from(reused.xs), Array.from(fresh.xs));
  assert.deepEqual(Array.from(reused.losses), Array.from(fresh.losses));
  // arrays of another length are not reused
  assert.notEqual(trajectory("adam", {}, "rosenbrock", [-1.5, 2], 10, fresh).xs, fresh.xs);
});
