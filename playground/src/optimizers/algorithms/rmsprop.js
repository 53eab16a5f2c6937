import { register } from "../base.js";

// RMSprop: G ← beta·G + (1 − beta)·g²;  x ← x − lr·g / (√G + eps)
register("rmsprop", ["lr", "beta", "eps"], ({ rate, beta, eps }) => ({
  init: () => ({ count: 0, mean_sq: [0, 0] }),
  advance(s, g, x) {
    const lr = rate(s.count);
    s.count += 1;
    const m = s.mean_sq;
    for (let i = 0; i < 2; i++) {
      m[i] = beta * m[i] + (1 - beta) * g[i] * g[i];
      x[i] = x[i] - lr * g[i] / (Math.sqrt(m[i]) + eps);
    }
  },
}));
