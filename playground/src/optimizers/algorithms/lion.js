import { register } from "../base.js";

// Lion: c ← beta1·m + (1 − beta1)·g;  x ← x − lr·sign(c);  m ← beta2·m + (1 − beta2)·g
register("lion", ["lr", "beta1", "beta2"], ({ rate, beta1, beta2 }) => ({
  init: () => ({ count: 0, mean: [0, 0] }),
  advance(s, g, x) {
    const lr = rate(s.count);
    s.count += 1;
    const m = s.mean;
    for (let i = 0; i < 2; i++) {
      x[i] = x[i] - lr * sign(beta1 * m[i] + (1 - beta1) * g[i]);
      m[i] = beta2 * m[i] + (1 - beta2) * g[i];
    }
  },
}));

// np.sign: −1, 0 or 1 (0 also for −0), NaN for NaN.
function sign(value) {
  return value > 0 ? 1 : value < 0 ? -1 : value === 0 ? 0 : NaN;
}
