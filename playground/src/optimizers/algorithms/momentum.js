import { register } from "../base.js";

// Heavy-ball momentum: v ← momentum·v − lr·g;  x ← x + v
register("momentum", ["lr", "momentum"], ({ rate, momentum }) => ({
  init: () => ({ count: 0, velocity: [0, 0] }),
  advance(s, g, x) {
    const lr = rate(s.count);
    s.count += 1;
    const v = s.velocity;
    for (let i = 0; i < 2; i++) {
      v[i] = momentum * v[i] - lr * g[i];
      x[i] = x[i] + v[i];
    }
  },
}));
