"""Convergence rates on a quadratic, measured against theory (the rates task).

On a quadratic f(x) = f* + ½ (x − x*)ᵀ H (x − x*) with Hessian eigenvalues μ = λ_min and
L = λ_max (condition number κ = L/μ), each optimizer here is linear in the error e = x − x*,
so it acts on every eigen-direction of H separately:

* Gradient descent, x ← x − η∇f, multiplies the component along an eigenvalue λ by
  1 − ηλ. The best constant step, η = 2/(L + μ), makes |1 − ημ| = |1 − ηL| =
  (κ − 1)/(κ + 1): ‖x − x*‖ shrinks by that factor per step, and f − f*, quadratic in the
  error, by its square.
* Heavy ball (Polyak), x ← x − η∇f + β (x − x_prev), the site's Momentum: per eigenvalue
  e_{t+1} = (1 + β − ηλ) e_t − β e_{t−1}, whose factors per step are the roots of
  z² − (1 + β − ηλ) z + β = 0. Polyak's η = 4/(√L + √μ)², β = ((√κ − 1)/(√κ + 1))² puts a
  double root at z = +√β for λ = μ and at z = −√β for λ = L (and complex roots of modulus
  √β in between): ‖x − x*‖ shrinks by (√κ − 1)/(√κ + 1) per step and f − f* by its square,
  β. The double roots make the iteration matrix defective: the error goes like
  (a + b t)·√β^t, so f − f* ~ t²·β^t, and its log has slope ln β + 2/t, not ln β. The
  slopes are therefore compared over a late window, never lines through the start.

The predicted rate of any (η, β) is the spectral radius of the iteration matrix, squared
(for f − f*); the measured rate is exp(slope) of a least-squares line fitted to
ln(f − f*) over the last half of the run. Everything is computed, nothing is typed in.

Outputs, per surface: ``rates.png`` (figure), ``rates.md`` (table) and ``rates.facts.json``
(facts for the pages, merged with facts.json by the MkDocs hook).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from optimizers import OPTIMIZERS, SURFACES, make, run

from .atomic import write_text_atomic

SURFACE_KEYS = ("ill_conditioned_bowl",)  # the quadratics whose rates the site shows
STEPS = 400  # a late window of 200 steps; heavy ball's f − f* ends near 1e-152, far from underflow
FIGURE, TABLE, FACTS = "{surface}/rates.png", "{surface}/rates.md", "{surface}/rates.facts.json"
HAND_PICKED = ("sgd", "momentum")  # the site's settings of the same two methods, for context


def outputs(surface: str) -> tuple[str, ...]:
    return tuple(pattern.format(surface=surface) for pattern in (FIGURE, TABLE, FACTS))


def curvatures(surface) -> tuple[float, float]:
    """(μ, L): the smallest and largest eigenvalue of the Hessian at the minimum."""
    minimum = surface.minima[0]
    eigenvalues = np.linalg.eigvalsh(surface.hessian(minimum))
    return float(eigenvalues[0]), float(eigenvalues[-1])


def optimal_gd(mu: float, L: float) -> dict[str, float]:
    """The constant step that minimises gradient descent's worst factor, 2/(L + μ)."""
    return {"lr": 2 / (L + mu)}


def optimal_heavy_ball(mu: float, L: float) -> dict[str, float]:
    """Polyak's optimal heavy-ball parameters: η = 4/(√L + √μ)², β = ((√κ − 1)/(√κ + 1))²."""
    root_kappa = math.sqrt(L / mu)
    return {"lr": 4 / (math.sqrt(L) + math.sqrt(mu)) ** 2,
            "momentum": ((root_kappa - 1) / (root_kappa + 1)) ** 2}


def closed_forms(kappa: float) -> dict[str, float]:
    """The textbook rates per step: ‖x − x*‖ ("distance") and f − f* (its square)."""
    gd = (kappa - 1) / (kappa + 1)
    heavy_ball = (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)
    return {"gd_distance": gd, "gd": gd**2, "heavy_ball_distance": heavy_ball, "heavy_ball": heavy_ball**2}


def iteration_matrix(name: str, hparams: dict, curvature: float) -> np.ndarray:
    """The linear map of one eigen-direction's state per step: (e_t) for SGD,
    (e_t, e_{t−1}) for heavy-ball Momentum."""
    lr = hparams.get("lr", OPTIMIZERS[name].defaults["lr"])
    if name == "sgd":
        return np.array([[1 - lr * curvature]])
    if name == "momentum":
        beta = hparams.get("momentum", OPTIMIZERS[name].defaults["momentum"])
        return np.array([[1 + beta - lr * curvature, -beta], [1.0, 0.0]])
    raise ValueError(f"no rate theory here for optimizer {name!r}")


def spectral_radius(name: str, hparams: dict, curvatures_: tuple[float, ...]) -> float:
    """The asymptotic factor per step of ‖x − x*‖: the largest |eigenvalue| of the
    iteration matrices over the Hessian's eigenvalues."""
    return max(float(np.abs(np.linalg.eigvals(iteration_matrix(name, hparams, c))).max()) for c in curvatures_)


def predicted_rate(name: str, hparams: dict, curvatures_: tuple[float, ...]) -> float:
    """The asymptotic factor per step of f − f*: the spectral radius squared."""
    return spectral_radius(name, hparams, curvatures_) ** 2


