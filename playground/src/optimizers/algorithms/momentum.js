import { register } from "../base.js";

// Heavy-ball momentum: v ← momentum·v − lr·g;  x ← x + v
register("momentum", ["lr", "momentum"], ({ lr, momentum }) => ({
  init: () => ({ velocity: [0, 0] }),
  advance(s, g, x) {
    const v = s.velocity;
    for (let i = 0; i < 2; i++) {
      v[i] = momentum * v[i] - lr * g[i];
      x[i] = x[i] + v[i];
    }
  },
}));
