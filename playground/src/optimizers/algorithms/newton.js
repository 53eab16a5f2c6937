import { register } from "../base.js";

// Damped Newton: x ← x − lr·H⁻¹·g, the 2 × 2 inverse in closed form; where H is (nearly)
// singular, |det| ≤ 1e-12·max|H_ij|², the Moore–Penrose pseudo-inverse stands in for it.
register("newton", ["lr"], ({ rate }) => {
  const step = [0, 0];
  return {
    init: () => ({ count: 0 }),
    advance(s, g, x, hessian) {
      const lr = rate(s.count);
      s.count += 1;
      // A non-finite Hessian (at a point that has already diverged) counts as zero, as in Python.
      const a = finite(hessian[0]), b = finite(hessian[1]), c = finite(hessian[2]), d = finite(hessian[3]);
      const det = a * d - b * c;
      if (isNearlySingular(hessian)) pseudoInverseTimes(a, b, d, g, step);
      else {
        step[0] = (d * g[0] - b * g[1]) / det;
        step[1] = (a * g[1] - c * g[0]) / det;
      }
      for (let i = 0; i < 2; i++) x[i] = x[i] - lr * step[i];
    },
  };
}, { usesHessian: true });

const finite = (h) => (Number.isFinite(h) ? h : 0);

/** Whether Newton takes the pseudo-inverse at this Hessian [h11, h12, h21, h22]. */
export function isNearlySingular(hessian) {
  const a = finite(hessian[0]), b = finite(hessian[1]), c = finite(hessian[2]), d = finite(hessian[3]);
  const largest = Math.max(Math.abs(a), Math.abs(b), Math.abs(c), Math.abs(d));
  return Math.abs(a * d - b * c) <= 1e-12 * (largest * largest);
}

// out ← pinv(H)·g for a symmetric 2 × 2 H = [[a, b], [b, d]], as numpy's pinv: the
// eigenvalues' magnitudes are H's singular values; those at most 1e-15 times the largest are
// dropped. The small eigenvalue is det/λ_large (mean − radius would cancel). numpy takes an
// SVD, so the last bits can differ: the golden tests state the tolerance.
function pseudoInverseTimes(a, b, d, g, out) {
  const mean = (a + d) / 2;
  const radius = Math.sqrt(((a - d) / 2) * ((a - d) / 2) + b * b);
  const large = mean >= 0 ? mean + radius : mean - radius;
  const small = large === 0 ? 0 : (a * d - b * b) / large;
  const cutoff = 1e-15 * Math.abs(large);
  // Unit eigenvector of the large eigenvalue; the other is perpendicular.
  let u;
  if (b === 0) u = Math.abs(a) >= Math.abs(d) ? [1, 0] : [0, 1];
  else {
    const v = [large - d, b];
    const n = Math.sqrt(v[0] * v[0] + v[1] * v[1]);
    u = [v[0] / n, v[1] / n];
  }
  out[0] = 0;
  out[1] = 0;
  for (const [eigenvalue, [p, q]] of [[large, u], [small, [-u[1], u[0]]]]) {
    if (!(Math.abs(eigenvalue) > cutoff)) continue;
    const along = (p * g[0] + q * g[1]) / eigenvalue;
    out[0] += along * p;
    out[1] += along * q;
  }
}
