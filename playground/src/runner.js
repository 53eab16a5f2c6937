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
  const { xs, losses, divergedAt } = trajectory(name, hparams, surfaceKey, x0, steps);
  const points = new Array(steps + 1);
  for (let t = 0; t <= steps; t++) points[t] = [xs[2 * t], xs[2 * t + 1]];
  return { points, losses: Array.from(losses), divergedAt };
}

/**
 * The same run in flat typed arrays, as the page keeps it: {xs, losses, divergedAt} with
 * xs[2t], xs[2t + 1] the point after t steps. The loop allocates nothing: the rule
 * advances its state and the point in place (`advance`), the surface writes its gradient
 * and Hessian into reused arrays, and where a step leaves the point bitwise unchanged
 * (a run that has come to rest) the gradient and loss of that point are reused.
 * `into`: an earlier trajectory the caller no longer needs, whose arrays may be overwritten.
 */
export function trajectory(name, hparams, surfaceKey, x0, steps, into = null) {
  const surface = SURFACES[surfaceKey];
  if (!surface) throw new Error(`run: unknown surface '${surfaceKey}'; known: ${Object.keys(SURFACES).join(", ")}`);
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`run: steps=${steps} is invalid: must be a whole number >= 0`);
  if (!Array.isArray(x0) || x0.length !== 2) throw new Error(`run: x0=${JSON.stringify(x0)} is invalid: expected [x1, x2]`);
  const opt = make(name, withDefaults(name, hparams));
  const { value: f, gradInto, hessianInto } = surface;
  const bound = surface.divergence_bound;
  // Typed arrays of this size are allocated outside V8's heap, which costs more than filling
  // them: a caller that discards an earlier run of the same length may pass it to be reused.
  const reuse = into?.losses.length === steps + 1;
  const xs = reuse ? into.xs : new Float64Array(2 * (steps + 1));
  const losses = reuse ? into.losses : new Float64Array(steps + 1);
  const x = [Number(x0[0]), Number(x0[1])], next = [x[0], x[1]];
  const grad = [0, 0], hessian = [0, 0, 0, 0];
  xs[0] = x[0];
  xs[1] = x[1];
  losses[0] = f(x);
  let divergedAt = outOfBounds(x, bound) ? 0 : -1;
  const state = opt.init([x[0], x[1]]);
  let moved = true, t = 1;
  // Once frozen, a point never moves again (Python keeps updating the state, which then
  // has no effect on the points).
  for (; t <= steps && divergedAt < 0; t++) {
    if (moved) {
      gradInto(x, grad);
      if (opt.usesHessian) hessianInto(x, hessian);
    }
    next[0] = x[0];
    next[1] = x[1];
    opt.advance(state, grad, next, hessian);
    if (outOfBounds(next, bound)) {
      divergedAt = t;
      moved = false;
    } else {
      moved = !sameDouble(next[0], x[0]) || !sameDouble(next[1], x[1]);
      x[0] = next[0];
      x[1] = next[1];
    }
    xs[2 * t] = x[0];
    xs[2 * t + 1] = x[1];
    // (Written straight into the array: a loss kept in a variable across the call above
    // would be boxed, one allocation per step.)
    losses[t] = moved ? f(x) : losses[t - 1];
  }
  for (; t <= steps; t++) {
    xs[2 * t] = x[0];
    xs[2 * t + 1] = x[1];
    losses[t] = losses[t - 1];
  }
  return { xs, losses, divergedAt };
}

/** `hparams` completed with the build's defaults and checked against its ranges (lr may be a
 * schedule or its description, see schedules.js). */
export function withDefaults(name, hparams = {}) {
  const spec = atlas.optimizers[name];
  if (!spec) throw new Error(`unknown optimizer '${name}'; known: ${Object.keys(atlas.optimizers).sort().join(", ")}`);
  const values = {};
  for (const [key, hyper] of Object.entries(spec.hypers)) values[key] = hyper.default;
  for (const [key, value] of Object.entries(hparams)) {
    if (!(key in spec.hypers)) {
      throw new Error(`${name}: unknown hyperparameter '${key}'=${value}; accepted: ${Object.keys(spec.hypers).join(", ")}`);
    }
    // A schedule (or its description) for lr is validated by make, as in Python.
    const reason = key === "lr" && typeof value === "object" && value !== null ? null : violation(spec.hypers[key].kind, value);
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

/** Whether two finite numbers are the same double, 0 and −0 apart (f and ∇f may differ in
 * the sign of a zero). Object.is would do, but V8 boxes its arguments: an allocation per step. */
function sameDouble(a, b) {
  return a === b && (a !== 0 || 1 / a === 1 / b);
}

function outOfBounds(x, bound) {
  return !(Math.sqrt(x[0] * x[0] + x[1] * x[1]) <= bound); // NaN compares false: out
}
