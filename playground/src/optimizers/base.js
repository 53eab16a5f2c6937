// The optimizer registry, mirroring optimizers/base.py: an optimizer is a pair of pure
// functions in the spirit of optax, init(x) -> state and update(grad, state, x[, hessian])
// -> [newX, newState], with the state a plain object holding the Python NamedTuple's fields.
//
// Each rule is written once, as advance(state, grad, x[, hessian]): the same arithmetic
// done in place (state's vectors and the point x overwritten), which the runner uses so
// that a step allocates nothing. update is derived from it: advance on copies.
//
// Only the mathematics lives here. Defaults, valid ranges and titles are the build's
// (optimizers.make), exported as JSON (build_assets/playground.py) and read by the page.

export const OPTIMIZERS = {};

/**
 * Register optimizer `name`: `params` are its hyperparameter names (as in Python's
 * @register), `factory(hparams) -> {init, advance}`.
 */
export function register(name, params, factory, { usesHessian = false } = {}) {
  if (name in OPTIMIZERS) throw new Error(`optimizer '${name}' is registered twice`);
  OPTIMIZERS[name] = Object.freeze({ name, params: Object.freeze([...params]), factory, usesHessian });
}

/**
 * Build optimizer `name` from a complete set of hyperparameters (numbers). Every
 * parameter must be given: the defaults are the build's, not the core's.
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
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new Error(`${name}: ${key}=${value} is not a finite number`);
    }
    values[key] = value;
  }
  const { init, advance } = spec.factory(values);
  const update = (grad, state, x, hessian) => {
    const next = copyState(state), point = [x[0], x[1]];
    advance(next, grad, point, hessian);
    return [point, next];
  };
  return { name, hparams: values, init, update, advance, usesHessian: spec.usesHessian };
}

/** A copy of a state whose vectors are new arrays (the fields are numbers and [x1, x2]). */
function copyState(state) {
  const copy = {};
  for (const [key, value] of Object.entries(state)) copy[key] = Array.isArray(value) ? [...value] : value;
  return copy;
}
