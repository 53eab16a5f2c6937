import { register } from "../base.js";

// AdaGrad: G ← G + g²;  x ← x − lr·g / (√G + eps)
register("adagrad", ["lr", "eps"], ({ rate, eps }) => ({
  init: () => ({ count: 0, sum_sq: [0, 0] }),
  advance(s, g, x) {
    const lr = rate(s.count);
    s.count += 1;
    const sum = s.sum_sq;
    for (let i = 0; i < 2; i++) {
      sum[i] = sum[i] + g[i] * g[i];
      x[i] = x[i] - lr * g[i] / (Math.sqrt(sum[i]) + eps);
    }
  },
}));
