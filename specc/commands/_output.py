"""`-o FILE` for every command: `-` is stdout; anything else must be a regular file or a new path.

Checked before any work is done (`check_output`) and again when written (`write_output`), so a
refused target costs nothing and ends in one line and exit 2, never an internal error.
"""

from __future__ import annotations

import os

from ..cli import UsageError

STDOUT = "-"
# Names of the standard output itself: written to as stdout, never replaced by a rename.
STDOUT_ALIASES = ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


def is_stdout(path: str | None) -> bool:
    """Whether an `-o` value means the standard output (None: no -o)."""
    return path is None or path == STDOUT or path in STDOUT_ALIASES


def check_output(path: str | None, root: str | None = None) -> None:
    """Raise UsageError when `path` (an `-o` value; None or `-` for stdout) cannot be written:
    a directory, a device, FIFO or socket, a hard-linked file, or a symlink in the project leading
    out of it (`root`: the project root, default the cwd's)."""
    if path is None or is_stdout(path):
        return
    from ..atomic import UnsafeTarget, writable_target
    from ..files import escaping_link, project_root_of

    try:
        writable_target(path)
    except UnsafeTarget as exc:
        raise UsageError(f"cannot write the output: {exc}{_hint(path)}") from None
    escape = escaping_link(path, root or project_root_of(os.getcwd()))
    if escape is not None:
        raise UsageError(f"cannot write the output: {escape}")


def write_output(path: str, text: str, root: str | None = None) -> None:
    """Write `text` to the `-o` file `path` atomically; UsageError (exit 2) when it cannot be written."""
    check_output(path, root)
    from ..atomic import write_text_atomic

    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise UsageError(f"cannot write the output to {path}: {exc.strerror or exc}") from None


def _hint(path: str) -> str:
    return "; use `-o -` (or no -o) for stdout" if path.startswith(("/dev/", "/proc/")) else ""
