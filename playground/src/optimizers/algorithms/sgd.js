import { register } from "../base.js";

// Gradient descent: x ← x − lr·g
register("sgd", ["lr"], ({ lr }) => ({
  init: () => ({}),
  advance(s, g, x) {
    for (let i = 0; i < 2; i++) x[i] = x[i] - lr * g[i];
  },
}));
