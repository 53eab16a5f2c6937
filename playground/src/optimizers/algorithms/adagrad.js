import { register } from "../base.js";

// AdaGrad: G ← G + g²;  x ← x − lr·g / (√G + eps)
register("adagrad", ["lr", "eps"], ({ lr, eps }) => ({
  init: () => ({ sum_sq: [0, 0] }),
  update(g, state, x) {
    const s = state.sum_sq;
    const sum_sq = [s[0] + g[0] * g[0], s[1] + g[1] * g[1]];
    const next = [
      x[0] - lr * g[0] / (Math.sqrt(sum_sq[0]) + eps),
      x[1] - lr * g[1] / (Math.sqrt(sum_sq[1]) + eps),
    ];
    return [next, { sum_sq }];
  },
}));
