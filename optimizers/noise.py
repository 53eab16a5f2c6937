r"""What mini-batch noise is predicted to be: gradient variance and SGD's stationary spread.

**Gradient variance.** Let g_i be the per-example gradients at a point, ḡ their mean (the
full gradient) and S = (1/N) Σ (g_i − ḡ)(g_i − ḡ)ᵀ their covariance. A batch of B examples
drawn *without* replacement (``optimizers.batches``) has mean ḡ and covariance

    Cov(g_B) = S · (N − B) / (B (N − 1))                        (``batch_variance_factor``)

(the finite-population correction: it is S/B for B = 1 and 0 for B = N, where sampling
with replacement would give S/B throughout). Two disjoint batches of one epoch are
negatively correlated: Cov(g_A, g_B) = −S / (N − 1).

**SGD's stationary spread on the noisy quadratic.** Per example ℓ_i(x) = ½ (x − c_i)ᵀH(x − c_i)
with Σ c_i = 0, so the full-batch loss is ½ xᵀHx + const and a batch's gradient is
H(x − c̄_B). Constant-step SGD, x_{t+1} = x_t − ηH(x_t − c̄_t), is the linear recursion

    x_{t+1} = A x_t + η H c̄_t,   A = I − ηH.

If the c̄_t were independent with covariance C_B = C (N − B)/(B (N − 1)) (C the shifts'
covariance), the stationary covariance Σ = E[x xᵀ] would solve the discrete Lyapunov equation

    Σ = A Σ Aᵀ + η² H C_B H,

which for diagonal H = diag(h_k) and diagonal C = diag(s_k²) gives, coordinate by coordinate
(stable for 0 < η h_k < 2),

    Σ_kk = η² h_k² s_k² ρ / (1 − (1 − η h_k)²) = η h_k s_k² ρ / (2 − η h_k),   ρ = (N − B)/(B (N − 1)).
                                                                            (``lyapunov_variance``)

Sampling without replacement makes the batches of one epoch correlated (each pair
−s²/(N − 1), relative −B/(N − B)), which shrinks the spread further. Exactly, with a = 1 − η h,
m = ⌊N/B⌋ batches per epoch, and the last q (1 ≤ q ≤ m) noises of x_T from the current
epoch: writing x_T = η h Σ_{j≥0} a^j c̄_{T−1−j} and grouping the lags j by epoch,

    Var(x_T) = η² h² s² ρ [ 1/(1 − a²) − B/(N − B) Σ_epochs (S₁² − S₂) ],

where an epoch whose lags are j₀ … j₁ contributes S₁ = Σ a^j and S₂ = Σ a^{2j} over its lags:
the current epoch (lags 0 … q−1) gives S₁ = (1 − a^q)/(1 − a), S₂ = (1 − a^{2q})/(1 − a²), and
all earlier ones together Σ S₁² = a^{2q}(1 − a^m)²/((1 − a)²(1 − a^{2m})) and Σ S₂ = a^{2q}/(1 − a²).
Averaged over the phase q = 1 … m (every step of a long run) this is ``sgd_stationary_variance``;
for many batches per epoch (m ≫ 1/(ηh)) the correction vanishes and it is the Lyapunov value.
"""
from __future__ import annotations

import numpy as np


def batch_variance_factor(n_examples: int, batch_size) -> np.ndarray:
    """(N − B) / (B (N − 1)): a without-replacement batch mean's variance over the examples'."""
    b = np.asarray(batch_size, dtype=np.float64)
    return (n_examples - b) / (b * (n_examples - 1))


def example_gradient_covariance(surface, x) -> np.ndarray:
    """S: the covariance (1/N) of the per-example gradients at one point ``x``, shape (2, 2)."""
    grads = np.stack(surface.example_grad(*np.asarray(x, dtype=np.float64)[:, None], *surface.data), axis=-1)
    grads = np.broadcast_to(grads, (surface.n_examples, 2))
    centred = grads - grads.mean(axis=0)
    return centred.T @ centred / surface.n_examples


def quadratic_constants(surface) -> tuple[np.ndarray, np.ndarray]:
    """The noisy quadratic's curvatures h_k (H's diagonal) and shift variances s_k² (1/N)."""
    shifts = np.stack(surface.data, axis=-1)
    return np.diag(surface.hessian(np.zeros(2))).copy(), (shifts * shifts).mean(axis=0)


def lyapunov_variance(curvature, shift_variance, lr, n_examples: int, batch_size) -> np.ndarray:
    """η h s² ρ / (2 − η h): the stationary variance per coordinate for independent batches."""
    h, s2 = np.asarray(curvature, dtype=np.float64), np.asarray(shift_variance, dtype=np.float64)
    return lr * h * s2 * batch_variance_factor(n_examples, batch_size) / (2 - lr * h)


def sgd_stationary_variance(curvature, shift_variance, lr, n_examples: int, batch_size: int) -> np.ndarray:
    """Constant-step SGD's stationary variance per coordinate, batches drawn without replacement
    and reshuffled every epoch, averaged over the steps of an epoch (module docstring); for
    0 < lr·h < 2. With one batch per epoch (B > N/2) it is the Lyapunov value."""
    h, s2 = np.asarray(curvature, dtype=np.float64), np.asarray(shift_variance, dtype=np.float64)
    n, size = n_examples, int(batch_size)
    if size == n:
        return np.zeros(np.broadcast_shapes(h.shape, s2.shape))  # the exact gradient: no noise
    per_epoch = n // size
    rho = batch_variance_factor(n, size)
    a = 1 - lr * h
    q = np.arange(1, per_epoch + 1)[:, None]
    current = ((1 - a**q) / (1 - a)) ** 2 - (1 - a ** (2 * q)) / (1 - a * a)
    whole_epochs = (1 - a**per_epoch) ** 2 / ((1 - a) ** 2 * (1 - a ** (2 * per_epoch)))
    earlier = a ** (2 * q) * (whole_epochs - 1 / (1 - a * a))
    bracket = 1 / (1 - a * a) - size / (n - size) * (current + earlier)
    return (lr * h) ** 2 * s2 * rho * bracket.mean(axis=0)
