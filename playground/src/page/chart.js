// The loss-per-step chart, on the static loss figures' axis: log10(f − f*) where f* is the
// lowest value in the plot, else f on a symlog scale (the saddle, the cubic); every run over
// the budget, a cursor at the current step.
import { scaleLinear } from "d3-scale";

import atlas from "../atlas.js";
import { SURFACES } from "../surfaces.js";
import { sizeCanvas } from "./contour.js";
import { h } from "./dom.js";
import { fmt } from "./format.js";

const MARGIN = { left: 48, right: 18, top: 26, bottom: 32 };
const FLOOR = 1e-16; // f − f* below this reads as this (the log needs a positive number)

/** What the chart plots for a loss on this surface, its axis label and tick labels. */
export function lossMeasure(surfaceKey) {
  const surface = SURFACES[surfaceKey];
  if (surface.view.loss_gap) {
    return { label: "log₁₀(f − f*)", value: (f) => Math.log10(Math.max(f - surface.min_value, FLOOR)),
      tick: (v) => String(v).replace("-", "−") };
  }
  const t = surface.view.symlog_threshold;
  return {
    label: "f (symmetric log scale)",
    value: (f) => Math.sign(f) * Math.log10(1 + Math.abs(f) / t),
    tick: (v) => fmt(Math.sign(v) * (10 ** Math.abs(v) - 1) * t, 2).replace("-", "−"),
  };
}

/**
 * The chart in `container`: a canvas with the curves, drawn when the runs, the optimizers
 * shown or the size change, and over it the step cursor, an element moved by a transform,
 * so that a frame of a playing run neither redraws nor re-uploads the canvas.
 */
export function createChart(container, canvas) {
  const cursor = h("div", { class: "oa-pg-cursor", "aria-hidden": "true" });
  container.append(cursor);
  let drawn = { runs: null, key: "", x: null };
  return {
    update(width, height, state, runs) {
      const key = `${state.surface}|${state.budget}|${state.on.join(",")}|${width}|${height}|${window.devicePixelRatio || 1}`;
      if (drawn.runs !== runs || drawn.key !== key) {
        const ctx = sizeCanvas(canvas, width, height);
        drawn = { runs, key, x: drawCurves(ctx, width, height, state, runs) };
        cursor.style.top = `${MARGIN.top}px`;
        cursor.style.height = `${height - MARGIN.top - MARGIN.bottom}px`;
      }
      cursor.style.transform = `translateX(${drawn.x(state.step).toFixed(1)}px)`;
    },
  };
}

/** The axes and every run's curve; returns the step → pixel scale. */
function drawCurves(ctx, width, height, state, runs) {
  const measure = lossMeasure(state.surface);
  const series = state.on.map((name) => [name, Array.from(runs[name].losses.subarray(0, state.budget + 1), measure.value)]);
  const finite = series.flatMap(([, v]) => v.filter(Number.isFinite));
  let [low, high] = finite.length ? [Math.min(...finite), Math.max(...finite)] : [0, 1];
  if (high - low < 1e-9) { low -= 1; high += 1; }
  const x = scaleLinear().domain([0, state.budget]).range([MARGIN.left, width - MARGIN.right]);
  const y = scaleLinear().domain([low, high]).range([height - MARGIN.bottom, MARGIN.top]).nice();
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  ctx.strokeStyle = "#dddddd";
  ctx.fillStyle = "#222222";
  ctx.font = "11px system-ui, sans-serif";
  ctx.lineWidth = 1;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const tick of y.ticks(5)) {
    ctx.beginPath(); ctx.moveTo(MARGIN.left, y(tick)); ctx.lineTo(width - MARGIN.right, y(tick)); ctx.stroke();
    ctx.fillText(measure.tick(tick), MARGIN.left - 4, y(tick));
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const tick of x.ticks(5)) ctx.fillText(String(tick), x(tick), height - MARGIN.bottom + 4);
  ctx.fillText("step", MARGIN.left + (width - MARGIN.left - MARGIN.right) / 2, height - 15);
  ctx.textAlign = "left";
  ctx.font = "12px system-ui, sans-serif";
  ctx.fillText(measure.label, MARGIN.left, 6); // the y axis, as a title
  ctx.save();
  ctx.beginPath();
  ctx.rect(MARGIN.left, MARGIN.top, width - MARGIN.left - MARGIN.right, height - MARGIN.top - MARGIN.bottom);
  ctx.clip();
  for (const [name, values] of series) {
    const style = atlas.styles[name];
    ctx.beginPath();
    let pen = false;
    values.forEach((v, t) => {
      if (!Number.isFinite(v)) { pen = false; return; }
      if (pen) ctx.lineTo(x(t), y(v)); else ctx.moveTo(x(t), y(v));
      pen = true;
    });
    ctx.strokeStyle = style.color;
    ctx.lineWidth = 1.6;
    ctx.setLineDash(style.dashes.map((d) => d * 1.2));
    ctx.stroke();
    ctx.setLineDash([]);
  }
  ctx.restore();
  ctx.strokeStyle = "#555555";
  ctx.lineWidth = 1;
  ctx.strokeRect(MARGIN.left, MARGIN.top, width - MARGIN.left - MARGIN.right, height - MARGIN.top - MARGIN.bottom);
  return x;
}
