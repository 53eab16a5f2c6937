// Plot geometry shared by the contour view and its pointer handling: the plot rectangle in
// CSS pixels and the maps between surface coordinates and pixels (x2 grows upwards).
export const MARGIN = { left: 44, right: 12, top: 12, bottom: 34 };

export function plotGeometry(bounds, width, height) {
  const [[lo1, hi1], [lo2, hi2]] = bounds;
  const left = MARGIN.left, top = MARGIN.top;
  const w = width - MARGIN.left - MARGIN.right, h = height - MARGIN.top - MARGIN.bottom;
  return {
    left, top, width: w, height: h, bounds,
    toPixel: ([x1, x2]) => [left + ((x1 - lo1) / (hi1 - lo1)) * w, top + ((hi2 - x2) / (hi2 - lo2)) * h],
    toPoint: ([px, py]) => [lo1 + ((px - left) / w) * (hi1 - lo1), hi2 - ((py - top) / h) * (hi2 - lo2)],
  };
}

/** The plot's height for a width: the surface's aspect ratio, within limits. */
export function plotHeight(bounds, width) {
  const [[lo1, hi1], [lo2, hi2]] = bounds;
  const aspect = Math.min(1, Math.max(0.55, (hi2 - lo2) / (hi1 - lo1)));
  return Math.round(Math.min(620, (width - MARGIN.left - MARGIN.right) * aspect + MARGIN.top + MARGIN.bottom));
}

/** Round a clicked coordinate to 1/2000 of the plot's width (readable URLs, same run). */
export function roundToPlot(bounds, [x1, x2]) {
  const unit = (bounds[0][1] - bounds[0][0]) / 2000;
  const round = (v) => Number((Math.round(v / unit) * unit).toPrecision(12));
  return [round(x1), round(x2)];
}
