"""The build runs each task once the files it reads are written, and not at all if one of
them failed (``build_assets.cli._run_tasks``), with one process or several."""
from __future__ import annotations

from pathlib import Path

import pytest

from build_assets.cli import _run_tasks
from build_assets.tasks import Task


def write(out_dir: Path, name: str, reads: tuple[str, ...] = ()) -> None:
    # the inputs must be complete when a task starts
    text = "".join((out_dir / f).read_text() for f in reads) + name
    (out_dir / name).write_text(text)


def fail(out_dir: Path, name: str) -> None:
    raise RuntimeError(f"{name} broke")


def task(name: str, after: tuple[str, ...] = (), func=write) -> Task:
    params = {"name": name, "reads": after} if func is write else {"name": name}
    return Task("g", "k", func, params, (name,), (), after=after)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_task_waits_for_its_inputs_and_a_failure_stops_its_dependents(tmp_path, jobs):
    # the plan lists the readers first: only the ``after`` files order them
    tasks = [task("c", after=("b",)), task("b", after=("a",)), task("d", after=("x",)),
             task("a"), task("x", func=fail), task("e", after=("d",))]
    finished = []
    _run_tasks(tasks, tmp_path, jobs, lambda t, elapsed, error: finished.append((t.name, error)))
    errors = dict(finished)
    assert sorted(errors) == ["a", "b", "c", "d", "e", "x"]  # each finished exactly once
    assert (tmp_path / "c").read_text() == "abc"
    assert "x broke" in errors["x"]
    assert errors["d"] == "not built: its input x failed\n" and not (tmp_path / "d").exists()
    assert errors["e"] == "not built: its input d failed\n"
    assert errors["a"] is errors["b"] is errors["c"] is None
