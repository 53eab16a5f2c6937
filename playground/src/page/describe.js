// Text alternatives for the two canvases: what each shows, in words, for screen readers
// (referenced by aria-describedby) and a short polite announcement of what changed. The
// widget refreshes them when the reader pauses, steps or changes a setting, never on every
// frame of a playing run.
import atlas from "../atlas.js";
import { SURFACES } from "../surfaces.js";
import { lossMeasure } from "./chart.js";
import { fmt, outcomeText } from "./format.js";

const title = (name) => atlas.optimizers[name].title;
const at = ([x1, x2]) => `(${fmt(x1)}, ${fmt(x2)})`;
const pointAt = ({ xs }, step) => [xs[2 * step], xs[2 * step + 1]];

/** The contour plot: the surface and its range, its marked points, the start, where each run is. */
export function describePlot(state, runs) {
  const surface = SURFACES[state.surface];
  const [[lo1, hi1], [lo2, hi2]] = surface.bounds;
  const marked = surface.view.marked.filter((p) => p.prominent);
  const others = surface.view.marked.length - marked.length;
  const landmarks = marked.length
    ? ` Marked: ${marked.map((p) => `${p.kind} at ${at(p.location)}`).join(", ")}${others ? `, and ${others} more stationary points` : ""}.`
    : "";
  const where = state.on.length
    ? state.on.map((name) => `${title(name)} at ${at(pointAt(runs[name], state.step))}`).join("; ")
    : "no optimizer shown";
  return `Contour plot of ${surface.title} for x₁ from ${fmt(lo1)} to ${fmt(hi1)} and x₂ from ${fmt(lo2)} to ${fmt(hi2)}, `
    + `shaded by the value of f.${landmarks} Start ${at(state.start)}. After ${state.step} of ${state.budget} steps: ${where}.`;
}

/** The loss chart: what it plots, and each curve from its first to its last step. */
export function describeChart(state, runs) {
  const measure = lossMeasure(state.surface);
  const value = (name, step) => fmt(measure.value(runs[name].losses[step]));
  const curves = state.on.map((name) => `${title(name)} from ${value(name, 0)} to ${value(name, state.budget)}`);
  return `Line chart of ${measure.label} against the step, 0 to ${state.budget}, one line per optimizer`
    + `${curves.length ? `: ${curves.join("; ")}` : ""}. The cursor marks step ${state.step}; the table below gives each optimizer's values there.`;
}

/** What a screen reader hears after a change: the step, and how the runs ended. */
export function announcement(state, runs, { outcomes = false } = {}) {
  const surface = SURFACES[state.surface];
  const step = `Step ${state.step} of ${state.budget}.`;
  if (!outcomes || !state.on.length) return step;
  return `${step} ${state.on.map((name) => `${title(name)}: ${outcomeText(runs[name].outcome, surface, runs[name].leftPlotAt)}`).join("; ")}.`;
}
