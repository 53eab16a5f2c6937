// The optimizer registry, mirroring optimizers/base.py: an optimizer is a pair of pure
// functions in the spirit of optax, init(x) -> state and update(grad, state, x[, hessian])
// -> [newX, newState], with the state a plain object holding the Python NamedTuple's fields
// (every state has Python's `count`, the steps taken, at which the rule reads its rate).
//
// Each rule is written once, as advance(state, grad, x[, hessian]): the same arithmetic
// done in place (state's vectors and the point x overwritten), which the runner uses so
// that a step allocates nothing. update is derived from it: advance on copies.
//
// Only the mathematics lives here. Defaults, valid ranges and titles are the build's
// (optimizers.make), exported as JSON (build_assets/playground.py) and read by the page.

import { Schedule, fromSpec, rateFunction } from "../schedules.js";

export const OPTIMIZERS = {};

/**
 * Register optimizer `name`: `params` are its hyperparameter names (as in Python's
 * @register), `factory(hparams) -> {init, advance}`; hparams also hold `rate(count)`, the
 * learning rate of the step after `count` steps (a function even for a number lr).
 */
export function register(name, params, factory, { usesHessian = false } = {}) {
  if (name in OPTIMIZERS) throw new Error(`optimizer '${name}' is registered twice`);
  OPTIMIZERS[name] = Object.freeze({ name, params: Object.freeze([...params]), factory, usesHessian });
}

/**
 * Build optimizer `name` from a complete set of hyperparameters: numbers, and for `lr` a
 * number or a schedule (playground/src/schedules.js) or its description, as Python's make.
 * Every parameter must be given: the defaults are the build's, not the core's.
 */
export function make(name, hparams) {
  const spec = OPTIMIZERS[name];
  if (!spec) throw new Error(`unknown optimizer '${name}'; known: ${Object.keys(OPTIMIZERS).sort().join(", ")}`);
  for (const key of Object.keys(hparams)) {
    if (!spec.params.includes(key)) {
      throw new Error(`${name}: unknown hyperparameter '${key}'=${hparams[key]}; accepted: ${spec.params.join(", ")}`);
    }
  }
  const values = {};
  for (const key of spec.params) {
    const value = hparams[key];
    if (typeof value === "object" && value !== null) {
      values[key] = schedule(name, key, value);
      continue;
    }
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new Error(`${name}: ${key}=${value} is not a finite number`);
    }
    values[key] = value;
  }
  // The factory also gets `rate`, the rate at a count (Python's rate_at(lr, count)).
  const { init, advance } = spec.factory({ ...values, rate: rateFunction(values.lr) });
  const update = (grad, state, x, hessian) => {
    const next = copyState(state), point = [x[0], x[1]];
    advance(next, grad, point, hessian);
    return [point, next];
  };
  return { name, hparams: values, init, update, advance, usesHessian: spec.usesHessian };
}

/** The schedule `lr` is (a Schedule, or its description as Python's describe() gives it). */
function schedule(name, key, value) {
  if (key !== "lr") throw new Error(`${name}: ${key}=${JSON.stringify(value)} is invalid: only lr may be a schedule`);
  if (value instanceof Schedule) return value;
  try {
    return fromSpec(value);
  } catch (error) {
    throw new Error(`${name}: lr=${JSON.stringify(value)} is invalid: ${error.message}`);
  }
}

/** A copy of a state whose vectors are new arrays (the fields are numbers and [x1, x2]). */
function copyState(state) {
  const copy = {};
  for (const [key, value] of Object.entries(state)) copy[key] = Array.isArray(value) ? [...value] : value;
  return copy;
}
