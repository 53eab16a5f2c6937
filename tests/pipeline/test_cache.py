"""The content-hash cache: a build rebuilds exactly the tasks whose inputs changed (asserted
on which files were rewritten, never on time)."""
from __future__ import annotations

import copy
import json
import re
import subprocess
import sys

from build_assets.animation_controls import still_of
from build_assets.config import load
from build_assets.tasks import plan

from .helpers import (ROOT, TINY, build, changed, check_complete, digests, outputs, skip_if_sources_changed,
                      stamps, write_experiments)

SUMMARY_LINE = re.compile(r"^(?P<group>\S+): (?P<written>\d+) files written, (?P<cached>\d+) cached, ")


def _task_outputs(out_files, experiments, only=()) -> set[str]:
    """``out_files`` restricted to task outputs (not the always-recomputed summary products)."""
    planned = {o for t in plan(load(experiments), only) for o in t.outputs}
    return set(out_files) & planned


def _keys(experiments) -> dict[str, str]:
    return {o: t.key for t in plan(load(experiments)) for o in t.outputs}


def _everything(out):
    """(inode, mtime) of every file (the lock too) and directory: a build that creates, renames
    or writes anything under the output directory changes one (``mkdocs serve`` would see it)."""
    return {str(p.relative_to(out)): (p.stat().st_ino, p.stat().st_mtime_ns) for p in [out, *out.rglob("*")]}


def test_second_build_writes_nothing(build_copy, tiny_experiments, capsys):
    before, everything = stamps(build_copy), _everything(build_copy)
    capsys.readouterr()
    assert build(build_copy, tiny_experiments) == 0
    printed = capsys.readouterr().out.splitlines()

    assert stamps(build_copy) == before, "a no-change build must not rewrite any file"
    assert _everything(build_copy) == everything, "a no-change build must not touch the output directory"
    groups = [m.groupdict() for m in map(SUMMARY_LINE.match, printed) if m]
    assert {g["group"] for g in groups} >= {"saddle", "cubic", "mini"}
    assert all(g["written"] == "0" for g in groups), printed
    assert "summary: 0 files updated" in "\n".join(printed)


def test_no_change_build_in_a_new_process_rebuilds_nothing_and_never_imports_matplotlib(
        build_copy, tiny_build, tiny_experiments):
    """Keys are stable across processes, and a warm build does not import the renderers."""
    script = (
        "import json, sys\n"
        "from build_assets.cli import main\n"
        f"status = main(['--experiments', {str(tiny_experiments)!r}, '--out', {str(build_copy)!r}])\n"
        "print(json.dumps({'status': status, 'matplotlib': sorted(m for m in sys.modules\n"
        "                  if m.split('.')[0] in ('matplotlib', 'mpl_toolkits', 'PIL'))}))\n"
    )
    before = stamps(build_copy)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    skip_if_sources_changed(tiny_build)
    *lines, last = result.stdout.splitlines()
    report = json.loads(last)
    assert report["status"] == 0
    assert all(m.group("written") == "0" for m in map(SUMMARY_LINE.match, lines) if m), result.stdout
    assert stamps(build_copy) == before
    assert report["matplotlib"] == [], "a warm build imported plotting modules"


def test_changing_one_hyperparameter_rebuilds_only_that_surfaces_seed_assets(build_copy, tiny_experiments,
                                                                            tmp_path):
    data = copy.deepcopy(TINY)
    data["surfaces"]["cubic"]["seed"]["sgd"]["lr"] = 0.02
    edited = write_experiments(tmp_path / "edited.yml", data)
    old_keys, new_keys = _keys(tiny_experiments), _keys(edited)
    expected = {o for o in new_keys if new_keys[o] != old_keys.get(o)}
    assert expected, "the edit should change some cache keys"

    before = stamps(build_copy)
    assert build(build_copy, edited, "--quiet") == 0
    rebuilt = _task_outputs(changed(before, stamps(build_copy)), edited)

    assert rebuilt == expected
    # Other surfaces' assets (and the set, which shows the saddle) are untouched; figures that
    # span surfaces per optimizer (e.g. optimizers/sgd_*) may legitimately be rebuilt.
    assert not [o for o in rebuilt if o.startswith(("saddle/", "sets/"))], sorted(rebuilt)
    # the hand-picked setting competes in the tuning, so the tuning is searched again
    assert "cubic/tuned.json" in rebuilt
    for output in ("cubic/seed_metrics.json", "cubic/seed_table.md", "cubic/seed_loss.png",
                   "cubic/seed_3d.gif", "cubic/seed_contour.gif"):
        assert output in rebuilt
    for output in ("cubic/surface.png", "cubic/contour.png"):
        assert output not in rebuilt
    manifest = json.loads((build_copy / ".manifest.json").read_text())
    assert {o: manifest[o]["key"] for o in new_keys} == new_keys
    sgd = json.loads((build_copy / "cubic/seed_metrics.json").read_text())["optimizers"]["sgd"]
    assert sgd["hparams"] == {"lr": 0.02}


