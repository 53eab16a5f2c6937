import { register } from "../base.js";

// AdaDelta with PyTorch's learning-rate factor:
// E[g²] ← rho·E[g²] + (1 − rho)·g²;  Δ = √(E[Δ²] + eps) / √(E[g²] + eps) · g
// E[Δ²] ← rho·E[Δ²] + (1 − rho)·Δ²;  x ← x − lr·Δ
register("adadelta", ["lr", "rho", "eps"], ({ lr, rho, eps }) => ({
  init: () => ({ mean_sq_grad: [0, 0], mean_sq_delta: [0, 0] }),
  update(g, state, x) {
    const sg = state.mean_sq_grad, sd = state.mean_sq_delta;
    const mean_sq_grad = [rho * sg[0] + (1 - rho) * g[0] * g[0], rho * sg[1] + (1 - rho) * g[1] * g[1]];
    const d0 = Math.sqrt(sd[0] + eps) / Math.sqrt(mean_sq_grad[0] + eps) * g[0];
    const d1 = Math.sqrt(sd[1] + eps) / Math.sqrt(mean_sq_grad[1] + eps) * g[1];
    const mean_sq_delta = [rho * sd[0] + (1 - rho) * d0 * d0, rho * sd[1] + (1 - rho) * d1 * d1];
    return [[x[0] - lr * d0, x[1] - lr * d1], { mean_sq_grad, mean_sq_delta }];
  },
}));
