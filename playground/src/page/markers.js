// Canvas versions of the figures' markers: the optimizers' head markers (matplotlib codes
// from the style registry) and the stationary-point markers (render/markers.py).

/** Trace matplotlib marker `code` centred at (x, y) with radius r as the current path. */
export function tracePath(ctx, code, x, y, r) {
  ctx.beginPath();
  const polygon = (corners, rotation = -Math.PI / 2, scale = 1) => {
    for (let k = 0; k < corners; k++) {
      const a = rotation + (2 * Math.PI * k) / corners;
      const px = x + r * scale * Math.cos(a), py = y + r * scale * Math.sin(a);
      if (k === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
    }
    ctx.closePath();
  };
  switch (code) {
    case "s": ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7); break;
    case "D": polygon(4, -Math.PI / 2, 1.05); break;
    case "d": ctx.moveTo(x, y - r); ctx.lineTo(x + r * 0.6, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r * 0.6, y); ctx.closePath(); break;
    case "^": polygon(3, -Math.PI / 2); break;
    case "v": polygon(3, Math.PI / 2); break;
    case "<": polygon(3, Math.PI); break;
    case ">": polygon(3, 0); break;
    case "p": polygon(5); break;
    case "h": polygon(6); break;
    case "*": star(ctx, x, y, r); break;
    case "bowtie": ctx.moveTo(x - r, y - r * 0.7); ctx.lineTo(x + r, y + r * 0.7); ctx.lineTo(x + r, y - r * 0.7);
      ctx.lineTo(x - r, y + r * 0.7); ctx.closePath(); break;
    default: ctx.arc(x, y, r * 0.9, 0, 2 * Math.PI);
  }
}

function star(ctx, x, y, r) {
  for (let k = 0; k < 10; k++) {
    const a = -Math.PI / 2 + (Math.PI * k) / 5, radius = k % 2 ? r * 0.45 : r;
    const px = x + radius * Math.cos(a), py = y + radius * Math.sin(a);
    if (k === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
  }
  ctx.closePath();
}

/** The figures' marker for a stationary point of `kind`. */
export const STATIONARY_MARKER = { minimum: ["*", 9], saddle: ["bowtie", 7], maximum: ["^", 7] };
