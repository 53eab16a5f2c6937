import { register } from "../base.js";

// Lion: c ← beta1·m + (1 − beta1)·g;  x ← x − lr·sign(c);  m ← beta2·m + (1 − beta2)·g
register("lion", ["lr", "beta1", "beta2"], ({ lr, beta1, beta2 }) => ({
  init: () => ({ mean: [0, 0] }),
  update(g, state, x) {
    const m = state.mean;
    const d0 = sign(beta1 * m[0] + (1 - beta1) * g[0]), d1 = sign(beta1 * m[1] + (1 - beta1) * g[1]);
    const mean = [beta2 * m[0] + (1 - beta2) * g[0], beta2 * m[1] + (1 - beta2) * g[1]];
    return [[x[0] - lr * d0, x[1] - lr * d1], { mean }];
  },
}));

// np.sign: −1, 0 or 1 (0 also for −0), NaN for NaN.
function sign(value) {
  return value > 0 ? 1 : value < 0 ? -1 : value === 0 ? 0 : NaN;
}
