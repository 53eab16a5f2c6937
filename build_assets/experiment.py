"""The numbers behind the figures: tuning, running a setting, metrics as JSON and tables.

No plotting here, so the numeric tasks never import matplotlib.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from optimizers import OPTIMIZERS, SURFACES, Trajectory, evaluate, horizon_for, make, run
from optimizers.chaos import SHIFT, compare_starts, shifted_starts
from optimizers.sweep import tune as tune_one
from optimizers.metrics import ROUND_OFF

from .atomic import write_text_atomic

TUNED_FILE = "{surface}/tuned.json"
METRICS_FILE = "{surface}/{setting}_metrics.json"
TABLE_FILE = "{surface}/{setting}_table.md"


def tune(out_dir: Path, surface: str, start, steps: int, optimizers, lrs, grids, seed: dict | None = None) -> None:
    """Search each optimizer's learning rate jointly with its momentum/decay grid, refine the
    rate around the best grid point and try the hand-picked setting (``seed``) too; the whole
    run is scored (``optimizers.sweep.score``). Writes ``tuned.json``."""
    results = {}
    for name in optimizers:
        found = tune_one(name, SURFACES[surface], start, steps, {"lr": lrs, **grids.get(name, {})},
                         hand_picked=(seed or {}).get(name))
        results[name] = {"hparams": found.hparams, "score": found.score, "source": found.source,
                         "tried": found.tried}
    write_text_atomic(out_dir / TUNED_FILE.format(surface=surface), json.dumps(results, indent=1))


def hyperparameters(out_dir: Path, surface: str, setting: str, seed: dict) -> dict[str, dict]:
    """Per optimizer, the hyperparameters of ``setting`` (the tuned ones are read from tuned.json)."""
    if setting == "seed":
        return seed
    tuned = json.loads((out_dir / TUNED_FILE.format(surface=surface)).read_text())
    return {name: tuned[name]["hparams"] for name in seed}


def run_setting(surface: str, start, steps: int, hparams: dict[str, dict]) -> dict[str, Trajectory]:
    return {name: run(make(name, **hp), SURFACES[surface], start, steps) for name, hp in hparams.items()}


def _shown(traj: Trajectory, steps: int) -> Trajectory:
    """The first ``steps`` steps of a longer run (what the figures show)."""
    return Trajectory(traj.points[:steps + 1], traj.losses[:steps + 1],
                      np.where(traj.diverged_at <= steps, traj.diverged_at, -1))


def _int_or_none(value) -> int | None:
    return None if value < 0 else int(value)


def _float(value) -> float | None:
    return None if not np.isfinite(value) else float(value)


def _step_sizes(surface, traj: Trajectory) -> dict:
    """Length of the first and of the last step taken (and the first one's size along each
    coordinate), and the effective learning rate ‖Δx‖ / ‖∇f‖ of each (what plain SGD's lr
    would have had to be)."""
    lengths = np.linalg.norm(np.diff(traj.points, axis=0), axis=-1)
    grads = np.linalg.norm(surface.grad(traj.points[:-1]), axis=-1)
    moved = np.flatnonzero(lengths > ROUND_OFF)  # shorter steps are numerical noise, not moves
    if not len(moved):
        return dict.fromkeys(("first_step", "last_step", "first_step_x1", "first_step_x2",
                              "first_effective_lr", "last_effective_lr"))
    first, last = moved[0], moved[-1]
    first_move = np.abs(traj.points[first + 1] - traj.points[first])
    with np.errstate(all="ignore"):
        return {"first_step": _float(lengths[first]), "last_step": _float(lengths[last]),
                "first_step_x1": _float(first_move[0]), "first_step_x2": _float(first_move[1]),
                "first_effective_lr": _float(lengths[first] / grads[first]),
                "last_effective_lr": _float(lengths[last] / grads[last])}


def _chaos(s, batch: Trajectory, steps: int) -> dict:
    """Whether the run's result survives shifting its start by a hair (``optimizers.chaos``)."""
    found = compare_starts(evaluate(batch, s, steps))
    finite = found.final_losses[np.isfinite(found.final_losses)]
    return {"chaotic": found.chaotic, "kinds": sorted(set(found.kinds)),
            "final_loss_range": [_float(finite.min()), _float(finite.max())] if len(finite) else None}


