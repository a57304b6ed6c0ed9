"""Atomic file writes: a temporary file in the same folder, fsync, then rename over the target.

A crash or Ctrl-C at any moment leaves either the old file or the new one, never half of either.
Only a regular file (or a new path) is ever replaced: a rename would put a plain file in place of
a device node, a FIFO or a socket (`-o /dev/full` as root), so those are refused, as are
folders. A symlink is written through to the file it names (the link stays a link), and a file
with other hard links is refused: renaming a new inode over one of its names would leave the
others holding the old text, and writing the inode in place could leave it half written.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


# Kernel file systems: what looks like a file there is an interface (a device, a process's state).
SYSTEM_FOLDERS = ("/dev", "/proc", "/sys") if os.name == "posix" else ()


class UnsafeTarget(OSError):
    """A path specc refuses to write: `reason` says why, readable after the path."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path} {reason}")
        self.path, self.reason = path, reason


def writable_target(path: str | os.PathLike) -> str:
    """The real path a write to `path` replaces (symlinks followed); raises UnsafeTarget when it is
    not a regular file or a new path, or is a regular file with other hard links."""
    shown = os.fspath(path)
    if not shown:
        raise UnsafeTarget("''", "is not a file name")
    if "\x00" in shown:
        raise UnsafeTarget(repr(shown), "holds a NUL byte")
    real = os.path.realpath(shown)
    for folder in SYSTEM_FOLDERS:
        if any(p == folder or p.startswith(folder + "/") for p in (os.path.abspath(shown), real)):
            raise UnsafeTarget(shown, f"is under {folder}, a system folder: not a file specc replaces")
    try:
        info = os.stat(real)
    except FileNotFoundError:
        return real  # a new file (a dangling link is created where it points)
    except OSError as exc:
        raise UnsafeTarget(shown, f"cannot be written: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise UnsafeTarget(shown, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeTarget(shown, "is not a regular file (a device, FIFO or socket): refusing to replace it")
    if info.st_nlink > 1:
        raise UnsafeTarget(shown, f"has {info.st_nlink} hard links: replacing it would leave the other "
                                  "links with the old text (break the link, e.g. `cp f tmp && mv tmp f`)")
    return real


def write_bytes_atomic(path: str | os.PathLike, data: bytes, durable: bool = True) -> None:
    """Replace `path` with `data` atomically. `durable=False` skips the fsync, for a cache: a crash
    may then lose the new file (readers see an old, empty or unreadable one), never half-write it
    for a reader running at the same time. Raises UnsafeTarget (an OSError) for a path that is not
    a regular file or a new path (see `writable_target`)."""
    target = Path(writable_target(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        # mkstemp creates 0600; keep the old file's mode, or the usual 0644 for a new one
        try:
            mode = os.stat(target).st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_text_atomic(path: str | os.PathLike, text: str, durable: bool = True) -> None:
    write_bytes_atomic(path, text.encode("utf-8"), durable)
