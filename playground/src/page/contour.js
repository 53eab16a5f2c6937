// The contour view: the surface's contours at the static figures' levels (d3-contour),
// its marked stationary points, the start, and each optimizer's path up to the current step
// in its site-wide colour, line style and head marker. Drawn crisp at the device pixel ratio.
import { contours } from "d3-contour";

import atlas from "../atlas.js";
import { SURFACES } from "../surfaces.js";
import { h } from "./dom.js";
import { plotGeometry } from "./geometry.js";
import { STATIONARY_MARKER, tracePath } from "./markers.js";

const GRID = 160; // samples per side for the contours
const INK = "#222222";
const LINE_WIDTH = 2;

/** Size `canvas` to `width` × `height` CSS pixels at the device pixel ratio; returns its context. */
export function sizeCanvas(canvas, width, height) {
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/** The contour bands of a surface in grid coordinates (sample i at i + 0.5), computed once. */
const bandCache = new Map();
function bands(key) {
  if (!bandCache.has(key)) {
    const surface = SURFACES[key];
    const [[lo1, hi1], [lo2, hi2]] = surface.bounds;
    const values = new Float64Array(GRID * GRID);
    for (let j = 0; j < GRID; j++) {
      const x2 = hi2 - ((hi2 - lo2) * j) / (GRID - 1); // row 0 at the top
      for (let i = 0; i < GRID; i++) {
        const v = surface.value([lo1 + ((hi1 - lo1) * i) / (GRID - 1), x2]);
        values[j * GRID + i] = Number.isFinite(v) ? v : Number.MAX_VALUE;
      }
    }
    bandCache.set(key, contours().size([GRID, GRID]).thresholds(surface.view.levels)(values));
  }
  return bandCache.get(key);
}

function shade(t) { // low f: a deeper blue; high f: near white (the figures' sense of depth)
  const mix = (a, b) => Math.round(a + (b - a) * t);
  return `rgb(${mix(160, 250)}, ${mix(190, 250)}, ${mix(225, 250)})`;
}

function drawSurface(ctx, geo, key) {
  ctx.fillStyle = shade(0); // below every level: the deepest shade
  ctx.fillRect(geo.left, geo.top, geo.width, geo.height);
  const list = bands(key);
  const toPixel = ([c, r]) => [geo.left + ((c - 0.5) / (GRID - 1)) * geo.width, geo.top + ((r - 0.5) / (GRID - 1)) * geo.height];
  // Each band holds the region f ≥ its level: painted from the lowest level up, the
  // visible colour at a point is that of the highest level below f.
  list.forEach((band, index) => {
    const path = new Path2D();
    for (const polygon of band.coordinates) {
      for (const ring of polygon) {
        ring.forEach((p, k) => { const [x, y] = toPixel(p); if (k) path.lineTo(x, y); else path.moveTo(x, y); });
        path.closePath();
      }
    }
    ctx.fillStyle = shade(list.length > 1 ? (index + 1) / list.length : 1);
    ctx.fill(path, "evenodd");
    ctx.strokeStyle = "rgba(40, 60, 90, 0.45)";
    ctx.lineWidth = 0.8;
    ctx.stroke(path);
  });
}

function drawAxes(ctx, geo) {
  const [[lo1, hi1], [lo2, hi2]] = geo.bounds;
  ctx.strokeStyle = INK;
  ctx.lineWidth = 1;
  ctx.strokeRect(geo.left, geo.top, geo.width, geo.height);
  ctx.fillStyle = INK;
  ctx.font = "12px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const x1 of [lo1, (lo1 + hi1) / 2, hi1]) ctx.fillText(label(x1), geo.toPixel([x1, lo2])[0], geo.top + geo.height + 4);
  ctx.fillText("x₁", geo.left + geo.width / 2 + 40, geo.top + geo.height + 18);
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const x2 of [lo2, (lo2 + hi2) / 2, hi2]) ctx.fillText(label(x2), geo.left - 5, geo.toPixel([lo1, x2])[1]);
  ctx.fillText("x₂", geo.left - 5, geo.top + geo.height / 2 + 30);
}

const label = (v) => String(Number(v.toPrecision(4))).replace("-", "−");

