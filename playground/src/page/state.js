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

/** The state a query describes; a missing or invalid part keeps its initial value. */
export function fromQuery(search) {
  const q = new URLSearchParams(search);
  const surface = q.get("surface");
  const state = initialState(surface in atlas.surfaces ? surface : undefined);
  const preset = q.get("preset"); // "Explore this run" links name the setting of an animation
  if (preset in PRESETS) state.hparams = presetHparams(state.surface, preset);
  const on = (q.get("on") ?? "").split(",").filter((n) => n in atlas.optimizers);
  if (q.has("on")) state.on = on;
  for (const name of Object.keys(state.hparams)) {
    for (const pair of (q.get(name) ?? "").split(",").filter(Boolean)) {
      const [key, text] = pair.split(":");
      const value = Number(text);
      const hyper = atlas.optimizers[name].hypers[key];
      if (hyper && text !== "" && !violation(hyper.kind, value)) state.hparams[name][key] = value;
    }
  }
  const start = (q.get("start") ?? "").split(",").map(Number);
  if (start.length === 2 && start.every(Number.isFinite) && insideBounds(state.surface, start)) state.start = start;
  const budget = Number(q.get("steps"));
  if (Number.isInteger(budget) && budget >= 1 && budget <= MAX_BUDGET) state.budget = budget;
  const step = Number(q.get("step"));
  if (Number.isInteger(step) && step >= 0) state.step = Math.min(step, state.budget);
  return state;
}
