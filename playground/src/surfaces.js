// The test surfaces, mirroring optimizers/surfaces.py: f, its gradient and Hessian, written
// with numpy's operation order (x*x for x**2, left-to-right products) so that the values
// agree bit for bit. The metadata (title, bounds, start, steps, stationary points, f*,
// loss_tol, divergence bound...) is the build's export, merged in below.
import atlas from "./atlas.js";

const TAU = 2 * Math.PI; // Python's 2 * np.pi, the same double
const VALLEY_SLOPE = 0.05; // optimizers/surfaces.py VALLEY_SLOPE

// Per surface, of a point x = [x1, x2]: f(x), and the gradient and Hessian written into a
// caller's array (`out`), so that a run of thousands of steps allocates nothing per step.
// (x[0] and x[1] rather than destructuring [x1, x2], which V8 compiles to slower code.)
const MATH = {
  cubic: {
    f(x) {
      const x1 = x[0], x2 = x[1];
      return x1 * x1 + x2 * x2 + x2 * x2 * x2 + x1 * x2;
    },
    df(x, out) {
      const x1 = x[0], x2 = x[1];
      out[0] = 2 * x1 + x2;
      out[1] = 2 * x2 + 3 * (x2 * x2) + x1;
    },
    d2f: (x, out) => symmetric(out, 2, 1, 2 + 6 * x[1]),
  },
  ill_conditioned_bowl: {
    f(x) {
      const x1 = x[0], x2 = x[1];
      return (x1 * x1) / 20 + x2 * x2;
    },
    df(x, out) {
      out[0] = x[0] / 10;
      out[1] = 2 * x[1];
    },
    d2f: (x, out) => symmetric(out, 0.1, 0, 2),
  },
  rotated_bowl: {
    f(x) {
      const x1 = x[0], x2 = x[1];
      const along = x1 + x2, across = x2 - x1;
      return (along * along) / 40 + (across * across) / 2;
    },
    df(x, out) {
      const x1 = x[0], x2 = x[1];
      out[0] = 1.05 * x1 - 0.95 * x2;
      out[1] = 1.05 * x2 - 0.95 * x1;
    },
    d2f: (x, out) => symmetric(out, 1.05, -0.95, 1.05),
  },
  saddle: {
    f(x) {
      const x1 = x[0], x2 = x[1];
      return -(x1 * x1) / 2 + x2 * x2;
    },
    df(x, out) {
      out[0] = -x[0];
      out[1] = 2 * x[1];
    },
    d2f: (x, out) => symmetric(out, -1, 0, 2),
  },
  rosenbrock: {
    f(x) {
      const x1 = x[0], x2 = x[1];
      const a = 1 - x1, b = x2 - x1 * x1;
      return a * a + 100 * (b * b);
    },
    df(x, out) {
      const x1 = x[0], x2 = x[1];
      out[0] = -2 * (1 - x1) - 400 * x1 * (x2 - x1 * x1);
      out[1] = 200 * (x2 - x1 * x1);
    },
    d2f(x, out) {
      const x1 = x[0], x2 = x[1];
      symmetric(out, 2 - 400 * x2 + 1200 * (x1 * x1), -400 * x1, 200);
    },
  },
  beale: {
    f(x) {
      const x1 = x[0], x2 = x[1];
      const a = bealeA(x1, x2), b = bealeB(x1, x2), c = bealeC(x1, x2);
      return a * a + b * b + c * c;
    },
    df(x, out) {
      const x1 = x[0], x2 = x[1];
      const a = bealeA(x1, x2), b = bealeB(x1, x2), c = bealeC(x1, x2);
      out[0] = 2 * a * (x2 - 1) + 2 * b * (x2 * x2 - 1) + 2 * c * (x2 * x2 * x2 - 1);
      out[1] = 2 * a * x1 + 4 * b * x1 * x2 + 6 * c * x1 * (x2 * x2);
    },
    d2f(x, out) {
      const x1 = x[0], x2 = x[1];
      const a = bealeA(x1, x2), b = bealeB(x1, x2), c = bealeC(x1, x2);
      const da1 = x2 - 1, db1 = x2 * x2 - 1, dc1 = x2 * x2 * x2 - 1; // ∂/∂x1 of the terms
      const da2 = x1, db2 = 2 * x1 * x2, dc2 = 3 * x1 * (x2 * x2); // ∂/∂x2 of the terms
      symmetric(out,
        2 * (da1 * da1 + db1 * db1 + dc1 * dc1),
        2 * (da1 * da2 + db1 * db2 + dc1 * dc2) + 2 * (a + 2 * b * x2 + 3 * c * (x2 * x2)),
        2 * (da2 * da2 + db2 * db2 + dc2 * dc2) + 2 * (2 * b * x1 + 6 * c * x1 * x2));
    },
  },
  himmelblau: {
    f(x) {
      const x1 = x[0], x2 = x[1];
      const a = x1 * x1 + x2 - 11, b = x1 + x2 * x2 - 7;
      return a * a + b * b;
    },
    df(x, out) {
      const x1 = x[0], x2 = x[1];
      const a = x1 * x1 + x2 - 11, b = x1 + x2 * x2 - 7;
      out[0] = 4 * x1 * a + 2 * b;
      out[1] = 2 * a + 4 * x2 * b;
    },
    d2f(x, out) {
      const x1 = x[0], x2 = x[1];
      symmetric(out, 12 * (x1 * x1) + 4 * x2 - 42, 4 * (x1 + x2), 4 * x1 + 12 * (x2 * x2) - 26);
    },
  },
  // cos and sin are approximated differently by numpy and JavaScript engines: the golden
  // tests compare Rastrigin runs with a tolerance, up to the step where the paths separate.
  rastrigin: {
    f(x) {
      const x1 = x[0], x2 = x[1];
      return 20 + x1 * x1 - 10 * Math.cos(TAU * x1) + x2 * x2 - 10 * Math.cos(TAU * x2);
    },
    df(x, out) {
      out[0] = 2 * x[0] + 20 * Math.PI * Math.sin(TAU * x[0]);
      out[1] = 2 * x[1] + 20 * Math.PI * Math.sin(TAU * x[1]);
    },
    d2f: (x, out) => symmetric(out,
      2 + 40 * (Math.PI * Math.PI) * Math.cos(TAU * x[0]), 0, 2 + 40 * (Math.PI * Math.PI) * Math.cos(TAU * x[1])),
  },
  long_valley: {
    f(x) {
      const x1 = x[0], x2 = x[1];
      return VALLEY_SLOPE * (Math.sqrt(1 + x1 * x1) - 1) + x2 * x2;
    },
    df(x, out) {
      const x1 = x[0];
      out[0] = (VALLEY_SLOPE * x1) / Math.sqrt(1 + x1 * x1);
      out[1] = 2 * x[1];
    },
    d2f(x, out) {
      const root = Math.sqrt(1 + x[0] * x[0]);
      symmetric(out, VALLEY_SLOPE / (root * root * root), 0, 2);
    },
  },
};

