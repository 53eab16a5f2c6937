// Learning-rate schedules, mirroring optimizers/schedules.py one to one: a schedule is a
// pure function of the step, `schedule.rate(count)` the rate of the update that follows
// `count` earlier updates (0 for the first step). Same kinds, parameter names, validation
// and arithmetic as Python; `fromSpec` rebuilds the schedule a Python `describe()` dict
// describes, and `describe()` gives that dict back.
//
// Exactness: every kind but the cosine uses only + − × ÷ in Python's order (integer powers
// by the same repeated squaring), so its rates equal Python's bit for bit; the cosine uses
// Math.cos, which may differ from the C library's cos in the last bit (the golden tests
// state the tolerance).

export class Schedule {
  constructor(kind, params, rate) {
    this.kind = kind;
    this.params = Object.freeze(params);
    this.rate = rate;
    Object.freeze(this);
  }

  /** A plain description, {kind, ...params} (a nested schedule as its own object), as Python's. */
  describe() {
    const described = { kind: this.kind };
    for (const [key, value] of Object.entries(this.params)) {
      described[key] = value instanceof Schedule ? value.describe() : value;
    }
    return described;
  }
}

const show = (value) => (typeof value === "object" && value !== null ? JSON.stringify(value) : String(value));
const bound = (value) => (value === Infinity ? "inf" : String(value));

/** `value` if it is a finite number in the given interval; else a one-line error as Python's. */
function number(kind, key, value, { low = 0, lowOpen = true, high = Infinity, highOpen = true } = {}) {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new Error(`schedules.${kind}: ${key}=${show(value)} is invalid: must be a finite number`);
  }
  if ((lowOpen ? value <= low : value < low) || (highOpen ? value >= high : value > high)) {
    const interval = `${lowOpen ? "(" : "["}${bound(low)}, ${bound(high)}${highOpen ? ")" : "]"}`;
    throw new Error(`schedules.${kind}: ${key}=${show(value)} is invalid: must lie in ${interval}`);
  }
  return value;
}

/** `value` if it is a whole number >= `minimum` (a step count). */
function steps(kind, key, value, minimum = 1) {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < minimum) {
    throw new Error(`schedules.${kind}: ${key}=${show(value)} is invalid: must be a whole number >= ${minimum}`);
  }
  return value;
}

/** base^n for a whole n >= 0 by repeated squaring: Python's _power, multiplication for multiplication. */
function power(base, n) {
  let result = 1;
  while (n) {
    if (n & 1) result *= base;
    base *= base;
    n = Math.floor(n / 2); // n >>= 1 would wrap above 2^31
  }
  return result;
}

/** η_t = value (> 0). */
export function constant(value) {
  value = number("constant", "value", value);
  return new Schedule("constant", { value }, () => value);
}

/**
 * η_t = init_value times the product of the scales of every boundary ≤ t, in order of the
 * boundaries. `boundaries_and_scales`: a list of [step, scale] pairs (as described) or an
 * object {step: scale}; a boundary given twice keeps its last scale, as Python's dict().
 */
export function piecewise_constant(init_value, boundaries_and_scales) {
  const kind = "piecewise_constant";
  init_value = number(kind, "init_value", init_value);
  const invalid = () => new Error(`schedules.${kind}: boundaries_and_scales=${show(boundaries_and_scales)} is invalid: `
    + "must be a dict {step: scale} or a list of [step, scale] pairs");
  let items;
  if (Array.isArray(boundaries_and_scales)) {
    if (!boundaries_and_scales.every((p) => Array.isArray(p) && p.length === 2)) throw invalid();
    items = [...new Map(boundaries_and_scales).entries()];
  } else if (typeof boundaries_and_scales === "object" && boundaries_and_scales !== null) {
    items = Object.entries(boundaries_and_scales).map(([b, s]) => [Number(b), s]);
  } else throw invalid();
  const pairs = items.map(([b, s]) => [steps(kind, "boundary", b), number(kind, `scale at step ${b}`, s)]);
  pairs.sort((p, q) => p[0] - q[0]);
  const values = [];
  let value = init_value; // the rate from each boundary on, as a running product
  for (const [, scale] of pairs) values.push((value *= scale));
  const bounds = pairs.map(([b]) => b);
  const rate = (t) => {
    let passed = 0;
    for (const b of bounds) if (b <= t) passed++;
    return passed ? values[passed - 1] : init_value;
  };
  return new Schedule(kind, { init_value, boundaries_and_scales: pairs }, rate);
}