def test_changing_a_set_only_rebuilds_the_set(build_copy, tiny_experiments, tmp_path):
    data = copy.deepcopy(TINY)
    data["sets"]["mini"]["colours"]["sgd"] = "#ff00ff"
    edited = write_experiments(tmp_path / "edited.yml", data)
    before = stamps(build_copy)
    assert build(build_copy, edited, "--quiet") == 0
    rebuilt = _task_outputs(changed(before, stamps(build_copy)), edited)
    assert rebuilt and all(o.startswith("sets/mini/") for o in rebuilt), rebuilt


def test_force_rebuilds_everything_selected(build_copy, tiny_experiments):
    before_stamps, before_bytes = stamps(build_copy), digests(build_copy)
    assert build(build_copy, tiny_experiments, "--force", "--only", "cubic", "--quiet") == 0
    rebuilt = _task_outputs(changed(before_stamps, stamps(build_copy)), tiny_experiments)
    assert rebuilt == _task_outputs(outputs(build_copy), tiny_experiments, ("cubic",))
    assert rebuilt and all(o.startswith("cubic/") for o in rebuilt)
    assert digests(build_copy) == before_bytes, "a forced rebuild gives the same bytes"


def test_deleting_an_output_rebuilds_exactly_its_task(build_copy, tiny_experiments):
    tasks = {t.name: t for t in plan(load(tiny_experiments))}
    metrics = next(t for t in tasks.values() if t.kind == "metrics" and t.params["surface"] == "cubic")
    assert len(metrics.outputs) == 2
    victim = metrics.outputs[-1]  # the table: the JSON made by the same task is rewritten too
    (build_copy / victim).unlink()

    before = stamps(build_copy)
    assert build(build_copy, tiny_experiments, "--quiet") == 0
    rebuilt = _task_outputs(changed(before, stamps(build_copy)), tiny_experiments)
    assert rebuilt == set(metrics.outputs)


def test_a_damaged_output_rebuilds_exactly_its_task(build_copy, tiny_experiments):
    """An output whose size no longer matches the manifest is rebuilt."""
    victim = "saddle/seed_contour.gif"
    original = (build_copy / victim).read_bytes()
    (build_copy / victim).write_bytes(original[: len(original) // 2])
    before = stamps(build_copy)
    assert build(build_copy, tiny_experiments, "--quiet") == 0
    # its task is run again: the animation and its still (rewritten with the same bytes)
    assert _task_outputs(changed(before, stamps(build_copy)), tiny_experiments) == {victim, still_of(victim)}
    assert (build_copy / victim).read_bytes() == original


def test_a_corrupt_manifest_is_survived_by_rebuilding(build_copy, tiny_experiments):
    before_bytes = digests(build_copy)
    (build_copy / ".manifest.json").write_text('{"cubic/surface.png": {"key": ', encoding="utf-8")
    before = stamps(build_copy)

    assert build(build_copy, tiny_experiments, "--only", "cubic", "--quiet") == 0

    rebuilt = _task_outputs(changed(before, stamps(build_copy)), tiny_experiments)
    assert rebuilt == _task_outputs(outputs(build_copy), tiny_experiments, ("cubic",))
    manifest = json.loads((build_copy / ".manifest.json").read_text())
    assert set(manifest) == rebuilt
    check_complete(build_copy)
    assert {f: d for f, d in digests(build_copy).items() if f != ".manifest.json"} == \
        {f: d for f, d in before_bytes.items() if f != ".manifest.json"}


def test_manifest_ignores_malformed_entries(tmp_path):
    from build_assets.cache import Manifest

    (tmp_path / "a.png").write_bytes(b"12345")
    for text in ("", "null", "[]", '"text"', "{", '{"a.png": 3}', '{"a.png": {"key": "k"}}',
                 '{"a.png": {"key": 7, "size": 5}}', '{"a.png": {"key": "k", "size": "5"}}'):
        (tmp_path / ".manifest.json").write_text(text)
        manifest = Manifest(tmp_path)
        assert manifest.entries == {}, text
        assert not manifest.is_fresh(("a.png",), "k")
    (tmp_path / ".manifest.json").write_text('{"a.png": {"key": "k", "size": 5}, "b.png": []}')
    manifest = Manifest(tmp_path)
    assert manifest.is_fresh(("a.png",), "k") and not manifest.is_fresh(("a.png",), "other")
    assert not manifest.is_fresh(("b.png",), "k")
