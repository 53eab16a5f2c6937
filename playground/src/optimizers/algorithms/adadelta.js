import { register } from "../base.js";

// AdaDelta with PyTorch's learning-rate factor:
// E[g²] ← rho·E[g²] + (1 − rho)·g²;  Δ = √(E[Δ²] + eps) / √(E[g²] + eps) · g
// E[Δ²] ← rho·E[Δ²] + (1 − rho)·Δ²;  x ← x − lr·Δ
register("adadelta", ["lr", "rho", "eps"], ({ rate, rho, eps }) => ({
  init: () => ({ count: 0, mean_sq_grad: [0, 0], mean_sq_delta: [0, 0] }),
  advance(s, g, x) {
    const lr = rate(s.count);
    s.count += 1;
    const sg = s.mean_sq_grad, sd = s.mean_sq_delta;
    for (let i = 0; i < 2; i++) {
      sg[i] = rho * sg[i] + (1 - rho) * g[i] * g[i];
      const delta = Math.sqrt(sd[i] + eps) / Math.sqrt(sg[i] + eps) * g[i];
      sd[i] = rho * sd[i] + (1 - rho) * delta * delta;
      x[i] = x[i] - lr * delta;
    }
  },
}));
