"""The playground's data, exported by the build: one source of truth for the page.

Writes ``playground/atlas.json``: the hyperparameter specs of ``optimizers.make`` (defaults,
kinds of valid range), every surface's metadata (bounds, default start and steps,
stationary points, f*, tolerances), the hand-picked and tuned settings of
``experiments.yml`` and the build's tuning, the outcome parameters of
``optimizers.outcomes`` with the tables' wording, the figures' optimizer styles, and
constants the JavaScript port must not recompute (NAdam's ``MOMENTUM_DECAY``). The page
(``playground/``) bundles it; only the mathematics is written again in JavaScript.
"""
from __future__ import annotations

import json
from pathlib import Path

from optimizers import HORIZON_FACTOR, OPTIMIZERS, SURFACES, outcomes
from optimizers.algorithms.nadam import MOMENTUM_DECAY

from .atomic import write_text_atomic
from .config import MAX_STEPS, SETTINGS
from .experiment import END_TEXT, KIND_TEXT, TUNED_FILE

ATLAS_FILE = "playground/atlas.json"
CODE = ("optimizers/**/*.py", "build_assets/playground.py", "build_assets/experiment.py",
        "build_assets/config.py", "build_assets/render/style.py", "build_assets/render/grid.py",
        "build_assets/render/chart_common.py",
        "build_assets/render/markers.py", "build_assets/atomic.py")
OUTCOME_PARAMETERS = ("GRAD_TOL", "CURVATURE_TOL", "POINT_FRACTION", "CYCLE_EFFICIENCY", "CYCLE_SHRINK",
                      "CYCLE_FALL")


def _optimizers() -> dict:
    return {name: {"title": spec.title, "paper": spec.paper, "uses_hessian": spec.uses_hessian,
                   "hypers": {key: {"default": hyper.default, "kind": hyper.kind}
                              for key, hyper in spec.hypers.items()}}
            for name, spec in OPTIMIZERS.items()}


def in_playground(surface) -> bool:
    """Whether the playground offers ``surface``: the objectives built from a data set
    (mini-batch gradients, ``n_examples``) come to it with the JavaScript port of the
    mini-batch runner; every other entry of ``SURFACES`` is there."""
    return not hasattr(surface, "n_examples")


def _surfaces() -> dict:
    return {key: {"title": s.title, "latex": s.latex, "bounds": [list(b) for b in s.bounds],
                  "start": list(s.start), "steps": s.steps,
                  "stationary_points": [{"location": list(p.location), "kind": p.kind, "value": p.value}
                                        for p in s.stationary_points],
                  "min_value": s.min_value, "loss_tol": s.loss_tol, "escape_loss": s.escape_loss,
                  "unbounded_below": s.unbounded_below, "divergence_bound": s.divergence_bound,
                  "view": _view(s)}
            for key, s in SURFACES.items() if in_playground(s)}


def _view(surface) -> dict:
    """How the static figures draw the surface: their contour levels (f units; log spaced
    above ``offset`` from ``floor`` when ``log``), the stationary points they mark and the
    loss figures' axis."""
    # The drawing modules import matplotlib: only when the export is built, not when planned.
    from .render.chart_common import symlog_threshold, uses_gap_scale
    from .render.grid import surface_grid
    from .render.markers import marked_stationary_points

    grid = surface_grid(surface)
    return {"log": grid.log, "offset": grid.offset, "floor": grid.floor, "levels": grid.levels.tolist(),
            # the loss figures' y axis: f − f* on a log scale, else f on a symlog scale
            "loss_gap": bool(uses_gap_scale(surface)), "symlog_threshold": symlog_threshold(surface),
            "marked": [{"location": loc.tolist(), "kind": kind, "prominent": prominent}
                       for loc, kind, _, prominent in marked_stationary_points(surface)]}


def _dashes(linestyle) -> list[float]:
    """A matplotlib line style as on/off lengths in points ([] for solid)."""
    return [] if linestyle == "solid" else list(linestyle[1])


def _styles() -> dict:
    from .render.style import DEFAULT_STYLES

    return {name: {"color": style.color, "dashes": _dashes(style.linestyle), "marker": style.marker}
            for name, style in DEFAULT_STYLES.items()}


def _settings(out_dir: Path, experiments: dict) -> dict:
    settings = {}
    for key, entry in experiments.items():
        tuned = json.loads((out_dir / TUNED_FILE.format(surface=key)).read_text(encoding="utf-8"))
        settings[key] = {"start": entry["start"], "steps": entry["steps"], "seed": entry["seed"],
                         "tuned": {name: tuned[name]["hparams"] for name in entry["seed"]}}
    return settings


def atlas(out_dir: Path, experiments: dict) -> dict:
    return {
        "constants": {"MOMENTUM_DECAY": MOMENTUM_DECAY, "HORIZON_FACTOR": HORIZON_FACTOR, "MAX_STEPS": MAX_STEPS,
                      **{name: getattr(outcomes, name) for name in OUTCOME_PARAMETERS}},
        "outcome_kinds": list(outcomes.KINDS),
        "kind_text": KIND_TEXT,
        "end_text": END_TEXT,
        "settings_names": list(SETTINGS),
        "optimizers": _optimizers(),
        "surfaces": _surfaces(),
        "settings": _settings(out_dir, experiments),
        "styles": _styles(),
    }


def export(out_dir: Path, experiments: dict) -> None:
    """Write ``playground/atlas.json`` (``experiments``: per surface its start, steps and
    hand-picked settings; the tuned ones are read from each surface's tuned.json)."""
    text = json.dumps(atlas(out_dir, experiments), indent=1, ensure_ascii=False, allow_nan=False)
    write_text_atomic(out_dir / ATLAS_FILE, text + "\n")