function drawLandmarks(ctx, geo, key) {
  ctx.lineWidth = 1.2;
  ctx.strokeStyle = INK;
  for (const { location, kind, prominent } of SURFACES[key].view.marked) {
    const [x, y] = geo.toPixel(location);
    const [code, size] = prominent ? STATIONARY_MARKER[kind] : ["o", 3];
    tracePath(ctx, code, x, y, size);
    ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
    ctx.fill();
    ctx.stroke();
  }
}

/**
 * The contour view in `container`: under `canvas`, a second canvas with the surface, its
 * landmarks and the axes, drawn once per surface and size; on `canvas` (the one the reader
 * clicks and focuses) the start and each optimizer's path up to the current step, redrawn
 * on every frame. update(...) returns the plot's geometry.
 */
export function createContour(container, canvas) {
  const background = h("canvas", { class: "oa-pg-background", "aria-hidden": "true" });
  container.prepend(background);
  let drawn = "";
  return {
    update(width, height, state, runs) {
      const geo = plotGeometry(SURFACES[state.surface].bounds, width, height);
      const key = `${state.surface}|${width}|${height}|${window.devicePixelRatio || 1}`;
      if (drawn !== key) {
        drawBackground(sizeCanvas(background, width, height), width, height, geo, state.surface);
        drawn = key;
      }
      const ctx = sizeCanvas(canvas, width, height);
      ctx.clearRect(0, 0, width, height);
      drawPaths(ctx, geo, state, runs);
      return geo;
    },
  };
}

function drawBackground(ctx, width, height, geo, key) {
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  ctx.save();
  ctx.beginPath();
  ctx.rect(geo.left, geo.top, geo.width, geo.height);
  ctx.clip();
  drawSurface(ctx, geo, key);
  drawLandmarks(ctx, geo, key);
  ctx.restore();
  drawAxes(ctx, geo);
}

/** The start and every path to `state.step` (runs: name -> {xs}, the flat points). */
function drawPaths(ctx, geo, state, runs) {
  ctx.save();
  ctx.beginPath();
  ctx.rect(geo.left, geo.top, geo.width, geo.height);
  ctx.clip();
  const [sx, sy] = geo.toPixel(state.start);
  tracePath(ctx, "o", sx, sy, 7);
  ctx.lineWidth = 2;
  ctx.strokeStyle = INK;
  ctx.stroke();
  for (const name of state.on) {
    const style = atlas.styles[name];
    const xs = runs[name].xs;
    const last = Math.min(state.step, xs.length / 2 - 1);
    tracePolyline(ctx, geo, xs, last);
    ctx.strokeStyle = style.color;
    ctx.lineWidth = LINE_WIDTH;
    ctx.setLineDash(style.dashes.map((d) => d * LINE_WIDTH * 0.75));
    ctx.stroke();
    ctx.setLineDash([]);
    const [hx, hy] = geo.toPixel([xs[2 * last], xs[2 * last + 1]]);
    tracePath(ctx, style.marker, hx, hy, 6);
    ctx.fillStyle = style.color;
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = "#ffffff";
    ctx.stroke();
  }
  ctx.restore();
}

/** The path through points 0…last as the current path, leaving out the points within half a
 * pixel of the last one drawn (a slow run takes hundreds of steps per pixel; the last point
 * is always drawn, where the head marker sits). */
function tracePolyline(ctx, geo, xs, last) {
  const [[lo1, hi1], [lo2, hi2]] = geo.bounds;
  const { left, top, width, height } = geo; // the map of geo.toPixel, without an array per point
  let px = left + ((xs[0] - lo1) / (hi1 - lo1)) * width, py = top + ((hi2 - xs[1]) / (hi2 - lo2)) * height;
  ctx.beginPath();
  ctx.moveTo(px, py);
  for (let t = 1; t <= last; t++) {
    const x = left + ((xs[2 * t] - lo1) / (hi1 - lo1)) * width, y = top + ((hi2 - xs[2 * t + 1]) / (hi2 - lo2)) * height;
    if (t === last || Math.abs(x - px) + Math.abs(y - py) >= 0.5) {
      ctx.lineTo(x, y);
      px = x;
      py = y;
    }
  }
}
