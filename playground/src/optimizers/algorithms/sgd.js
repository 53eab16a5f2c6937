import { register } from "../base.js";

// Gradient descent: x ← x − lr·g
register("sgd", ["lr"], ({ lr }) => ({
  init: () => ({}),
  update: (g, state, x) => [[x[0] - lr * g[0], x[1] - lr * g[1]], state],
}));
