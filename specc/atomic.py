"""Atomic file writes: a temporary file in the same folder, fsync, then rename over the target.

A crash or Ctrl-C at any moment leaves either the old file or the new one, never half of either.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_bytes_atomic(path: str | os.PathLike, data: bytes, durable: bool = True) -> None:
    """Replace `path` with `data` atomically. `durable=False` skips the fsync, for a cache: a crash
    may then lose the new file (readers see an old, empty or unreadable one), never half-write it
    for a reader running at the same time."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        # mkstemp creates 0600; keep the old file's mode, or the usual 0644 for a new one
        os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_text_atomic(path: str | os.PathLike, text: str, durable: bool = True) -> None:
    write_bytes_atomic(path, text.encode("utf-8"), durable)
