import { register } from "../base.js";

// Heavy-ball momentum: v ← momentum·v − lr·g;  x ← x + v
register("momentum", ["lr", "momentum"], ({ lr, momentum }) => ({
  init: () => ({ velocity: [0, 0] }),
  update(g, state, x) {
    const v = state.velocity;
    const velocity = [momentum * v[0] - lr * g[0], momentum * v[1] - lr * g[1]];
    return [[x[0] + velocity[0], x[1] + velocity[1]], { velocity }];
  },
}));
