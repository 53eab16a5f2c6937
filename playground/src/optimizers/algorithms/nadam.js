import { register } from "../base.js";
import atlas from "../../atlas.js";

// NAdam: μ_t = beta1·(1 − ½·0.96^(0.004·t)), Π_t = μ_1⋯μ_t, m and v as in Adam;
// x ← x − lr·[(1 − μ_t)/(1 − Π_t)·g + μ_{t+1}/(1 − Π_t·μ_{t+1})·m] / (√v̂ + eps).
// 0.96^(0.004·t) is a running product of MOMENTUM_DECAY = 0.96**0.004, the constant the
// build exports (JavaScript's pow may differ from Python's in the last bit).
register("nadam", ["lr", "beta1", "beta2", "eps"], ({ lr, beta1, beta2, eps }) => {
  const MOMENTUM_DECAY = atlas.constants.MOMENTUM_DECAY;
  return {
    init: () => ({ count: 0, mu_product: [1, 1], mean: [0, 0], mean_sq: [0, 0], decay_power: 1, beta2_power: 1 }),
    update(g, state, x) {
      const decay_power = state.decay_power * MOMENTUM_DECAY;
      const beta2_power = state.beta2_power * beta2;
      const mu = beta1 * (1 - 0.5 * decay_power);
      const muNext = beta1 * (1 - 0.5 * (decay_power * MOMENTUM_DECAY));
      const mu_product = [state.mu_product[0] * mu, state.mu_product[1] * mu];
      const m = state.mean, v = state.mean_sq;
      const mean = [beta1 * m[0] + (1 - beta1) * g[0], beta1 * m[1] + (1 - beta1) * g[1]];
      const mean_sq = [beta2 * v[0] + (1 - beta2) * g[0] * g[0], beta2 * v[1] + (1 - beta2) * g[1] * g[1]];
      const move = (i) => {
        const denom = Math.sqrt(mean_sq[i] / (1 - beta2_power)) + eps;
        const step = (1 - mu) / (1 - mu_product[i]) * g[i] + muNext / (1 - mu_product[i] * muNext) * mean[i];
        return x[i] - lr * step / denom;
      };
      const next = [move(0), move(1)];
      return [next, { count: state.count + 1, mu_product, mean, mean_sq, decay_power, beta2_power }];
    },
  };
});