def _first(batch: Trajectory) -> Trajectory:
    """The run from the first start of a batch."""
    return Trajectory(batch.points[:, 0], batch.losses[:, 0], batch.diverged_at[0])


def _outcome(s, m) -> dict:
    """A run's outcome (``optimizers.outcomes``) as plain JSON data."""
    o = m.outcome
    point = int(o.point)
    return {"kind": str(o.kind), "end": str(o.end), "horizon": o.horizon,
            "reached_at": _int_or_none(o.reached_at), "arrived_at": _int_or_none(o.arrived_at),
            "left_at": _int_or_none(o.left_at), "diverged_at": _int_or_none(o.diverged_at),
            "point": None if point < 0 else {"kind": s.stationary_points[point].kind,
                                             "location": list(s.stationary_points[point].location)}}


def summarise(surface: str, setting: str, start, steps: int, hparams, reported, batches) -> dict:
    """The metrics of every optimizer's run, as plain JSON data. ``reported``: per optimizer,
    its run to the horizon, whose first ``steps`` the path metrics describe (what is shown);
    ``batches``: its runs from ``chaos.shifted_starts(start)``, for the chaos check."""
    s = SURFACES[surface]
    rows = {}
    for name, batch in batches.items():
        traj = reported[name]
        m = evaluate(traj, s, steps)
        shown = _shown(traj, steps)
        nearest = int(m.nearest_minimum)
        rows[name] = {
            "title": OPTIMIZERS[name].title,
            "hparams": hparams[name],
            "steps_to_target": _int_or_none(m.steps_to_target),
            "steps_to_loss_tol": _int_or_none(m.steps_to_loss_tol),
            "steps_to_distance_tol": _int_or_none(m.steps_to_distance_tol),
            "final_loss": _float(m.final_loss),
            "final_distance": _float(m.final_distance),
            "nearest_minimum": None if nearest < 0 else list(s.minima[nearest]),
            "path_length": _float(m.path_length),
            "path_efficiency": _float(m.path_efficiency),
            "oscillation": _float(m.oscillation),
            "outcome": _outcome(s, m),
            "chaos": _chaos(s, batch, steps),
            "diverged_at": _int_or_none(shown.diverged_at),
            "left_plot_at": _int_or_none(m.left_plot_at),
            "final_point": [_float(v) for v in shown.points[-1]],
            **_step_sizes(s, shown),
        }
    target = ({"kind": "escape", "loss": s.escape_loss} if s.escape_loss is not None
              else {"kind": "minimum", "loss": s.min_value, "tolerance": s.loss_tol})
    return {"surface": surface, "setting": setting, "start": list(start), "steps": steps,
            "horizon": horizon_for(steps), "target": target, "optimizers": rows}


def fmt(value, digits: int = 3) -> str:
    """A number as the pages show it: integers plainly, floats to ``digits`` significant digits."""
    if value is None:
        return "—"
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(value)
    value = float(f"{float(value):.{digits}g}")  # round first, so 0.000999… shows as 0.001
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 10**digits:
        return f"{value:.{digits}g}"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


def format_hparams(hparams: dict) -> str:
    return ", ".join(f"{key} {fmt(value)}" for key, value in hparams.items())


def _where(point: dict | None) -> str:
    return "" if point is None else " ({}, {})".format(*(fmt(v) for v in point["location"]))


def outcome(row: dict) -> str:
    """How a run ended, judged to the horizon (``optimizers.outcomes``), for tables and text."""
    o = row["outcome"]
    text = _outcome_text(row, o)
    if row["chaos"]["chaotic"]:
        low, high = row["chaos"]["final_loss_range"] or (None, None)
        text += (f"; chaotic: starts shifted by {fmt(SHIFT)} of the plot width end "
                 f"{' / '.join(KIND_TEXT.get(k, k) for k in row['chaos']['kinds'])}, final loss {fmt(low)} to {fmt(high)}")
    return text


