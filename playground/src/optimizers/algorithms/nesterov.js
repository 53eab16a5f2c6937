import { register } from "../base.js";

// Nesterov (Bengio et al. form): v ← momentum·v − lr·g;  x ← x − momentum·v_prev + (1 + momentum)·v
register("nesterov", ["lr", "momentum"], ({ rate, momentum }) => ({
  init: () => ({ count: 0, velocity: [0, 0] }),
  advance(s, g, x) {
    const lr = rate(s.count);
    s.count += 1;
    const v = s.velocity;
    for (let i = 0; i < 2; i++) {
      const previous = v[i];
      v[i] = momentum * previous - lr * g[i];
      x[i] = x[i] - momentum * previous + (1 + momentum) * v[i];
    }
  },
}));
