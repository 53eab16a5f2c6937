"""Write the golden vectors the JavaScript port is tested against (``make test`` runs this
before ``node --test tests/playground``).

For every optimizer × every surface × the hand-picked, tuned and default settings (as the
build exports them in ``playground/atlas.json``), from the default start and from
``RANDOM_STARTS`` random starts in the plot range: the Python library's trajectory for
``max(MIN_STEPS, budget)`` steps, and its outcome judged to the horizon as the tables judge
it. On surfaces whose math is not bit-exact in JavaScript (cos/sin) each run also says whether
it is chaotic (``optimizers.chaos``). One JSON file per surface; nothing here is committed.
The schedules' vectors (rates, runs with a schedule as lr) go to ``schedules/schedules.json``
(see schedule_golden.py).

    python tests/playground/write_golden.py [OUT_DIR]   (default: .cache/playground-golden)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from build_assets.atomic import write_text_atomic  # noqa: E402
from build_assets.playground import ATLAS_FILE  # noqa: E402
from optimizers import SURFACES, classify, horizon_for, make, run  # noqa: E402
from optimizers.chaos import start_sensitivity  # noqa: E402
from tests.playground.schedule_golden import golden as schedule_golden  # noqa: E402

ATLAS = ROOT / "docs" / "assets" / "generated" / ATLAS_FILE
DEFAULT_OUT = ROOT / ".cache" / "playground-golden"
MIN_STEPS = 200
RANDOM_STARTS = 3
SEED = 20261203
NOT_BIT_EXACT = ("rastrigin",)  # cos/sin differ between numpy and JavaScript engines


def _starts(surface, start) -> list[list[float]]:
    rng = np.random.default_rng([SEED, list(SURFACES).index(surface.key)])
    (lo1, hi1), (lo2, hi2) = surface.bounds
    randoms = rng.uniform([lo1, lo2], [hi1, hi2], size=(RANDOM_STARTS, 2))
    return [list(start)] + randoms.tolist()


def _records(name, hparams, surface, starts, budget) -> list[dict]:
    """The runs from ``starts``, stepped as one batch (elementwise, so each run's numbers
    are those of a run from its start alone) and classified one by one, as the tables are.
    Newton's pseudo-inverse at a singular Hessian is not elementwise: its runs go alone."""
    opt = make(name, **hparams)
    if opt.uses_hessian and len(starts) > 1:
        return [r for start in starts for r in _records(name, hparams, surface, [start], budget)]
    horizon = horizon_for(budget)
    traj = run(opt, surface, np.array(starts), horizon)
    shown = max(MIN_STEPS, budget)
    records = []
    for i, start in enumerate(starts):
        points, losses, diverged_at = traj.points[:, i], traj.losses[:, i], traj.diverged_at[i]
        o = classify(points, losses, diverged_at, surface, budget)
        record = {
            "optimizer": name, "hparams": hparams, "start": start, "budget": budget,
            "points": points[:shown + 1].ravel().tolist(),
            "losses": losses[:shown + 1].tolist(),
            "diverged_at": int(diverged_at) if diverged_at <= shown else -1,
            "horizon_point": points[-1].tolist(),
            "outcome": {"kind": str(o.kind), "end": str(o.end), "point": int(o.point),
                        "reached_at": int(o.reached_at), "arrived_at": int(o.arrived_at),
                        "left_at": int(o.left_at), "diverged_at": int(o.diverged_at)},
        }
        if surface.key in NOT_BIT_EXACT:
            record["chaotic"] = start_sensitivity(opt, surface, start, budget, horizon).chaotic
        records.append(record)
    return records


def _finite(value):
    """JSON has no NaN or infinity: spelt as strings, decoded by the JavaScript test."""
    if isinstance(value, float) and not np.isfinite(value):
        return str(value)
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return value


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    if not ATLAS.is_file():
        print(f"error: {ATLAS} not found: run `python -m build_assets` first", file=sys.stderr)
        return 1
    atlas = json.loads(ATLAS.read_text(encoding="utf-8"))
    # Surfaces without experiments (no hand-picked or tuned settings) are run with the
    # papers' defaults from their own start, for their own budget.
    unset = {key: {"start": s["start"], "steps": s["steps"], "seed": {}, "tuned": {}}
             for key, s in atlas["surfaces"].items() if key not in atlas["settings"]}
    for key, setting in {**atlas["settings"], **unset}.items():
        surface = SURFACES[key]
        budget = setting["steps"]
        runs = []
        for name in atlas["optimizers"]:
            choices = {"seed": setting["seed"].get(name), "tuned": setting["tuned"].get(name), "defaults": {}}
            for label, hparams in choices.items():
                if hparams is None:
                    continue
                starts = _starts(surface, setting["start"]) if label != "defaults" else [setting["start"]]
                runs += [{"setting": label, **r} for r in _records(name, hparams, surface, starts, budget)]
        write_text_atomic(out / f"{key}.json",
                          json.dumps(_finite({"surface": key, "runs": runs}), allow_nan=False))
        print(f"{key}: {len(runs)} runs")
    vectors = schedule_golden(atlas)
    write_text_atomic(out / "schedules" / "schedules.json", json.dumps(_finite(vectors), allow_nan=False))
    print(f"schedules: {len(vectors['schedules'])} schedules, {len(vectors['runs'])} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