def _outcome_text(row: dict, o: dict) -> str:
    kind, horizon = o["kind"], o["horizon"]
    if kind == "held":
        return f"reached, held to step {horizon}"
    if kind == "late":
        return f"arrives at step {o['arrived_at']}, after the budget"
    if kind == "left":
        then = {"target": "", "moving": "", "cycling": ", then cycles"}.get(
            o["end"], f"; by step {horizon} {END_TEXT[o['end']]}{_where(o['point'])}")
        return f"reached at step {o['reached_at']}, left at step {o['left_at']}{then}"
    if kind == "diverged":
        return f"diverged at step {o['diverged_at']}"
    text = f"{KIND_TEXT[kind]}{_where(o['point'])} at step {horizon}"
    if kind not in ("left_plot",) and row["left_plot_at"] is not None:
        text += f"; left the plot at step {row['left_plot_at']}"
    return text


KIND_TEXT = {"escaping": "escaping (f → −∞)", "minimum": "at a local minimum", "saddle": "stuck at the saddle",
             "maximum": "at the maximum", "left_plot": "outside the plot", "cycling": "cycling",
             "moving": "still moving", "held": "held the target", "late": "arriving late",
             "left": "reached then left", "diverged": "diverged"}
END_TEXT = {**KIND_TEXT, "diverged": "diverged", "target": "back at the target"}


def table(summary: dict) -> str:
    """The metrics of one setting as a Markdown table, best first; chaotic runs last, unranked."""
    def order(item):
        row = item[1]
        arrived = row["steps_to_target"]
        return (row["chaos"]["chaotic"], arrived is None, arrived if arrived is not None else 0,
                math.inf if row["final_loss"] is None else row["final_loss"])

    target = "steps to escape" if summary["target"]["kind"] == "escape" else "steps to target"
    lines = [
        f"| Optimizer | Hyperparameters | {target} | final loss | path efficiency | oscillation | "
        f"outcome (run on to step {summary['horizon']}) |",
        "|---|---|--:|--:|--:|--:|---|",
    ]
    for name, row in sorted(summary["optimizers"].items(), key=order):
        steps = "—" if row["steps_to_target"] is None else str(row["steps_to_target"])
        final = fmt(row["final_loss"])
        if row["chaos"]["chaotic"] and row["chaos"]["final_loss_range"]:
            final = "{} to {}".format(*(fmt(v) for v in row["chaos"]["final_loss_range"]))
        lines.append(
            f"| [{row['title']}](../optimizers/{name}.md) | {format_hparams(row['hparams'])} | {steps} | "
            f"{final} | {fmt(row['path_efficiency'], 2)} | "
            f"{fmt(row['oscillation'], 2)} | {outcome(row)} |"
        )
    return "\n".join(lines) + "\n"


def metrics(out_dir: Path, surface: str, setting: str, start, steps: int, seed: dict) -> None:
    """Run a setting and write its metrics JSON and Markdown table."""
    hparams = hyperparameters(out_dir, surface, setting, seed)
    # The chaos check's shifted starts run in one batch with the reported start: one loop, not
    # two. Element for element a batch computes what single runs do, except the pseudo-inverse
    # (LAPACK's SVD) of Newton's singular Hessians, which may differ in the last bit: Newton's
    # reported run is made alone, as the figures make it.
    batches = run_setting(surface, shifted_starts(SURFACES[surface], start), horizon_for(steps), hparams)
    reported = {name: run(make(name, **hparams[name]), SURFACES[surface], start, horizon_for(steps))
                if OPTIMIZERS[name].uses_hessian else _first(batch) for name, batch in batches.items()}
    summary = summarise(surface, setting, start, steps, hparams, reported, batches)
    write_text_atomic(out_dir / METRICS_FILE.format(surface=surface, setting=setting),
                      json.dumps(summary, indent=1))
    write_text_atomic(out_dir / TABLE_FILE.format(surface=surface, setting=setting), table(summary))
