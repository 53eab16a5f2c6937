import { register } from "../base.js";

// RMSprop: G ← beta·G + (1 − beta)·g²;  x ← x − lr·g / (√G + eps)
register("rmsprop", ["lr", "beta", "eps"], ({ lr, beta, eps }) => ({
  init: () => ({ mean_sq: [0, 0] }),
  update(g, state, x) {
    const m = state.mean_sq;
    const mean_sq = [beta * m[0] + (1 - beta) * g[0] * g[0], beta * m[1] + (1 - beta) * g[1] * g[1]];
    const next = [
      x[0] - lr * g[0] / (Math.sqrt(mean_sq[0]) + eps),
      x[1] - lr * g[1] / (Math.sqrt(mean_sq[1]) + eps),
    ];
    return [next, { mean_sq }];
  },
}));
