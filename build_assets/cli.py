"""``python -m build_assets``: build every figure and table the site shows, incrementally."""
from __future__ import annotations

import argparse
import concurrent.futures as futures
import fcntl
import multiprocessing
import os
import sys
import time
import traceback
from collections import defaultdict
from pathlib import Path

from .cache import ROOT, Manifest
from .config import ConfigError, load

EXPERIMENTS = ROOT / "build_assets" / "experiments.yml"
DEFAULT_OUT = ROOT / "docs" / "assets" / "generated"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m build_assets", description=__doc__)
    parser.add_argument("--only", nargs="+", metavar="SURFACE", default=(),
                        help="build only these surfaces (and the figure-set figures on them)")
    parser.add_argument("--force", action="store_true", help="rebuild even what the cache says is up to date")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="parallel processes (default: all cores)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR",
                        help=f"output directory (default: {DEFAULT_OUT.relative_to(ROOT)})")
    parser.add_argument("--experiments", type=Path, default=EXPERIMENTS, metavar="FILE",
                        help="the experiments file (default: build_assets/experiments.yml)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    return parser


def _execute(task, out_dir: Path):
    """Run one task (in a worker process); returns (seconds, error text or None)."""
    started = time.perf_counter()
    try:
        task.func(out_dir, **task.params)
    except Exception:  # reported by the parent, which records nothing for this task
        return time.perf_counter() - started, traceback.format_exc(limit=-3)
    return time.perf_counter() - started, None


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: exit when the build process is gone (e.g. kill -9). An orphaned
    worker would otherwise wait on the task queue for ever, holding the output directory's
    lock (inherited over fork), so the next build would hang."""
    import threading

    def watch():
        while os.getppid() == parent:
            time.sleep(0.1)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _remove_stale_temporaries(out_dir: Path) -> None:
    """Temporary files left by a killed build (complete files are only ever renamed into place)."""
    for path in out_dir.rglob(".*.tmp"):
        path.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.jobs < 1:
        print(f"error: --jobs {args.jobs}: must be at least 1", file=sys.stderr)
        return 2
    try:
        exp = load(args.experiments)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    unknown = [key for key in args.only if key not in exp.surfaces]
    if unknown:
        print(f"error: --only {' '.join(unknown)}: no such surface in {args.experiments} "
              f"(known: {', '.join(exp.surfaces)})", file=sys.stderr)
        return 2

    from .tasks import plan  # after validation: nothing is imported or written for a bad file

    out_dir = args.out.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    # One build at a time per output directory. Opened read-only: writing it would count as
    # a change under docs/ and make `mkdocs serve` rebuild forever.
    lock = os.open(out_dir / ".lock", os.O_RDONLY | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build(plan(exp, tuple(args.only)), exp, out_dir, args)
    finally:
        os.close(lock)


def _import_drawing_modules() -> None:
    """Import matplotlib and the renderers once, before the workers are forked: each
    worker would otherwise spend about a second importing them itself."""
    from .render import animate, basins, loss, rates, sensitivity, steps  # noqa: F401


def _run_tasks(todo, out_dir: Path, jobs: int, finish) -> None:
    """Run the tasks, each once those writing its ``after`` files are done, in plan order
    (``tasks.plan`` lists the longest chains first), in parallel processes when worth it.
    A task whose input failed is not run: it fails too, naming the input."""
    rank = {task.name: i for i, task in enumerate(todo)}
    producer = {output: task.name for task in todo for output in task.outputs}
    waiting = {task.name: {producer[f] for f in task.after if f in producer} for task in todo}
    pending, failed = list(todo), set()

    def done(task, elapsed, error):
        if error:
            failed.add(task.name)
        for names in waiting.values():
            names.discard(task.name)
        finish(task, elapsed, error)

    def ready() -> list:
        found, changed = [], True
        while changed:  # a failed input fails its dependents, which may free others
            changed = False
            for task in [t for t in pending if not waiting[t.name]]:
                pending.remove(task)
                lost = [f for f in task.after if producer.get(f) in failed]
                if lost:
                    done(task, 0.0, f"not built: its input {lost[0]} failed\n")
                    changed = True
                else:
                    found.append(task)
        return found

    if jobs == 1 or len(todo) <= 1:
        while pending:
            for task in ready():
                done(task, *_execute(task, out_dir))
        return
    _import_drawing_modules()
    context = multiprocessing.get_context("fork")
    with futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                     initializer=_exit_with_parent, initargs=(os.getpid(),)) as pool:
        running: dict = {}
        queue: list = []
        try:
            while True:
                queue = sorted(queue + ready(), key=lambda task: rank[task.name])
                # Only as many tasks as workers are handed out, so that a task that has
                # just become ready goes before the later ones of the plan.
                while queue and len(running) < jobs:
                    task = queue.pop(0)
                    running[pool.submit(_execute, task, out_dir)] = task
                if not running:
                    break
                finished, _ = futures.wait(running, return_when=futures.FIRST_COMPLETED)
                for future in finished:
                    done(running.pop(future), *future.result())
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)  # queued tasks never start
            raise


def _build(tasks, exp, out_dir: Path, args) -> int:
    from . import summary

    _remove_stale_temporaries(out_dir)
    manifest = Manifest(out_dir)
    keys = {task.name: task.key for task in tasks}
    todo = [t for t in tasks if args.force or not manifest.is_fresh(t.outputs, keys[t.name])]
    manifest.forget(tuple(o for t in todo for o in t.outputs))
    written, seconds, failures = defaultdict(int), defaultdict(float), []
    progress = None
    if todo and not args.quiet:
        from tqdm import tqdm
        progress = tqdm(total=len(todo), unit="task", desc="building assets", leave=False, disable=None)  # off when not a TTY

    def finish(task, elapsed, error):
        seconds[task.group] += elapsed
        if error:
            failures.append(f"error: building {task.name} failed:\n{error}")
        else:
            manifest.record(task.outputs, keys[task.name])
            written[task.group] += len(task.outputs)
        if progress:
            progress.update()

    started = time.perf_counter()
    try:
        _run_tasks(todo, out_dir, args.jobs, finish)
    except KeyboardInterrupt:
        if progress:
            progress.close()
        print("interrupted: the finished assets are kept; run again to build the rest", file=sys.stderr)
        return 130
    if progress:
        progress.close()
    changed = summary.write(out_dir, exp)

    for failure in failures:
        print(failure, file=sys.stderr)
    if not args.quiet:
        groups = dict.fromkeys(t.group for t in tasks)
        for group in groups:
            outputs = sum(len(t.outputs) for t in tasks if t.group == group)
            print(f"{group}: {written[group]} files written, {outputs - written[group]} cached, "
                  f"{seconds[group]:.1f} s")
        print(f"summary: {len(changed)} files updated; total {time.perf_counter() - started:.1f} s")
    return 1 if failures else 0
