// The playground's state and its URL: surface, optimizers on, their hyperparameters, start,
// steps budget and current step. Every value read from a URL is checked as the controls
// check it; what is invalid falls back to the defaults (never a NaN on screen).
import atlas from "../atlas.js";
import { violation } from "../runner.js";

export const MAX_BUDGET = 5000; // the horizon runs to 5× this: ≈ 0.3 s for all 11 optimizers
export const PRESETS = { seed: "hand-picked", tuned: "tuned", defaults: "defaults" };

/** The optimizers in the order the site's tables list them. */
export function optimizerNames(surfaceKey) {
  const setting = atlas.settings[surfaceKey];
  const listed = setting ? Object.keys(setting.seed) : [];
  return [...listed, ...Object.keys(atlas.optimizers).filter((n) => !listed.includes(n))];
}

export const defaults = (name) =>
  Object.fromEntries(Object.entries(atlas.optimizers[name].hypers).map(([k, h]) => [k, h.default]));

/** Every optimizer's hyperparameters under a preset on a surface. */
export function presetHparams(surfaceKey, preset) {
  const setting = atlas.settings[surfaceKey];
  return Object.fromEntries(optimizerNames(surfaceKey).map((name) => {
    const chosen = preset !== "defaults" && setting ? setting[preset]?.[name] : null;
    return [name, { ...defaults(name), ...(chosen ?? {}) }];
  }));
}

/** The state a surface opens with: the hand-picked settings, from its start, for its budget. */
export function initialState(surfaceKey = Object.keys(atlas.settings)[0] ?? Object.keys(atlas.surfaces)[0]) {
  const setting = atlas.settings[surfaceKey];
  const surface = atlas.surfaces[surfaceKey];
  return {
    surface: surfaceKey,
    on: ["sgd", "momentum", "adam"].filter((n) => n in atlas.optimizers),
    hparams: presetHparams(surfaceKey, "seed"),
    start: [...(setting?.start ?? surface.start)],
    budget: setting?.steps ?? surface.steps,
    step: 0,
  };
}

export function insideBounds(surfaceKey, [x1, x2]) {
  const [[lo1, hi1], [lo2, hi2]] = atlas.surfaces[surfaceKey].bounds;
  return x1 >= lo1 && x1 <= hi1 && x2 >= lo2 && x2 <= hi2;
}

/** The state as URL search parameters: the hyperparameters of every optimizer shown or
 * set away from the hand-picked ones (the others are the hand-picked ones). */
export function toQuery(state) {
  const q = new URLSearchParams();
  q.set("surface", state.surface);
  q.set("on", state.on.join(","));
  const handPicked = presetHparams(state.surface, "seed");
  for (const [name, values] of Object.entries(state.hparams)) {
    const changed = Object.entries(values).some(([k, v]) => v !== handPicked[name][k]);
    if (state.on.includes(name) || changed) q.set(name, Object.entries(values).map(([k, v]) => `${k}:${v}`).join(","));
  }
  q.set("start", state.start.join(","));
  q.set("steps", String(state.budget));
  q.set("step", String(state.step));
  return q.toString();
}

/**
 * The state a query describes, and what it refused: a missing part keeps its initial value,
 * an invalid one too, and is listed in `refused` (one phrase each) for the page to say so.
 */
export function fromQuery(search) {
  const q = new URLSearchParams(search);
  const refused = [];
  const refuse = (what, why) => refused.push(`${what} (${why})`);
  const surface = q.get("surface");
  if (surface !== null && !(surface in atlas.surfaces)) refuse(`surface=${surface}`, "no such surface");
  const state = initialState(surface in atlas.surfaces ? surface : undefined);
  const preset = q.get("preset"); // "Explore this run" links name the setting of an animation
  if (preset in PRESETS) state.hparams = presetHparams(state.surface, preset);
  else if (preset !== null) refuse(`preset=${preset}`, `known: ${Object.keys(PRESETS).join(", ")}`);
  if (q.has("on")) {
    const names = q.get("on").split(",").filter(Boolean);
    state.on = names.filter((n) => n in atlas.optimizers);
    const unknown = names.filter((n) => !(n in atlas.optimizers));
    if (unknown.length) refuse(`on=${unknown.join(",")}`, "no such optimizer");
  }
  for (const name of Object.keys(state.hparams)) {
    for (const pair of (q.get(name) ?? "").split(",").filter(Boolean)) {
      const [key, text = ""] = pair.split(":");
      const value = text.trim() === "" ? NaN : Number(text);
      const hyper = atlas.optimizers[name].hypers[key];
      const reason = !hyper ? "no such hyperparameter" : Number.isNaN(value) ? "not a number" : violation(hyper.kind, value);
      if (reason) refuse(`${name} ${key}=${text}`, reason);
      else state.hparams[name][key] = value;
    }
  }
  if (q.has("start")) {
    const start = q.get("start").split(",").map((v) => (v.trim() === "" ? NaN : Number(v)));
    if (start.length === 2 && start.every(Number.isFinite) && insideBounds(state.surface, start)) state.start = start;
    else refuse(`start=${q.get("start")}`, "not a point of the plot");
  }
  if (q.has("steps")) {
    const budget = Number(q.get("steps"));
    if (Number.isInteger(budget) && budget >= 1 && budget <= MAX_BUDGET) state.budget = budget;
    else refuse(`steps=${q.get("steps")}`, `a whole number from 1 to ${MAX_BUDGET}`);
  }
  if (q.has("step")) {
    const step = Number(q.get("step"));
    if (q.get("step") !== "" && Number.isInteger(step) && step >= 0) state.step = Math.min(step, state.budget);
    else refuse(`step=${q.get("step")}`, "a whole number from 0");
  }
  return { state, refused };
}
