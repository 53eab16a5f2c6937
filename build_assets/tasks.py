"""The build plan: every asset the site needs, as tasks with parameters, outputs and code.

A task's parameters are its slice of the experiments file; together with the
source files in ``code`` and the library versions they make its cache key.
A task runs once the tasks writing its ``after`` files are done (tuning writes
``tuned.json``, which the tuned metrics read; the figures of a setting read its
metrics). The plan lists every task after those it waits for, the longest chains first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import experiment, figures, playground, rates
from .animation_controls import still_of
from .panel_markup import KEY
from .phone_figures import phone_of, text_sizes_of
from .cache import task_key
from .config import SETTINGS, VIEWS, Experiments

LIBRARY = ("optimizers/**/*.py",)
NUMBERS = LIBRARY + ("build_assets/experiment.py", "build_assets/atomic.py")
BASIN_GRID = 48  # starts per side of the basin maps
DRAWING = NUMBERS + ("build_assets/figures.py", "build_assets/panel_markup.py", "build_assets/phone_figures.py",
                     "build_assets/render/*.py")
RATES = NUMBERS + ("build_assets/rates.py", "build_assets/render/rates.py", "build_assets/render/chart_common.py",
                   "build_assets/render/style.py")


@dataclass(frozen=True)
class Task:
    group: str  # the surface (or figure set) it belongs to, for the summary lines
    kind: str
    func: Callable
    params: dict
    outputs: tuple[str, ...]
    code: tuple[str, ...]
    after: tuple[str, ...] = ()  # other tasks' outputs it reads (their inputs are in its key)
    depends: dict | None = None  # inputs read from other tasks' outputs: hashed, not passed

    @property
    def key(self) -> str:
        return task_key(self.kind, {"params": self.params, "depends": self.depends}, self.code)

    @property
    def name(self) -> str:
        return self.outputs[0]


def _tuning_inputs(exp: Experiments, entry) -> dict:
    """What a surface's tuned.json is made from: the grids of its optimizers."""
    return {"lrs": list(exp.tuning.lrs), "grids": {n: exp.tuning.grids.get(n, {}) for n in entry.seed},
            "seed": entry.seed}  # the hand-picked settings compete too


def _settings_of(entry, setting: str, names) -> dict:
    """Per optimizer its hand-picked hyperparameters; for the tuned setting only the names
    (tuned tasks read tuned.json, so a seed edit must not rebuild them)."""
    return {n: entry.seed[n] if setting == "seed" else {} for n in names}


def _panel_outputs(surface: str, name: str, optimizers) -> tuple[str, ...]:
    """A set of panels: its JSON facts first (what other tasks and the pages read), the
    page snippet, one image per optimizer and the key (``render/panels.py``)."""
    images = [f"{surface}/{name}/{panel}.png" for panel in [*optimizers, KEY]]
    return (f"{surface}/{name}.json", f"{surface}/{name}.md", *images)


