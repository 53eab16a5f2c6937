"""Drawing tasks: each makes the figures of one task from the experiment settings."""
from __future__ import annotations

import json
from pathlib import Path

from optimizers import SURFACES

from . import experiment
from .atomic import write_text_atomic

SETTING_TITLES = {"seed": "hand-picked settings", "tuned": "tuned settings"}


def _runs(out_dir: Path, surface, start, steps, seed, setting, colours=None):
    """The setting's trajectories as styled runs, each with its timed legend statuses. Only
    the budget is run here: the verdicts over the horizon are read from the metrics task's
    output, which ran the same runs on to the horizon."""
    from .render.style import make_run

    hparams = experiment.hyperparameters(out_dir, surface, setting, seed)
    trajectories = experiment.run_setting(surface, start, steps, hparams)
    rows = json.loads((out_dir / experiment.METRICS_FILE.format(surface=surface, setting=setting)).read_text())
    runs = []
    for name, traj in trajectories.items():
        diverged = int(traj.diverged_at) if 0 <= traj.diverged_at <= steps else -1
        events_of = events(SURFACES[surface], rows["optimizers"][name], steps)
        runs.append(make_run(name, traj.points, diverged, overrides=colours, events=events_of))
    return runs


def _blow_up(surface, o: dict) -> str:
    """A run past the divergence bound: a blow-up, unless it got there by escaping for good."""
    if o["kind"] == "held":  # escaped on a surface unbounded below, and kept going
        return f"ran past |x| = {surface.divergence_bound:g} at step {o['diverged_at']}"
    return f"diverged at step {o['diverged_at']}"


def events(surface, row: dict, steps: int) -> list[tuple[int, str]]:
    """What the legend says of a run (its row of the metrics JSON), and from which step: what
    happens within the budget, then at the last frame the verdict over the horizon
    (``optimizers.outcomes``)."""
    o = row["outcome"]
    arrive = "escaped" if surface.escape_loss is not None else "reached the target"
    timed = [(o["reached_at"], f"{arrive} at step {o['reached_at']}"),
             (o["left_at"], f"left it at step {o['left_at']}"),
             (row["left_plot_at"], f"left the plot at step {row['left_plot_at']}"),
             (o["diverged_at"], _blow_up(surface, o) if o["diverged_at"] is not None else "")]
    happened = sorted((step, text) for step, text in timed if step is not None and step <= steps)
    held = "still escaped" if surface.escape_loss is not None else "holds it"
    verdict = {"held": f"{held} at step {o['horizon']}",
               "late": f"arrives at step {o['arrived_at']}, after the budget",
               "left": f"left it at step {o['left_at']}",
               "diverged": f"diverged at step {o['diverged_at']}"}.get(
        o["kind"], f"by step {o['horizon']}: {experiment.KIND_TEXT[o['kind']]}")
    if row["chaos"]["chaotic"]:
        verdict += " (chaotic)"
    latest = happened[-1][1] if happened else ""
    if verdict not in latest:
        happened.append((steps, f"{latest}; {verdict}" if latest else verdict))
    return happened


def static(out_dir: Path, surface: str) -> None:
    from .render.scene import save_contour_png, save_surface_png

    save_surface_png(SURFACES[surface], out_dir / f"{surface}/surface.png")
    save_contour_png(SURFACES[surface], out_dir / f"{surface}/contour.png")


def animation(out_dir: Path, surface: str, start, steps: int, seed: dict, setting: str, view: str,
              output: str, colours: dict | None = None, title: str | None = None) -> None:
    from .render.animate import render_animation

    runs = _runs(out_dir, surface, start, steps, seed, setting, colours)
    s = SURFACES[surface]
    heading = f"{title}: {s.title}" if title else f"{s.title} · {SETTING_TITLES[setting]}"
    render_animation(out_dir / output, s, runs, view, title=heading)


