import { register } from "../base.js";
import atlas from "../../atlas.js";

// NAdam: μ_t = beta1·(1 − ½·0.96^(0.004·t)), Π_t = μ_1⋯μ_t, m and v as in Adam;
// x ← x − lr·[(1 − μ_t)/(1 − Π_t)·g + μ_{t+1}/(1 − Π_t·μ_{t+1})·m] / (√v̂ + eps).
// 0.96^(0.004·t) is a running product of MOMENTUM_DECAY = 0.96**0.004, the constant the
// build exports (JavaScript's pow may differ from Python's in the last bit).
register("nadam", ["lr", "beta1", "beta2", "eps"], ({ rate, beta1, beta2, eps }) => {
  const MOMENTUM_DECAY = atlas.constants.MOMENTUM_DECAY;
  return {
    init: () => ({ count: 0, mu_product: [1, 1], mean: [0, 0], mean_sq: [0, 0], decay_power: 1, beta2_power: 1 }),
    advance(s, g, x) {
      const lr = rate(s.count);
      s.count += 1;
      const decay_power = (s.decay_power *= MOMENTUM_DECAY);
      const beta2_power = (s.beta2_power *= beta2);
      const mu = beta1 * (1 - 0.5 * decay_power);
      const muNext = beta1 * (1 - 0.5 * (decay_power * MOMENTUM_DECAY));
      const product = s.mu_product, m = s.mean, v = s.mean_sq;
      for (let i = 0; i < 2; i++) {
        product[i] = product[i] * mu;
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        const denom = Math.sqrt(v[i] / (1 - beta2_power)) + eps;
        const step = (1 - mu) / (1 - product[i]) * g[i] + muNext / (1 - product[i] * muNext) * m[i];
        x[i] = x[i] - lr * step / denom;
      }
    },
  };
});
