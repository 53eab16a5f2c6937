"""A build killed at any moment leaves only complete files and a truthful manifest, and
the next build finishes the job: its result is byte-identical to a clean build."""
from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from build_assets import experiment

from .helpers import (ROOT, TINY, build, check_complete, digests, outputs, run_cli, skip_if_sources_changed,
                      stamps, temporaries, write_experiments)

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")


def _children(pid: int) -> set[int]:
    """Pids of the direct children of ``pid``."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_until(predicate, timeout: float, interval: float = 0.005) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def test_kill_9_mid_build_then_rerun_equals_a_clean_build(tmp_path, tiny_experiments, tiny_build):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "build_assets", "--experiments", str(tiny_experiments), "--out", str(out),
         "--jobs", "2", "--quiet"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    workers: set[int] = set()
    try:
        # Mid-way: some tasks recorded and a file being written right now, if we catch one.
        def mid_way():
            workers.update(_children(proc.pid))
            manifest = out / ".manifest.json"
            if proc.poll() is not None or not manifest.exists():
                return False
            return bool(temporaries(out)) or len(json.loads(manifest.read_text() or "{}")) >= 6

        assert _wait_until(mid_way, timeout=120), proc.stderr.read().decode()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL, "the build finished before it could be killed"
        killed_with = set(outputs(out))

        check_complete(out)
        # Its workers do not outlive it (they would hold the output lock for ever).
        assert workers, "no worker processes seen"
        assert _wait_until(lambda: not any(_alive(pid) for pid in workers), timeout=10, interval=0.05), \
            "orphaned build workers are still running"
        check_complete(out)  # including what the workers finished in their last moments
    finally:
        for pid in workers:  # only our own build's workers, by pid
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert killed_with < set(outputs(tiny_build)), "a killed build should be incomplete"

    result = run_cli("--experiments", str(tiny_experiments), "--out", str(out), "--quiet", timeout=300)
    assert result.returncode == 0, result.stderr
    assert temporaries(out) == []
    check_complete(out)
    skip_if_sources_changed(tiny_build)
    assert digests(out) == digests(tiny_build)


def test_stale_temporaries_are_removed_by_the_next_build(build_copy, tiny_experiments):
    stale = [build_copy / ".facts.json.x1y2.tmp", build_copy / "saddle" / ".seed_3d.gif.abcd.tmp",
             build_copy / "sets" / "mini" / ".saddle_seed_contour.gif.q.tmp"]
    for path in stale:
        path.write_bytes(b"GIF89a partial")
    before = stamps(build_copy)

    assert build(build_copy, tiny_experiments, "--quiet") == 0

    assert temporaries(build_copy) == []
    after = stamps(build_copy)
    assert after == {f: s for f, s in before.items() if not f.endswith(".tmp")}


def test_interrupted_rebuild_leaves_no_manifest_entry_for_a_replaced_file(build_copy, tiny_build,
                                                                          tiny_experiments, tmp_path,
                                                                          monkeypatch):
    """Ctrl-C in a sequential rebuild, just after a task replaced its first output: the
    manifest must not describe the old file any more (a later build with the old settings
    could otherwise take the new file for the old one when the sizes agree)."""
    data = copy.deepcopy(TINY)
    data["surfaces"]["cubic"]["seed"]["sgd"]["lr"] = 0.003
    changed = write_experiments(tmp_path / "changed.yml", data)
    metrics = build_copy / experiment.METRICS_FILE.format(surface="cubic", setting="seed")
    old_metrics = metrics.read_bytes()

    def interrupted(summary):
        raise KeyboardInterrupt

    monkeypatch.setattr(experiment, "table", interrupted)
    assert build(build_copy, changed, "--only", "cubic", "--jobs", "1", "--quiet") == 130  # as after Ctrl-C
    monkeypatch.undo()

    assert metrics.read_bytes() != old_metrics, "the metrics JSON should have been replaced"
    check_complete(build_copy)

    # Back to the original settings: the next build restores the original files.
    assert build(build_copy, tiny_experiments, "--quiet") == 0
    assert metrics.read_bytes() == old_metrics
    assert temporaries(build_copy) == []
    assert digests(build_copy) == digests(tiny_build)