// Beale's three terms, 1.5 − x1 + x1·x2, 2.25 − x1 + x1·x2², 2.625 − x1 + x1·x2³.
const bealeA = (x1, x2) => 1.5 - x1 + x1 * x2;
const bealeB = (x1, x2) => 2.25 - x1 + x1 * (x2 * x2);
const bealeC = (x1, x2) => 2.625 - x1 + x1 * x2 * x2 * x2;

/** Fill `out` with the symmetric Hessian [h11, h12, h21, h22], as Surface.hessian fills it. */
function symmetric(out, h11, h12, h22) {
  out[0] = h11; out[1] = h12; out[2] = h12; out[3] = h22;
}

/**
 * A surface: the build's metadata and its math at a point x = [x1, x2]: value(x), grad(x)
 * and hessian(x) as Python's Surface (new arrays), and gradInto(x, out) and
 * hessianInto(x, out) for loops that reuse their arrays.
 */
function surface(key, { f, df, d2f }) {
  const meta = atlas.surfaces[key];
  if (!meta) throw new Error(`surface '${key}' is not in the build's export (docs/assets/generated/playground/atlas.json)`);
  return Object.freeze({
    ...meta,
    key,
    value: f,
    gradInto: df,
    hessianInto: d2f,
    grad(x) { const out = [0, 0]; df(x, out); return out; },
    hessian(x) { const out = [0, 0, 0, 0]; d2f(x, out); return out; }, // [h11, h12, h21, h22]
  });
}

export const SURFACES = Object.freeze(
  Object.fromEntries(Object.keys(MATH).map((key) => [key, surface(key, MATH[key])])),
);