def loss_curves(out_dir: Path, surface: str, start, steps: int, seed: dict, setting: str) -> None:
    from .phone_figures import phone_of, text_sizes, text_sizes_of
    from .render.loss import save_loss_curves

    runs = _runs(out_dir, surface, start, steps, seed, setting)
    s = SURFACES[surface]
    path = f"{surface}/{setting}_loss.png"
    title = f"{s.title} · {SETTING_TITLES[setting]}"
    wide = save_loss_curves(out_dir / path, s, runs, title=title)
    phone = save_loss_curves(out_dir / phone_of(path), s, runs, title=title, phone=True)
    write_text_atomic(out_dir / text_sizes_of(path), text_sizes(wide, phone))


def sensitivity(out_dir: Path, surface: str, start, steps: int, seed: dict, lrs) -> None:
    """Sweep each optimizer's learning rate (its other hyperparameters as hand-picked)."""
    import numpy as np

    from optimizers import lr_sweep

    from .panel_markup import KEY, key_alt, legend_labels, sensitivity_alt, write_panel_snippet
    from .render.panels import save_panels
    from .render.sensitivity import failed_lrs, lr_sensitivity_panels, reaching_decades, reaching_lrs

    s = SURFACES[surface]
    sweeps = {name: lr_sweep(name, s, start, steps, np.array(lrs), **{k: v for k, v in hp.items() if k != "lr"})
              for name, hp in seed.items()}
    summary, alts = {}, {}
    for name, result in sweeps.items():
        reached = reaching_lrs(result)
        reaching = np.asarray(lrs)[reached]
        summary[name] = {
            "best_lr": result.best["lr"],
            "reaching_lrs": [float(reaching.min()), float(reaching.max())] if len(reaching) else None,
            "count": int(reached.sum()),
            "decades": reaching_decades(np.asarray(lrs), reached),
        }
        diverged, left = failed_lrs(result)
        alts[name] = sensitivity_alt(name, lrs, summary[name], {"diverged": int(diverged.sum()), "left": int(left.sum())})
    panels = lr_sensitivity_panels(s, sweeps)
    alts[KEY] = key_alt(legend_labels(panels), "learning-rate panels")
    write_panel_snippet(out_dir, surface, "lr_sensitivity", save_panels(panels, out_dir / surface / "lr_sensitivity"),
                        alts)
    write_text_atomic(out_dir / f"{surface}/lr_sensitivity.json", json.dumps(summary, indent=1))


def basins(out_dir: Path, surface: str, seed: dict, grid: int) -> None:
    """Run every optimizer from a grid of starts covering the plot range."""
    import numpy as np

    from .panel_markup import KEY, basin_alt, key_alt, legend_labels, write_panel_snippet
    from .render.basins import basin_map_panels, basin_metrics, panel_share
    from .render.panels import save_panels

    s = SURFACES[surface]
    maps = {name: basin_metrics(s, name, hp, n=grid) for name, hp in seed.items()}
    summary = {name: {"arrived": float(np.mean(m.steps_to_target >= 0)),
                      "panel_share": panel_share(s, m),
                      "diverged": float(np.mean(m.diverged_at >= 0)),
                      "kinds": {kind: float(np.mean(m.kind == kind)) for kind in sorted(set(m.kind.ravel()))}}
               for name, m in maps.items()}
    panels = basin_map_panels(s, maps)
    alts = {name: basin_alt(name, grid, summary[name]) for name in maps}
    alts[KEY] = key_alt(legend_labels(panels), "basin maps")
    write_panel_snippet(out_dir, surface, "basins", save_panels(panels, out_dir / surface / "basins"), alts)
    write_text_atomic(out_dir / f"{surface}/basins.json", json.dumps(summary, indent=1))


def step_sizes(out_dir: Path, name: str, runs: dict) -> None:
    """One optimizer's step lengths and effective learning rate on every surface (hand-picked
    settings). ``runs`` maps a surface key to ``{"start", "steps", "hparams"}``."""
    from optimizers import OPTIMIZERS, make, run

    from .render.steps import save_step_sizes

    series = {}
    for key, entry in runs.items():
        s = SURFACES[key]
        traj = run(make(name, **entry["hparams"]), s, entry["start"], entry["steps"])
        series[s.title] = (traj.points, s.grad(traj.points))
    save_step_sizes(out_dir / f"optimizers/{name}_steps.png",
                    f"{OPTIMIZERS[name].title}: step length and effective learning rate", series)