def fitted_slope(values: np.ndarray, first: int, last: int) -> float:
    """Least-squares slope of ln(values[t]) against t for t in [first, last]."""
    t = np.arange(first, last + 1, dtype=np.float64)
    y = np.log(np.asarray(values[first:last + 1], dtype=np.float64))
    t_mean = t.mean()
    return float(((t - t_mean) * (y - y.mean())).sum() / ((t - t_mean) ** 2).sum())


def window(steps: int) -> tuple[int, int]:
    """The late window of the fit: the second half of the run."""
    return steps // 2, steps


def prefactor_factor(steps: int) -> float:
    """What a t² prefactor alone does to a fitted rate over the window: exp(slope of ln t²)."""
    t = np.arange(steps + 1, dtype=np.float64)
    first, last = window(steps)  # first >= 1: ln 0 is never taken
    return math.exp(fitted_slope(t**2, first, last))


def measure(surface_key: str, start, steps: int, seed: dict) -> list[dict]:
    """The optimal gradient-descent and heavy-ball runs and the hand-picked SGD and Momentum
    runs (those of ``seed`` present), each with its predicted and measured rate."""
    surface = SURFACES[surface_key]
    mu, L = curvatures(surface)
    f_star = surface.min_value
    first, last = window(steps)
    cases = [("gd", "sgd", optimal_gd(mu, L)), ("heavy_ball", "momentum", optimal_heavy_ball(mu, L))]
    cases += [(f"seed.{name}", name, dict(seed[name])) for name in HAND_PICKED if name in seed]
    results = []
    for key, name, hparams in cases:
        traj = run(make(name, **hparams), surface, start, steps)
        gaps = traj.losses - f_star
        if not (np.all(np.isfinite(gaps)) and np.all(gaps[first:last + 1] > 0)):
            raise ValueError(f"{surface_key}: {key} run has no positive finite f − f* to fit over {first}–{last}")
        results.append({
            "key": key, "optimizer": name, "hparams": {k: float(v) for k, v in hparams.items()},
            "distance_rate": spectral_radius(name, hparams, (mu, L)),
            "predicted": predicted_rate(name, hparams, (mu, L)),
            "measured": math.exp(fitted_slope(gaps, first, last)),
            "gaps": gaps,
        })
    return results


def _percent(ratio: float) -> str:
    """A ratio's excess over 1 in per cent with its sign, e.g. "+0.68%" ("0.00%" when it rounds to zero)."""
    text = f"{100 * (ratio - 1):+.2f}%"
    return "0.00%" if text in ("+0.00%", "-0.00%") else text


def facts(surface_key: str, results: list[dict], steps: int) -> dict[str, str]:
    """The facts the pages quote, under ``<surface>.rates.``."""
    from .experiment import fmt  # the pages' number format

    mu, L = curvatures(SURFACES[surface_key])
    first, last = window(steps)
    base = f"{surface_key}.rates"
    out = {f"{base}.kappa": fmt(L / mu, 4), f"{base}.mu": fmt(mu), f"{base}.L": fmt(L),
           f"{base}.steps": str(steps), f"{base}.window_start": str(first), f"{base}.window_end": str(last),
           f"{base}.prefactor": _percent(prefactor_factor(steps))}
    for row in results:
        key = f"{base}.{row['key']}"
        for hp, value in row["hparams"].items():
            out[f"{key}.{hp}"] = fmt(value)
        out[f"{key}.distance_rate"] = fmt(row["distance_rate"], 4)
        out[f"{key}.predicted"] = fmt(row["predicted"], 4)
        out[f"{key}.measured"] = fmt(row["measured"], 4)
        out[f"{key}.difference"] = _percent(row["measured"] / row["predicted"])
        out[f"{key}.steps_per_decade"] = fmt(-1 / math.log10(row["predicted"]), 3)
    return dict(sorted(out.items()))


def table(results: list[dict], steps: int) -> str:
    """Predicted against measured rate per step, as a Markdown table."""
    from .experiment import fmt, format_hparams

    first, last = window(steps)
    labels = {"gd": "gradient descent, optimal step", "heavy_ball": "heavy ball, Polyak's optimum",
              "seed.sgd": "hand-picked", "seed.momentum": "hand-picked"}
    lines = ["| Method | Hyperparameters | predicted rate of ‖x − x*‖ | predicted rate of f − f* | "
             f"measured rate of f − f* (fit over steps {first}–{last}) | measured / predicted − 1 |",
             "|---|---|--:|--:|--:|--:|"]
    for row in results:
        name = row["optimizer"]
        method = f"[{OPTIMIZERS[name].title}](../optimizers/{name}.md), {labels[row['key']]}"
        lines.append(f"| {method} | {format_hparams(row['hparams'])} | {fmt(row['distance_rate'], 4)} | "
                     f"{fmt(row['predicted'], 4)} | {fmt(row['measured'], 4)} | "
                     f"{_percent(row['measured'] / row['predicted'])} |")
    return "\n".join(lines) + "\n"


def rates(out_dir: Path, surface: str, start, steps: int, seed: dict) -> None:
    """The task: measure, then write the figure, the table and the facts."""
    from .render.rates import save_rates_figure

    results = measure(surface, start, steps, seed)
    save_rates_figure(out_dir / FIGURE.format(surface=surface), SURFACES[surface], results, window(steps))
    write_text_atomic(out_dir / TABLE.format(surface=surface), table(results, steps))
    write_text_atomic(out_dir / FACTS.format(surface=surface),
                      json.dumps(facts(surface, results, steps), indent=1, ensure_ascii=False) + "\n")
