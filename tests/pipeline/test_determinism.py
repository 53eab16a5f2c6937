"""Two clean builds in different directories (different processes, job counts and
relative/absolute output paths) give byte-identical files, all of them."""
from __future__ import annotations

from .helpers import digests, files, run_cli, skip_if_sources_changed


def test_two_clean_builds_are_byte_identical(tiny_build, tiny_experiments, tmp_path):
    # The session build ran in-process with 2 workers; this one is sequential, in a fresh
    # process, with a relative output directory.
    result = run_cli("--experiments", str(tiny_experiments), "--out", "again", "--jobs", "1", "--quiet",
                     cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr
    again = tmp_path / "again"

    skip_if_sources_changed(tiny_build)
    assert files(again) == files(tiny_build)
    first, second = digests(tiny_build), digests(again)
    differing = sorted(f for f in first if first[f] != second[f])
    assert differing == [], f"differ between two clean builds: {differing}"
    kinds = {name.rsplit(".", 1)[-1] for name in files(again)}
    assert {"gif", "png", "json", "md"} <= kinds
