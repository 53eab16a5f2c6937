// Run an optimizer on a surface from one start point, mirroring optimizers/runner.py.
import atlas from "./atlas.js";
import { make } from "./optimizers/index.js";
import { SURFACES } from "./surfaces.js";

/**
 * Take `steps` steps of optimizer `name` (hyperparameters `hparams`; missing ones take
 * the build's defaults, invalid ones throw as optimizers.make does) on surface
 * `surfaceKey` from `x0` = [x1, x2].
 *
 * Returns {points, losses, divergedAt} as Python's run for one start: points[t] is
 * [x1, x2] after t steps (points[0] = x0); losses[t] = f(points[t]); a point that becomes
 * non-finite or leaves the surface's divergence bound is frozen at its last good value
 * and divergedAt is that step (-1 if none).
 */
export function run(name, hparams, surfaceKey, x0, steps) {
  const surface = SURFACES[surfaceKey];
  if (!surface) throw new Error(`run: unknown surface '${surfaceKey}'; known: ${Object.keys(SURFACES).join(", ")}`);
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`run: steps=${steps} is invalid: must be a whole number >= 0`);
  if (!Array.isArray(x0) || x0.length !== 2) throw new Error(`run: x0=${JSON.stringify(x0)} is invalid: expected [x1, x2]`);
  const opt = make(name, withDefaults(name, hparams));
  const bound = surface.divergence_bound;
  let x = [Number(x0[0]), Number(x0[1])];
  const points = new Array(steps + 1);
  points[0] = x;
  let divergedAt = outOfBounds(x, bound) ? 0 : -1;
  let state = opt.init(x);
  let t = 1;
  // Once frozen, a point never moves again (Python keeps updating the state, which then
  // has no effect on the points).
  for (; t <= steps && divergedAt < 0; t++) {
    const grad = surface.grad(x);
    const [next, nextState] = opt.usesHessian
      ? opt.update(grad, state, x, surface.hessian(x))
      : opt.update(grad, state, x);
    state = nextState;
    if (outOfBounds(next, bound)) divergedAt = t;
    else x = next;
    points[t] = x;
  }
  for (; t <= steps; t++) points[t] = x;
  const losses = new Array(steps + 1);
  for (let i = 0; i <= steps; i++) losses[i] = surface.f(points[i][0], points[i][1]);
  return { points, losses, divergedAt };
}

/** `hparams` completed with the build's defaults and checked against its ranges. */
export function withDefaults(name, hparams = {}) {
  const spec = atlas.optimizers[name];
  if (!spec) throw new Error(`unknown optimizer '${name}'; known: ${Object.keys(atlas.optimizers).sort().join(", ")}`);
  const values = {};
  for (const [key, hyper] of Object.entries(spec.hypers)) values[key] = hyper.default;
  for (const [key, value] of Object.entries(hparams)) {
    if (!(key in spec.hypers)) {
      throw new Error(`${name}: unknown hyperparameter '${key}'=${value}; accepted: ${Object.keys(spec.hypers).join(", ")}`);
    }
    const reason = violation(spec.hypers[key].kind, value);
    if (reason) throw new Error(`${name}: ${key}=${value} is invalid: ${reason}`);
    values[key] = value;
  }
  return values;
}

/** Why `value` is invalid for a hyperparameter of `kind` (optimizers.base.Hyper), or null. */
export function violation(kind, value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return "must be finite";
  if (kind === "rate" && !(value > 0)) return "must be > 0";
  if (kind === "decay" && !(value >= 0 && value < 1)) return "must lie in [0, 1)";
  if (kind === "eps" && !(value >= 0)) return "must be >= 0";
  return null;
}

function outOfBounds(x, bound) {
  return !(Math.sqrt(x[0] * x[0] + x[1] * x[1]) <= bound); // NaN compares false: out
}
