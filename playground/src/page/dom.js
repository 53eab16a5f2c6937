// A small helper for building the page's elements, and the optimizers' legend swatches.
import { tracePath } from "./markers.js";

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else if (key === "text") element.textContent = value;
    else element.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) element.append(child);
  return element;
}

/** A legend swatch: a short line in an optimizer's colour and dash pattern with its head
 * marker, as the plot draws them. */
export function swatch(style) {
  const width = 34, height = 14, ratio = window.devicePixelRatio || 1;
  const canvas = h("canvas", { class: "oa-pg-swatch", "aria-hidden": "true", width: Math.round(width * ratio),
    height: Math.round(height * ratio), style: `width: ${width}px; height: ${height}px` });
  const ctx = canvas.getContext("2d");
  ctx.scale(ratio, ratio);
  ctx.beginPath();
  ctx.moveTo(1, height / 2);
  ctx.lineTo(width - 1, height / 2);
  ctx.strokeStyle = style.color;
  ctx.lineWidth = 2;
  ctx.setLineDash(style.dashes.map((d) => d * 1.2));
  ctx.stroke();
  ctx.setLineDash([]);
  tracePath(ctx, style.marker, width / 2, height / 2, 5);
  ctx.fillStyle = style.color;
  ctx.fill();
  ctx.lineWidth = 1;
  ctx.strokeStyle = "#ffffff";
  ctx.stroke();
  return canvas;
}
