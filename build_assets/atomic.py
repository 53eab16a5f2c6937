"""Atomic file writes.

A file written through this module is either absent/unchanged or complete: the
data goes to a temporary file in the destination directory, is flushed and
fsync'ed, and then ``os.replace``d over the destination (atomic on POSIX and
Windows when source and destination are on the same file system, which the
same directory guarantees).  If anything raises before the replace, the
temporary file is removed and the destination is left untouched.

Temporary names start with ``.`` and end with ``.tmp`` (ignored by git).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["atomic_write", "write_bytes_atomic", "write_text_atomic"]

#: Permissions of newly created files (the temporary file is created 0600).
DEFAULT_MODE = 0o644


def _fsync_dir(directory: Path) -> None:
    """Best effort: persist the directory entry of the renamed file."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # e.g. Windows, or no permission to open directories
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str], mode: str = "wb", *, encoding: str | None = None
) -> Iterator[IO]:
    """Context manager yielding a file object whose contents replace ``path``
    atomically when the ``with`` block exits without an exception.

    ``mode`` is ``"wb"`` (default) or ``"w"`` (text; ``encoding`` defaults to
    UTF-8 and newlines are written as ``\\n``).  Parent directories are created.
    An existing destination keeps its permission bits; a new file gets 0644.
    On any exception (including KeyboardInterrupt) the temporary file is
    deleted and the exception propagates.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"mode must be 'wb' or 'w', not {mode!r}")
    dest = Path(path)
    directory = dest.parent
    directory.mkdir(parents=True, exist_ok=True)
    try:
        final_mode = dest.stat().st_mode & 0o7777
    except FileNotFoundError:
        final_mode = DEFAULT_MODE

    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{dest.name}.", suffix=".tmp", dir=directory
    )
    tmp = Path(tmp_name)
    try:
        if mode == "wb":
            f = os.fdopen(fd, "wb")
        else:
            f = os.fdopen(fd, "w", encoding=encoding or "utf-8", newline="\n")
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, final_mode)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(directory)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Atomically replace ``path`` with ``data``."""
    with atomic_write(path, "wb") as f:
        f.write(data)


def write_text_atomic(
    path: str | os.PathLike[str], text: str, encoding: str = "utf-8"
) -> None:
    """Atomically replace ``path`` with ``text`` (``\\n`` line endings)."""
    with atomic_write(path, "w", encoding=encoding) as f:
        f.write(text)
