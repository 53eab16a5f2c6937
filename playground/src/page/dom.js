// A small helper for building the page's elements.
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

/** A short line in an optimizer's colour and dash pattern (legend swatch). */
export function swatch(style) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", "28");
  svg.setAttribute("height", "10");
  svg.setAttribute("aria-hidden", "true");
  svg.classList.add("oa-pg-swatch");
  const line = document.createElementNS(ns, "line");
  Object.entries({ x1: 1, y1: 5, x2: 27, y2: 5, stroke: style.color, "stroke-width": 2.5 })
    .forEach(([k, v]) => line.setAttribute(k, v));
  if (style.dashes.length) line.setAttribute("stroke-dasharray", style.dashes.map((d) => d * 1.2).join(" "));
  svg.append(line);
  return svg;
}
