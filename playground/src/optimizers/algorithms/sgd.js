import { register } from "../base.js";

// Gradient descent: x ← x − lr·g
register("sgd", ["lr"], ({ rate }) => ({
  init: () => ({ count: 0 }),
  advance(s, g, x) {
    const lr = rate(s.count);
    s.count += 1;
    for (let i = 0; i < 2; i++) x[i] = x[i] - lr * g[i];
  },
}));
