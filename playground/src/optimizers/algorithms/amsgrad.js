import { register } from "../base.js";

// AMSGrad with Adam's bias correction (as PyTorch): v_max ← max(v_max, v);
// x ← x − lr·m̂ / (√(v_max / (1 − beta2^t)) + eps)
register("amsgrad", ["lr", "beta1", "beta2", "eps"], ({ lr, beta1, beta2, eps }) => ({
  init: () => ({
    count: 0, mean: [0, 0], mean_sq: [0, 0], max_mean_sq: [0, 0], beta1_power: 1, beta2_power: 1,
  }),
  update(g, state, x) {
    const beta1_power = state.beta1_power * beta1;
    const beta2_power = state.beta2_power * beta2;
    const m = state.mean, v = state.mean_sq;
    const mean = [beta1 * m[0] + (1 - beta1) * g[0], beta1 * m[1] + (1 - beta1) * g[1]];
    const mean_sq = [beta2 * v[0] + (1 - beta2) * g[0] * g[0], beta2 * v[1] + (1 - beta2) * g[1] * g[1]];
    // np.maximum propagates NaN, Math.max too.
    const max_mean_sq = [Math.max(state.max_mean_sq[0], mean_sq[0]), Math.max(state.max_mean_sq[1], mean_sq[1])];
    const step = (i) => x[i] - lr * (mean[i] / (1 - beta1_power)) / (Math.sqrt(max_mean_sq[i] / (1 - beta2_power)) + eps);
    const next = [step(0), step(1)];
    return [next, { count: state.count + 1, mean, mean_sq, max_mean_sq, beta1_power, beta2_power }];
  },
}));
