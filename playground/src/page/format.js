// Numbers and outcomes worded as the site's tables word them (build_assets/experiment.py:
// fmt, _outcome_text), with the phrases taken from the build's export.
import atlas from "../atlas.js";

/** A number as the pages show it: floats to `digits` significant digits. */
export function fmt(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  const rounded = Number(value.toPrecision(digits));
  if (rounded === 0) return "0";
  if (Math.abs(rounded) >= 1e-3 && Math.abs(rounded) < 10 ** digits) return String(Number(rounded.toPrecision(digits)));
  const [mantissa, exponent] = rounded.toExponential(digits - 1).split("e");
  return `${mantissa.replace(/\.?0+$/, "")}e${Number(exponent)}`;
}

function where(surface, point) {
  if (point < 0) return "";
  const [x1, x2] = surface.stationary_points[point].location;
  return ` (${fmt(x1)}, ${fmt(x2)})`;
}

/** How a run ended, judged to the horizon, in the tables' words (experiment._outcome_text);
 * `leftPlotAt`: the first step within the budget outside the plot, else -1. */
export function outcomeText(o, surface, leftPlotAt = -1) {
  const { kind, horizon } = o;
  if (kind === "held") return `reached, held to step ${horizon}`;
  if (kind === "late") return `arrives at step ${o.arrived_at}, after the budget`;
  if (kind === "left") {
    const then = { target: "", moving: "", cycling: ", then cycles" }[o.end]
      ?? `; by step ${horizon} ${atlas.end_text[o.end]}${where(surface, o.point)}`;
    return `reached at step ${o.reached_at}, left at step ${o.left_at}${then}`;
  }
  if (kind === "diverged") return `diverged at step ${o.diverged_at}`;
  const left = kind !== "left_plot" && leftPlotAt >= 0 ? `; left the plot at step ${leftPlotAt}` : "";
  return `${atlas.kind_text[kind]}${where(surface, o.point)} at step ${horizon}${left}`;
}
