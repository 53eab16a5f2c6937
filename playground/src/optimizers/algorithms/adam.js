import { register } from "../base.js";

// Adam: m ← beta1·m + (1 − beta1)·g;  v ← beta2·v + (1 − beta2)·g²
// x ← x − lr·m̂ / (√v̂ + eps), beta^t kept as running products (exact, as in Python).
register("adam", ["lr", "beta1", "beta2", "eps"], ({ lr, beta1, beta2, eps }) => ({
  init: () => ({ count: 0, mean: [0, 0], mean_sq: [0, 0], beta1_power: 1, beta2_power: 1 }),
  update(g, state, x) {
    const beta1_power = state.beta1_power * beta1;
    const beta2_power = state.beta2_power * beta2;
    const m = state.mean, v = state.mean_sq;
    const mean = [beta1 * m[0] + (1 - beta1) * g[0], beta1 * m[1] + (1 - beta1) * g[1]];
    const mean_sq = [beta2 * v[0] + (1 - beta2) * g[0] * g[0], beta2 * v[1] + (1 - beta2) * g[1] * g[1]];
    const step = (i) => x[i] - lr * (mean[i] / (1 - beta1_power)) / (Math.sqrt(mean_sq[i] / (1 - beta2_power)) + eps);
    const next = [step(0), step(1)];
    return [next, { count: state.count + 1, mean, mean_sq, beta1_power, beta2_power }];
  },
}));
