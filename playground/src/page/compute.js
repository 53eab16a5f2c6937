// The runs the page shows: every optimizer switched on, run to the horizon the outcome
// definitions need, classified as the tables are.
import { classifyTrajectory, horizonFor } from "../outcomes.js";
import { trajectory } from "../runner.js";
import { SURFACES } from "../surfaces.js";

/**
 * A cache of runs: computeRuns(state) -> name -> {xs, losses, divergedAt, outcome, leftPlotAt}
 * over the horizon of `state.budget` (xs[2t], xs[2t + 1]: the point after t steps). Each optimizer's
 * last run is kept with what it was computed from, so a slider move recomputes only the
 * optimizer whose hyperparameter moved; a run that is replaced lends its arrays to the new one.
 */
export function createRunCache() {
  const cache = new Map();
  return function computeRuns(state) {
    const surface = SURFACES[state.surface];
    const horizon = horizonFor(state.budget);
    const runs = {};
    for (const name of state.on) {
      const key = JSON.stringify([state.surface, state.hparams[name], state.start, state.budget]);
      let entry = cache.get(name);
      if (entry?.key !== key) {
        const r = trajectory(name, state.hparams[name], state.surface, state.start, horizon, entry?.run);
        entry = { key, run: { ...r, outcome: classifyTrajectory(r, surface, state.budget),
          leftPlotAt: leftPlotAt(r, surface, state.budget) } };
        cache.set(name, entry);
      }
      runs[name] = entry.run;
    }
    return runs;
  };
}

/** |∇f| at the point after `step` steps of a run (NaN-free: a non-finite gradient reads as ∞). */
export function gradNorm(surfaceKey, { xs }, step) {
  const [g1, g2] = SURFACES[surfaceKey].grad([xs[2 * step], xs[2 * step + 1]]);
  const norm = Math.sqrt(g1 * g1 + g2 * g2);
  return Number.isNaN(norm) ? Infinity : norm;
}

/** The first step within the budget at a point outside the plot, else -1 (metrics.py's
 * left_plot_at, which the tables' outcome column mentions). */
export function leftPlotAt({ xs }, surface, budget) {
  const [[lo1, hi1], [lo2, hi2]] = surface.bounds;
  for (let t = 0; t <= budget; t++) {
    const x1 = xs[2 * t], x2 = xs[2 * t + 1];
    if (!(x1 >= lo1 && x1 <= hi1 && x2 >= lo2 && x2 <= hi2)) return t;
  }
  return -1;
}
