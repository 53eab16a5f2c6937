// How a run ended, judged over a horizon longer than the budget shown: a port of
// optimizers/outcomes.py's classify for one run, with the same definitions and the
// parameters the build exports. See that module's docstring for the table of kinds.
import atlas from "./atlas.js";

const C = atlas.constants;

/** The number of steps a run of `budget` steps is continued to before it is classified. */
export const horizonFor = (budget) => C.HORIZON_FACTOR * budget;

/** The last steps of a horizon over which cycling is judged (outcomes._cycling). */
const cycleWindow = (horizon) => Math.max(20, Math.floor(horizon / 10));

/**
 * Classify one run given over its whole horizon (`points`: horizon + 1 points [x1, x2],
 * `losses`, `divergedAt`) of which the first `budget` steps are shown. Returns
 * {kind, end, point, reached_at, arrived_at, left_at, diverged_at, budget, horizon} as Python's Outcome.
 */
export function classify(points, losses, divergedAt, surface, budget) {
  const xs = new Float64Array(2 * points.length);
  points.forEach(([x1, x2], t) => { xs[2 * t] = x1; xs[2 * t + 1] = x2; });
  return classifyTrajectory({ xs, losses, divergedAt }, surface, budget);
}

/** classify for a run as `trajectory` returns it: {xs (flat points), losses, divergedAt}. */
export function classifyTrajectory({ xs, losses, divergedAt }, surface, budget) {
  const horizon = losses.length - 1;
  budget = Math.min(budget, horizon);
  // One pass over the losses: first step at the target, first step off it after that, the
  // last step off it (NaN, a diverged run's loss, is off the target), and the longest
  // absence from the target after first reaching it (outcomes._longest_absence).
  let reachedAt = -1, offAfter = -1, lastOutside = -1, lastOn = -1, longestAbsence = 0;
  const { escape_loss: escape, min_value: minimum, loss_tol: tolerance } = surface;
  for (let t = 0; t <= horizon; t++) {
    if (gap(losses[t], escape, minimum, tolerance) <= 0) {
      if (reachedAt < 0) reachedAt = t;
      lastOn = t;
    } else {
      lastOutside = t;
      if (reachedAt >= 0 && offAfter < 0) offAfter = t;
      if (lastOn >= 0) longestAbsence = Math.max(longestAbsence, t - lastOn);
    }
  }
  let arrivedAt = lastOutside < 0 ? 0 : lastOutside === horizon ? -1 : lastOutside + 1; // steps_to_tolerance
  const cycling = isCycling(xs, losses);
  // A run hopping on and off the target may happen to be on it at the horizon's last step: a
  // return after leaving counts as arriving only if the run then stays longer than it was
  // ever away.
  const flicker = arrivedAt > reachedAt && horizon + 1 - arrivedAt <= longestAbsence;
  if (flicker) arrivedAt = -1;
  const atEnd = lastOutside !== horizon;

  const final = [xs[2 * horizon], xs[2 * horizon + 1]], finalLoss = losses[horizon];
  const finite = Number.isFinite(final[0]) && Number.isFinite(final[1]) && Number.isFinite(finalLoss);
  const diverged = divergedAt >= 0 || !finite;
  const stationary = stationaryKind(surface, final.map(nanToNum));
  const values = surface.stationary_points.map((p) => p.value);
  const belowAll = finalLoss < (values.length ? Math.min(...values) : Infinity);
  const window = Math.max(1, Math.floor(horizon / 10));
  const falling = finalLoss < losses[Math.max(0, horizon - window)];
  const escaping = surface.unbounded_below && belowAll && falling && stationary === "";
  const end = flicker && cycling ? "cycling" // even if its last hop lands on a stationary point
    : diverged ? "diverged" : atEnd ? "target" : escaping ? "escaping" : stationary !== "" ? stationary
      : !inside(surface, final) ? "left_plot" : cycling ? "cycling" : "moving";
  const point = ["minimum", "saddle", "maximum", "target"].includes(end) ? nearestPoint(surface, final) : -1;

  const held = arrivedAt >= 0 && arrivedAt <= budget;
  const late = arrivedAt > budget;
  const left = reachedAt >= 0 && !held && !late;
  const kind = held ? "held" : late ? "late" : left ? "left" : end;
  return { kind, end, point, reached_at: reachedAt, arrived_at: arrivedAt, left_at: left ? offAfter : -1,
    diverged_at: divergedAt, budget, horizon };
}

/** How far a loss is from the surface's target; reached where <= 0 (outcomes.target_gap). */
export function targetGap(surface, loss) {
  return gap(loss, surface.escape_loss, surface.min_value, surface.loss_tol);
}

function gap(loss, escape, minimum, tolerance) {
  return escape !== null ? loss - escape : Math.abs(loss - minimum) - tolerance;
}

