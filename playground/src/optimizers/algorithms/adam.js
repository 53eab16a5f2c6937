import { register } from "../base.js";

// Adam: m ← beta1·m + (1 − beta1)·g;  v ← beta2·v + (1 − beta2)·g²
// x ← x − lr·m̂ / (√v̂ + eps), beta^t kept as running products (exact, as in Python).
register("adam", ["lr", "beta1", "beta2", "eps"], ({ rate, beta1, beta2, eps }) => ({
  init: () => ({ count: 0, mean: [0, 0], mean_sq: [0, 0], beta1_power: 1, beta2_power: 1 }),
  advance(s, g, x) {
    const lr = rate(s.count);
    s.count += 1;
    const beta1_power = (s.beta1_power *= beta1);
    const beta2_power = (s.beta2_power *= beta2);
    const m = s.mean, v = s.mean_sq;
    for (let i = 0; i < 2; i++) {
      m[i] = beta1 * m[i] + (1 - beta1) * g[i];
      v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
      x[i] = x[i] - lr * (m[i] / (1 - beta1_power)) / (Math.sqrt(v[i] / (1 - beta2_power)) + eps);
    }
  },
}));
