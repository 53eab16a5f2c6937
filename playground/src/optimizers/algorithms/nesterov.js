import { register } from "../base.js";

// Nesterov (Bengio et al. form): v ← momentum·v − lr·g;  x ← x − momentum·v_prev + (1 + momentum)·v
register("nesterov", ["lr", "momentum"], ({ lr, momentum }) => ({
  init: () => ({ velocity: [0, 0] }),
  update(g, state, x) {
    const v = state.velocity;
    const velocity = [momentum * v[0] - lr * g[0], momentum * v[1] - lr * g[1]];
    const next = [
      x[0] - momentum * v[0] + (1 + momentum) * velocity[0],
      x[1] - momentum * v[1] + (1 + momentum) * velocity[1],
    ];
    return [next, { velocity }];
  },
}));
