"""Cross-surface products made from the per-task JSON files: the facts the page text
quotes (``facts.json``) and the tables that compare surfaces. Cheap, so always rebuilt;
a file is rewritten only when its content changes."""
from __future__ import annotations

import json
import math
from pathlib import Path

from optimizers import KINDS, OPTIMIZERS, SURFACES, chaos, outcomes
from optimizers.metrics import SIGNIFICANT_STEP
from optimizers.sweep import REFINE

from .atomic import write_text_atomic
from .config import SETTINGS, Experiments
from .experiment import METRICS_FILE, TUNED_FILE, fmt, format_hparams, outcome
from .tasks import BASIN_GRID

FACTS_FILE = "facts.json"


def _write_if_changed(path: Path, text: str) -> bool:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    write_text_atomic(path, text)
    return True


def _load(out_dir: Path, exp: Experiments) -> dict[tuple[str, str], dict]:
    """Per (surface, product) the JSON the tasks wrote: each setting's metrics, the
    learning-rate sweeps ("sensitivity") and the basin maps ("basins")."""
    files = {**{setting: METRICS_FILE for setting in SETTINGS},
             "sensitivity": "{surface}/lr_sensitivity.json", "basins": "{surface}/basins.json",
             "tuning": TUNED_FILE}
    summaries = {}
    for key in exp.surfaces:
        for product, pattern in files.items():
            path = out_dir / pattern.format(surface=key, setting=product)
            if path.is_file():
                summaries[key, product] = json.loads(path.read_text())
    return summaries


def facts(summaries: dict[tuple[str, str], dict]) -> dict[str, str]:
    """Flat ``surface.setting.optimizer.field`` -> the text the pages show."""
    out: dict[str, str] = {}
    for (key, product), summary in summaries.items():
        if product == "sensitivity":
            for name, row in summary.items():
                base = f"{key}.sensitivity.{name}"
                out[f"{base}.best_lr"] = fmt(row["best_lr"])
                out[f"{base}.decades"] = fmt(row["decades"], 2)
                out[f"{base}.count"] = str(row["count"])
                low, high = row["reaching_lrs"] or (None, None)
                out[f"{base}.lowest_lr"], out[f"{base}.highest_lr"] = fmt(low), fmt(high)
        if product == "tuning":
            for name, row in summary.items():
                out[f"{key}.tuned.{name}.source"] = {"grid": "the grid", "refined": "the refinement around the "
                                                     "best grid rate", "hand-picked": "the hand-picked setting"}[
                    row["source"]]
                out[f"{key}.tuned.{name}.tried"] = str(row["tried"])
        if product == "basins":
            for name, row in summary.items():
                out[f"{key}.basins.{name}.arrived"] = f"{100 * row['arrived']:.0f}%"
                out[f"{key}.basins.{name}.panel_share"] = f"{100 * row['panel_share']:.0f}%"
                # .diverged is the outcome kind (the run's verdict); a run that escaped and held
                # the target can still blow up later: .diverged_by_horizon counts every run that
                # diverged at all (held runs followed to the horizon, the others to the budget).
                out[f"{key}.basins.{name}.diverged_by_horizon"] = f"{100 * row['diverged']:.0f}%"
                for kind in KINDS:
                    out[f"{key}.basins.{name}.{kind}"] = f"{100 * row['kinds'].get(kind, 0.0):.0f}%"
    for (key, setting), summary in summaries.items():
        if setting not in SETTINGS:
            continue
        out[f"{key}.start"] = f"({fmt(summary['start'][0])}, {fmt(summary['start'][1])})"
        out[f"{key}.steps"] = str(summary["steps"])
        out[f"{key}.horizon"] = str(summary["horizon"])
        out[f"{key}.loss_tol"] = fmt(SURFACES[key].loss_tol)
        for name, row in summary["optimizers"].items():
            base = f"{key}.{setting}.{name}"
            out[f"{base}.hparams"] = format_hparams(row["hparams"])
            for hp, value in row["hparams"].items():
                out[f"{base}.{hp}"] = fmt(value)
            for field in ("steps_to_target", "steps_to_loss_tol", "steps_to_distance_tol",
                          "diverged_at", "left_plot_at"):
                out[f"{base}.{field}"] = "never" if row[field] is None else str(row[field])
            for field in ("final_loss", "final_distance", "path_length", "first_step", "last_step",
                          "first_step_x1", "first_step_x2", "first_effective_lr", "last_effective_lr"):
                out[f"{base}.{field}"] = fmt(row[field])
            for field in ("path_efficiency", "oscillation"):
                out[f"{base}.{field}"] = fmt(row[field], 2)
            o = row["outcome"]
            out[f"{base}.chaotic"] = "yes" if row["chaos"]["chaotic"] else "no"
            out[f"{base}.kind"] = o["kind"]
            out[f"{base}.end"] = o["end"]
            for field in ("reached_at", "arrived_at", "left_at"):
                out[f"{base}.{field}"] = "never" if o[field] is None else str(o[field])
            out[f"{base}.final_point"] = "({}, {})".format(*(fmt(v) for v in row["final_point"]))
            out[f"{base}.outcome"] = outcome(row)
    out.update(_saddle_escape(summaries))
    out.update(_tallies(summaries))
    return dict(sorted(out.items()))