/** "minimum", "saddle" or "maximum" where the gradient is small, else "" (outcomes.stationary_kind). */
export function stationaryKind(surface, x) {
  const [g1, g2] = surface.grad(x);
  if (!(Math.sqrt(g1 * g1 + g2 * g2) <= C.GRAD_TOL)) return "";
  const [a, b, , d] = surface.hessian(x).map(nanToNum);
  // Eigenvalues of the symmetric 2 × 2 Hessian (numpy's eigvalsh differs in the last bits,
  // which matters only within rounding of ±CURVATURE_TOL).
  const mean = (a + d) / 2, radius = Math.sqrt(((a - d) / 2) * ((a - d) / 2) + b * b);
  const eigenvalues = [mean - radius, mean + radius];
  if (eigenvalues.every((e) => e > C.CURVATURE_TOL)) return "minimum";
  if (eigenvalues.every((e) => e < -C.CURVATURE_TOL)) return "maximum";
  return "saddle";
}

/** Index of the listed stationary point within POINT_FRACTION of the plot diagonal, else -1. */
export function nearestPoint(surface, x) {
  const points = surface.stationary_points;
  if (!points.length) return -1;
  const [[lo1, hi1], [lo2, hi2]] = surface.bounds;
  const near = C.POINT_FRACTION * Math.hypot(hi1 - lo1, hi2 - lo2);
  let index = 0, best = Infinity;
  points.forEach((p, i) => {
    const d1 = x[0] - p.location[0], d2 = x[1] - p.location[1];
    const distance = Math.sqrt(d1 * d1 + d2 * d2);
    if (distance < best) { best = distance; index = i; } // NaN never wins, as nan_to_num(nan=inf)
  });
  return best <= near ? index : -1;
}

function inside(surface, x) {
  const [[lo1, hi1], [lo2, hi2]] = surface.bounds;
  return x[0] >= lo1 && x[0] <= hi1 && x[1] >= lo2 && x[1] <= hi2;
}

/** Bounded and not settling over the final window (outcomes._cycling). */
function isCycling(xs, losses) {
  const horizon = losses.length - 1, window = cycleWindow(horizon);
  if (horizon + 1 <= window) return false;
  const from = horizon - window; // the tail: steps from..horizon
  const lengths = scratch(window);
  for (let i = 0; i < window; i++) {
    const t = from + i, d1 = xs[2 * t + 2] - xs[2 * t], d2 = xs[2 * t + 3] - xs[2 * t + 1];
    lengths[i] = Math.sqrt(d1 * d1 + d2 * d2);
  }
  const path = pairwiseSum(lengths, 0, window);
  const n1 = xs[2 * horizon] - xs[2 * from], n2 = xs[2 * horizon + 1] - xs[2 * from + 1];
  const net = Math.sqrt(n1 * n1 + n2 * n2);
  const half = Math.floor(window / 2);
  const early = pairwiseSum(lengths, 0, half) / half;
  const late = pairwiseSum(lengths, half, window - half) / (window - half);
  // The lows of f, not its mean: a half may hold one more high step of a cycle than the other.
  const first = nanMin(losses, from, from + half + 1), second = nanMin(losses, from + half + 1, horizon + 1);
  const falling = second < first - C.CYCLE_FALL * Math.abs(first);
  return path > 0 && net < C.CYCLE_EFFICIENCY * path && late >= C.CYCLE_SHRINK * early && !falling;
}

// The step lengths of the window, in one array reused from run to run (an array of this
// size is allocated outside V8's heap, which costs more than the loop that fills it).
let lengthsBuffer = new Float64Array(0);
function scratch(length) {
  if (lengthsBuffer.length < length) lengthsBuffer = new Float64Array(length);
  return lengthsBuffer;
}

/** numpy's pairwise summation of a contiguous float64 array (what .sum() and .mean() use). */
export function pairwiseSum(a, start, n) {
  if (n < 8) {
    let res = 0;
    for (let i = start; i < start + n; i++) res += a[i];
    return res;
  }
  if (n <= 128) { // eight running sums r0…r7, added pairwise
    let r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
    let r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7];
    let i = start + 8;
    for (const blocks = start + n - (n % 8); i < blocks; i += 8) {
      r0 += a[i]; r1 += a[i + 1]; r2 += a[i + 2]; r3 += a[i + 3];
      r4 += a[i + 4]; r5 += a[i + 5]; r6 += a[i + 6]; r7 += a[i + 7];
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < start + n; i++) res += a[i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

function nanMin(values, start, end) { // np.min of values[start:end]: NaN if any is NaN
  let low = Infinity;
  for (let i = start; i < end; i++) {
    const v = values[i];
    if (Number.isNaN(v)) return NaN;
    if (v < low) low = v;
  }
  return low;
}

function nanToNum(v) { // np.nan_to_num: NaN -> 0, ±inf -> ±largest double
  return Number.isNaN(v) ? 0 : v === Infinity ? Number.MAX_VALUE : v === -Infinity ? -Number.MAX_VALUE : v;
}
