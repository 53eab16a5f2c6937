"""build_assets.atomic: complete file or nothing, never a stray temporary."""

from __future__ import annotations

import os
import stat

import pytest

from build_assets.atomic import atomic_write, write_bytes_atomic, write_text_atomic


def test_writes_complete_file_with_readable_permissions(tmp_path):
    target = tmp_path / "sub" / "dir" / "out.bin"
    write_bytes_atomic(target, b"\x00\x01payload")
    assert target.read_bytes() == b"\x00\x01payload"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.bin"]


def test_text_mode_uses_utf8_and_unix_newlines(tmp_path):
    target = tmp_path / "t.txt"
    write_text_atomic(target, "step — 1\nstep 2\n")
    assert target.read_bytes() == "step — 1\nstep 2\n".encode()


def test_existing_permissions_are_kept(tmp_path):
    target = tmp_path / "keep.txt"
    target.write_text("old")
    os.chmod(target, 0o600)
    write_text_atomic(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


class Boom(Exception):
    pass


def test_exception_mid_write_removes_the_temporary_and_keeps_the_old_file(tmp_path):
    target = tmp_path / "fig.gif"
    target.write_bytes(b"old contents")
    seen = []
    with pytest.raises(Boom):
        with atomic_write(target) as f:
            f.write(b"half of the new")
            seen.extend(p for p in tmp_path.iterdir() if p.name != "fig.gif")
            assert len(seen) == 1 and seen[0].name.endswith(".tmp")  # same directory
            raise Boom
    assert not seen[0].exists()
    assert target.read_bytes() == b"old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["fig.gif"]


def test_exception_mid_write_of_a_new_file_leaves_nothing(tmp_path):
    with pytest.raises(Boom):
        with atomic_write(tmp_path / "new.png", "wb") as f:
            f.write(b"x" * 100_000)
            raise Boom
    assert list(tmp_path.iterdir()) == []


def test_keyboard_interrupt_is_cleaned_up_too(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with atomic_write(tmp_path / "k.txt", "w") as f:
            f.write("partial")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_bad_mode_is_rejected(tmp_path):
    with pytest.raises(ValueError):
        with atomic_write(tmp_path / "x", "ab"):
            pass
    assert list(tmp_path.iterdir()) == []
