import { register } from "../base.js";

// AdaDelta with PyTorch's learning-rate factor:
// E[g²] ← rho·E[g²] + (1 − rho)·g²;  Δ = √(E[Δ²] + eps) / √(E[g²] + eps) · g
// E[Δ²] ← rho·E[Δ²] + (1 − rho)·Δ²;  x ← x − lr·Δ
register("adadelta", ["lr", "rho", "eps"], ({ lr, rho, eps }) => ({
  init: () => ({ mean_sq_grad: [0, 0], mean_sq_delta: [0, 0] }),
  update(g, state, x) {
    const mean_sq_grad = [0, 1].map((i) => rho * state.mean_sq_grad[i] + (1 - rho) * g[i] * g[i]);
    const delta = [0, 1].map((i) => Math.sqrt(state.mean_sq_delta[i] + eps) / Math.sqrt(mean_sq_grad[i] + eps) * g[i]);
    const mean_sq_delta = [0, 1].map((i) => rho * state.mean_sq_delta[i] + (1 - rho) * delta[i] * delta[i]);
    return [[x[0] - lr * delta[0], x[1] - lr * delta[1]], { mean_sq_grad, mean_sq_delta }];
  },
}));