/** η_t = init_value · factor^⌊t / every⌋, factor in (0, 1]. */
export function step_decay(init_value, every, factor) {
  const kind = "step_decay";
  init_value = number(kind, "init_value", init_value);
  every = steps(kind, "every", every);
  factor = number(kind, "factor", factor, { high: 1, highOpen: false });
  return new Schedule(kind, { init_value, every, factor }, (t) => init_value * power(factor, (t - t % every) / every));
}

/** η_t = init_value / (1 + decay_rate · t / decay_steps). */
export function inverse_time(init_value, decay_steps, decay_rate = 1) {
  const kind = "inverse_time";
  init_value = number(kind, "init_value", init_value);
  decay_steps = number(kind, "decay_steps", decay_steps);
  decay_rate = number(kind, "decay_rate", decay_rate, { lowOpen: false });
  return new Schedule(kind, { init_value, decay_steps, decay_rate },
    (t) => init_value / (1 + decay_rate * t / decay_steps));
}

/** η_t = init_value · ((1 − alpha)·½(1 + cos(π·min(t, T)/T)) + alpha), T = decay_steps, alpha in [0, 1). */
export function cosine_decay(init_value, decay_steps, alpha = 0) {
  const kind = "cosine_decay";
  init_value = number(kind, "init_value", init_value);
  decay_steps = steps(kind, "decay_steps", decay_steps);
  alpha = number(kind, "alpha", alpha, { lowOpen: false, high: 1 });
  const rate = (t) => {
    const cosine = 0.5 * (1 + Math.cos(Math.PI * Math.min(t, decay_steps) / decay_steps));
    return init_value * ((1 - alpha) * cosine + alpha);
  };
  return new Schedule(kind, { init_value, decay_steps, alpha }, rate);
}

/**
 * A linear ramp from init_value (>= 0) to peak_value over warmup_steps steps, then `then`
 * started afresh (then.rate(t − warmup_steps)) or the peak for ever (then = null).
 */
export function warmup(peak_value, warmup_steps, then = null, init_value = 0) {
  const kind = "warmup";
  peak_value = number(kind, "peak_value", peak_value);
  warmup_steps = steps(kind, "warmup_steps", warmup_steps);
  init_value = number(kind, "init_value", init_value, { lowOpen: false });
  if (then !== null && !(then instanceof Schedule)) {
    throw new Error(`schedules.${kind}: then=${show(then)} is invalid: must be a schedule or None`);
  }
  const rise = peak_value - init_value;
  const rate = (t) => {
    if (t < warmup_steps) return init_value + rise * t / warmup_steps;
    return then === null ? peak_value : then.rate(t - warmup_steps);
  };
  return new Schedule(kind, { peak_value, warmup_steps, init_value, then }, rate);
}

// Each kind's builder and its parameters in Python's order (those with a default last).
export const BUILDERS = {
  constant: [constant, ["value"], 1],
  piecewise_constant: [piecewise_constant, ["init_value", "boundaries_and_scales"], 2],
  step_decay: [step_decay, ["init_value", "every", "factor"], 3],
  inverse_time: [inverse_time, ["init_value", "decay_steps", "decay_rate"], 2],
  cosine_decay: [cosine_decay, ["init_value", "decay_steps", "alpha"], 2],
  warmup: [warmup, ["peak_value", "warmup_steps", "then", "init_value"], 2],
};

/** The schedule a describe() object describes (Python's or ours), validated as when built directly. */
export function fromSpec(spec) {
  const isObject = typeof spec === "object" && spec !== null && !Array.isArray(spec);
  if (!isObject || !Object.hasOwn(BUILDERS, spec.kind)) {
    throw new Error(`schedules: ${show(spec)} is not a schedule description; kinds: ${Object.keys(BUILDERS).join(", ")}`);
  }
  const [build, names, required] = BUILDERS[spec.kind];
  for (const key of Object.keys(spec)) {
    if (key !== "kind" && !names.includes(key)) {
      throw new Error(`schedules.${spec.kind}: unknown parameter '${key}'; accepted: ${names.join(", ")}`);
    }
  }
  const missing = names.slice(0, required).filter((key) => !(key in spec));
  if (missing.length) throw new Error(`schedules.${spec.kind}: missing parameter(s) ${missing.map((k) => `'${k}'`).join(", ")}`);
  const args = names.map((key) => {
    if (key === "then") return spec.then == null ? null : fromSpec(spec.then);
    return spec[key];
  });
  // Parameters left out take the builder's defaults (undefined does, null would not).
  return build(...args);
}

/**
 * The learning rate as a function of the count: `lr.rate` for a schedule, a function
 * returning the number itself for a number (so a run with a number is unchanged).
 */
export function rateFunction(lr) {
  return lr instanceof Schedule ? lr.rate : () => lr;
}
