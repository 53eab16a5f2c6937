// The runs the page shows: every optimizer switched on, run to the horizon the outcome
// definitions need, classified as the tables are.
import { classify, horizonFor } from "../outcomes.js";
import { run } from "../runner.js";
import { SURFACES } from "../surfaces.js";

// The last run of each optimizer, with what it was computed from: a slider move then
// recomputes only the optimizer whose hyperparameter moved.
const cache = new Map();

/** name -> {points, losses, divergedAt, outcome} over the horizon of `state.budget`. */
export function computeRuns(state) {
  const surface = SURFACES[state.surface];
  const horizon = horizonFor(state.budget);
  const runs = {};
  for (const name of state.on) {
    const key = JSON.stringify([state.surface, state.hparams[name], state.start, state.budget]);
    if (cache.get(name)?.key !== key) {
      const r = run(name, state.hparams[name], state.surface, state.start, horizon);
      cache.set(name, { key, run: { ...r, outcome: classify(r.points, r.losses, r.divergedAt, surface, state.budget) } });
    }
    runs[name] = cache.get(name).run;
  }
  return runs;
}

/** |∇f| at a point (NaN-free: a non-finite gradient reads as ∞). */
export function gradNorm(surfaceKey, x) {
  const [g1, g2] = SURFACES[surfaceKey].grad(x);
  const norm = Math.sqrt(g1 * g1 + g2 * g2);
  return Number.isNaN(norm) ? Infinity : norm;
}
