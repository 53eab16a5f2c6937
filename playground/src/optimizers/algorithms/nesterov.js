import { register } from "../base.js";

// Nesterov (Bengio et al. form): v ← momentum·v − lr·g;  x ← x − momentum·v_prev + (1 + momentum)·v
register("nesterov", ["lr", "momentum"], ({ lr, momentum }) => ({
  init: () => ({ velocity: [0, 0] }),
  advance(s, g, x) {
    const v = s.velocity;
    for (let i = 0; i < 2; i++) {
      const previous = v[i];
      v[i] = momentum * previous - lr * g[i];
      x[i] = x[i] - momentum * previous + (1 + momentum) * v[i];
    }
  },
}));