def _tallies(summaries) -> dict[str, str]:
    """Per setting: on how many surfaces each optimizer reached the target, and per surface
    the fastest optimizer."""
    out = {}
    for setting in SETTINGS:
        rows = {key: s["optimizers"] for (key, product), s in summaries.items() if product == setting}
        out[f"surfaces.{setting}.count"] = str(len(rows))
        for name in OPTIMIZERS:
            arrived = sum(1 for r in rows.values() if name in r and r[name]["steps_to_target"] is not None)
            out[f"{name}.{setting}.arrived_count"] = str(arrived)
        for key, r in rows.items():
            ranked = [row for row in r.values() if row["steps_to_target"] is not None and not row["chaos"]["chaotic"]]
            best = min((row["steps_to_target"] for row in ranked), default=None)
            tied = [row["title"] for row in ranked if row["steps_to_target"] == best]
            out[f"{key}.{setting}.fastest_count"] = str(len(tied))
            out[f"{key}.{setting}.fastest"] = ", ".join(tied) if tied else "none"  # ties in registry order
            out[f"{key}.{setting}.fastest_steps"] = "never" if best is None else str(best)
    return out


def _saddle_escape(summaries) -> dict[str, str]:
    """SGD on −x1²/2 + x2²: x1 grows by (1 + lr) a step, so it reaches |x1| = 1 at step
    ⌈ln(1/|x1_0|) / ln(1 + lr)⌉; the measured step comes from the run."""
    out = {}
    for setting in SETTINGS:
        summary = summaries.get(("saddle", setting))
        if not summary or "sgd" not in summary["optimizers"]:
            continue
        row, x1 = summary["optimizers"]["sgd"], abs(summary["start"][0])
        lr = row["hparams"].get("lr", OPTIMIZERS["sgd"].defaults["lr"])
        out[f"saddle.{setting}.sgd.escape_predicted"] = str(math.ceil(math.log(1 / x1) / math.log(1 + lr)))
        out[f"saddle.{setting}.sgd.escape_measured"] = "never" if row["steps_to_target"] is None else str(
            row["steps_to_target"])
    return out


VERDICT_TEXT = {"late": "later", "left": "left again", "diverged": "diverged", "escaping": "f → −∞",
                "minimum": "local min.", "saddle": "saddle", "maximum": "maximum", "left_plot": "left plot",
                "cycling": "cycling", "moving": "not yet"}


def verdict_table(summaries, exp: Experiments, setting: str) -> str:
    """Optimizers × surfaces: steps to the target, or how the run ended."""
    keys = [k for k in exp.surfaces if (k, setting) in summaries]
    names = [n for n in OPTIMIZERS if any(n in summaries[k, setting]["optimizers"] for k in keys)]
    header = "| Optimizer | " + " | ".join(f"[{SURFACES[k].title}](surfaces/{k}.md)" for k in keys) + " |"
    lines = [header, "|---|" + "--:|" * len(keys)]
    for name in names:
        cells = []
        for key in keys:
            row = summaries[key, setting]["optimizers"].get(name)
            if row is None:
                cells.append("")
            elif row["chaos"]["chaotic"]:
                cells.append("chaotic")
            elif row["steps_to_target"] is not None:
                cells.append(f"**{row['steps_to_target']}**")
            else:
                cells.append(VERDICT_TEXT[row["outcome"]["kind"]])
        lines.append(f"| [{OPTIMIZERS[name].title}](optimizers/{name}.md) | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def stationary_table(surface) -> str:
    """The surface's stationary points with their type and value (counted by type when many)."""
    points = surface.stationary_points
    if len(points) > 12:
        lines = ["| Type | Count | Lowest value | at |", "|---|--:|--:|---|"]
        for kind in ("minimum", "saddle", "maximum"):
            of_kind = [p for p in points if p.kind == kind]
            if of_kind:
                low = min(of_kind, key=lambda p: p.value)
                lines.append(f"| {kind} | {len(of_kind)} | {fmt(low.value, 4)} | "
                             f"({fmt(low.location[0], 4)}, {fmt(low.location[1], 4)}) |")
        return "\n".join(lines) + "\n"
    lines = ["| Point | Type | f |", "|---|---|--:|"]
    for p in points:
        value = 0.0 if abs(p.value) < 1e-12 else p.value  # rounding noise of the refined minima
        lines.append(f"| ({fmt(p.location[0], 6)}, {fmt(p.location[1], 6)}) | {p.kind} | {fmt(value, 6)} |")
    return "\n".join(lines) + "\n"


def write(out_dir: Path, exp: Experiments) -> list[str]:
    """Write every cross-surface product; returns the files that changed."""
    summaries = _load(out_dir, exp)
    settings = {
        "tuning.lr_min": fmt(exp.tuning.lrs[0]), "tuning.lr_max": fmt(exp.tuning.lrs[-1]),
        "tuning.lr_count": str(len(exp.tuning.lrs)), "basins.grid": str(BASIN_GRID),
        "tuning.refine": str(REFINE), "outcomes.horizon_factor": str(outcomes.HORIZON_FACTOR),
        "outcomes.grad_tol": fmt(outcomes.GRAD_TOL), "outcomes.cycle_efficiency": fmt(outcomes.CYCLE_EFFICIENCY),
        "chaos.shift": fmt(chaos.SHIFT), "chaos.loss_rtol": fmt(chaos.LOSS_RTOL),
        "oscillation.significant": fmt(SIGNIFICANT_STEP),
    }
    products = {FACTS_FILE: json.dumps({**facts(summaries), **settings}, indent=1, sort_keys=True,
                                       ensure_ascii=False) + "\n"}
    for setting in SETTINGS:
        products[f"summary/verdict_{setting}.md"] = verdict_table(summaries, exp, setting)
    for key in exp.surfaces:
        products[f"{key}/stationary.md"] = stationary_table(SURFACES[key])
    return [name for name, text in products.items() if _write_if_changed(out_dir / name, text)]