def plan(exp: Experiments, only: tuple[str, ...] = ()) -> list[Task]:
    chains: list[Task] = []  # tuning, metrics, then the figures that read them
    figures_: list[Task] = []
    independent: list[Task] = []
    for key, entry in exp.surfaces.items():
        if only and key not in only:
            continue
        common = {"surface": key, "start": list(entry.start), "steps": entry.steps, "seed": entry.seed}
        tuning = _tuning_inputs(exp, entry)
        tuned_file = experiment.TUNED_FILE.format(surface=key)
        chains.append(Task(key, "tune", experiment.tune,
                           {"surface": key, "start": common["start"], "steps": entry.steps,
                            "optimizers": list(entry.seed), **tuning}, (tuned_file,), NUMBERS))
        independent += [
            Task(key, "basins", figures.basins, {"surface": key, "seed": entry.seed, "grid": BASIN_GRID},
                 _panel_outputs(key, "basins", entry.seed), DRAWING),
            Task(key, "sensitivity", figures.sensitivity, {**common, "lrs": tuning["lrs"]},
                 _panel_outputs(key, "lr_sensitivity", entry.seed), DRAWING),
            Task(key, "static", figures.static, {"surface": key},
                 (f"{key}/surface.png", f"{key}/contour.png"), DRAWING),
        ]
        for setting in SETTINGS:
            # Tuned tasks read tuned.json: its inputs are part of their key.
            params = {**common, "seed": _settings_of(entry, setting, entry.seed), "setting": setting}
            depends = {"tuning": tuning} if setting == "tuned" else None
            metrics_file = experiment.METRICS_FILE.format(surface=key, setting=setting)
            chains.append(Task(key, "metrics", experiment.metrics, params,
                               (metrics_file, experiment.TABLE_FILE.format(surface=key, setting=setting)),
                               NUMBERS, after=(tuned_file,) if setting == "tuned" else (), depends=depends))
            # The figures read the metrics (each run's verdict over the horizon); the metrics
            # depend on nothing their own key does not cover.
            loss = f"{key}/{setting}_loss.png"
            figures_.append(Task(key, "loss", figures.loss_curves, params, (loss, phone_of(loss), text_sizes_of(loss)),
                                 DRAWING, after=(metrics_file,), depends=depends))
            for view in VIEWS:
                output = f"{key}/{setting}_{view}.gif"
                figures_.append(Task(key, "animation", figures.animation,
                                     {**params, "view": view, "output": output},
                                     (output, still_of(output)), DRAWING, after=(metrics_file,), depends=depends))
    # Convergence rates against theory on the quadratic bowl (hand-picked SGD and Momentum for context).
    for key in rates.SURFACE_KEYS:
        if key in exp.surfaces and (not only or key in only):
            entry = exp.surfaces[key]
            independent.append(Task(key, "rates", rates.rates,
                                    {"surface": key, "start": list(entry.start), "steps": rates.STEPS,
                                     "seed": {n: entry.seed[n] for n in rates.HAND_PICKED if n in entry.seed}},
                                    rates.outputs(key), RATES))
    # Per-optimizer figures span every surface, so --only (a subset of surfaces) skips them.
    for name in dict.fromkeys(n for entry in exp.surfaces.values() for n in entry.seed) if not only else ():
        runs = {key: {"start": list(entry.start), "steps": entry.steps, "hparams": entry.seed[name]}
                for key, entry in exp.surfaces.items() if name in entry.seed}
        independent.append(Task("optimizers", "steps", figures.step_sizes, {"name": name, "runs": runs},
                                (f"optimizers/{name}_steps.png",), DRAWING))
    for name, figure_set in exp.sets.items():
        for figure in figure_set.figures:
            if only and figure.surface not in only:
                continue
            entry = exp.surfaces[figure.surface]
            output = f"sets/{name}/{figure.surface}_{figure.setting}_{figure.view}.gif"
            params = {"surface": figure.surface, "start": list(entry.start), "steps": entry.steps,
                      "seed": _settings_of(entry, figure.setting,
                                           [n for n in figure_set.optimizers if n in entry.seed]),
                      "setting": figure.setting, "view": figure.view, "output": output,
                      "colours": figure_set.colours, "title": figure_set.title}
            depends = {"tuning": _tuning_inputs(exp, entry)} if figure.setting == "tuned" else None
            # Its metrics cover every optimizer of the surface, a superset of the set's.
            metrics_file = experiment.METRICS_FILE.format(surface=figure.surface, setting=figure.setting)
            figures_.append(Task(name, "animation", figures.animation, params, (output, still_of(output)), DRAWING,
                                 after=(metrics_file,), depends=depends))
    if not only:  # the playground's export spans every surface and reads every tuned.json
        figures_.append(Task("playground", "export", playground.export,
                             {"experiments": {key: {"start": list(entry.start), "steps": entry.steps,
                                                    "seed": entry.seed} for key, entry in exp.surfaces.items()}},
                             (playground.ATLAS_FILE,), playground.CODE,
                             after=tuple(experiment.TUNED_FILE.format(surface=key) for key in exp.surfaces),
                             depends={"tuning": {key: _tuning_inputs(exp, entry)
                                                 for key, entry in exp.surfaces.items()}}))
    # Tuning first (the longest chains), then what waits on nothing, then the figures.
    chains.sort(key=lambda task: task.kind != "tune")
    return chains + independent + figures_
