"""The files a spec pulls in: read safely, confined to the project, named well in diagnostics.

Every function raises `LoadError` (a positioned diagnostic) for bad input, never an OSError.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from .diagnostics import Diagnostic, Span, core

TYPE_CHECKING = False
if TYPE_CHECKING:  # pathlib is imported where a Path is made: a cached lint run needs none
    from pathlib import Path
    from typing import Any, Iterator


class LoadError(Exception):
    """Internal: aborts the walk of one file with a positioned diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def find_project_root(start: Path) -> Path:
    """The nearest folder upward from `start` holding `pyproject.toml` or `.git`, else the cwd (resolved)."""
    from pathlib import Path

    return Path(project_root_of(os.fspath(start)))


def project_root_of(start: str) -> str:
    """`find_project_root` on plain strings."""
    for folder in folders_upward(start):
        if os.path.exists(os.path.join(folder, "pyproject.toml")) or os.path.exists(os.path.join(folder, ".git")):
            return folder
    return os.path.realpath(os.getcwd())


def folders_upward(start: str) -> Iterator[str]:
    """The folder `start` (resolved; a file's own folder for a file), then each parent up to the root."""
    folder = os.path.realpath(start)
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    while True:
        yield folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent


class Unreadable(Exception):
    """Why `read_capped` refused a file: `kind` is missing, directory, special, too-big or os-error."""

    def __init__(self, kind: str, detail: str = "", size: int = 0):
        super().__init__(kind)
        self.kind, self.detail, self.size = kind, detail, size


def read_capped(path: str | os.PathLike, limit: int | None = None, *, head: bool = False) -> bytes:
    """The bytes of a regular file: all of them, or with `limit` at most `limit + 1` (one more
    says it grew past the limit), refusing a file fstat already finds over it; with `head=True`,
    its first `limit` bytes whatever its size.

    Opened non-blocking and checked with fstat on the open descriptor, so a FIFO or a device
    (even one swapped in for the file a moment before) is refused rather than waited on."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise Unreadable("missing") from None
    except IsADirectoryError:
        raise Unreadable("directory") from None
    except OSError as exc:
        raise Unreadable("os-error", exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise Unreadable("directory")
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("special")
        if limit is None:
            return _read_up_to(fd, sys.maxsize, info.st_size)
        if head:
            return _read_up_to(fd, limit, min(info.st_size, limit))
        if info.st_size > limit:
            raise Unreadable("too-big", size=info.st_size)
        return _read_up_to(fd, limit + 1, info.st_size)
    except OSError as exc:
        raise Unreadable("os-error", exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def read_text(path: Path, display: str, limits: Any, code: str = "E001", span: Span | None = None,
              data: bytes | None = None) -> str:
    """Read a UTF-8 text file, refusing devices, FIFOs, huge and binary files with one diagnostic.

    `data` stands for the file's bytes when they come from elsewhere (an editor's unsaved
    buffer): checked the same way, so the editor and `specc lint` say the same."""
    where = span or Span.whole_file(display)
    limit = limits.max_file_bytes
    try:
        if data is not None and len(data) > limit:
            raise Unreadable("too-big", size=len(data))
        raw = read_capped(path, limit) if data is None else data
    except Unreadable as problem:
        messages = {
            "missing": f"file not found: {display}",
            "directory": f"{display} is a directory, not a file",
            "special": f"refusing to read {display}: not a regular file (device, FIFO or socket)",
            "too-big": f"{display} is {problem.size:,} bytes, over the {limit:,}-byte limit",
            "os-error": f"cannot read {display}: {problem.detail}",
        }
        raise LoadError(core("E007" if problem.kind == "too-big" else code, messages[problem.kind], where)) from None
    if len(raw) > limit:  # it grew since fstat
        raise LoadError(core("E007", f"{display} is over the {limit:,}-byte limit", where))
    if b"\x00" in raw:
        raise LoadError(core(code, f"{display} is a binary file, not YAML text", where))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return_span = span or Span(display, line, 1, line, 1)
        raise LoadError(core(code, f"{display} is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})", return_span)) from None


def _read_up_to(fd: int, limit: int, size_hint: int) -> bytes:
    """At most `limit` bytes of `fd`, read in chunks of fstat's size (the file may still grow)."""
    chunks: list[bytes] = []
    total, want = 0, size_hint + 1
    while total < limit:
        chunk = os.read(fd, min(want, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = 1 << 16
    return b"".join(chunks)


def resolve_inside(root: Path, base_dir: Path, target: str, what: str, span: Span, code: str) -> Path:
    """Resolve `target` relative to `base_dir`, refusing anything that leads outside `root`."""
    if "://" in target:
        raise LoadError(core(code, f"{what} {target!r}: URLs are not read; use a path inside the project", span))
    if os.path.isabs(target):
        raise LoadError(core(code, f"{what} {target!r}: absolute paths are refused; use a path relative to the spec", span))
    resolved = (base_dir / target).resolve()  # follows symlinks, so a link pointing out is caught too
    try:
        resolved.relative_to(root)
    except ValueError:
        raise LoadError(core(code, f"{what} {target!r} leads outside the project root ({root})", span)) from None
    return resolved


# JSON writes a character outside the BMP as a pair of escapes (`\ud83d\ude00`, Python's default);
# YAML, whose double-quoted strings otherwise read JSON's escapes, refuses surrogates.
_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")


def join_surrogate_escapes(text: str) -> str:
    """Rewrite JSON surrogate-pair escapes as YAML's `\\UXXXXXXXX`, so a JSON body is a valid spec.

    Only applied to JSON-style documents (they start with `{`), where every backslash sits in a
    double-quoted string. Columns after such an escape on its line shift left by two.
    """
    def join(match: re.Match) -> str:
        high, low = int(match.group(2), 16), int(match.group(3), 16)
        code_point = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        return f"{match.group(1)}\\U{code_point:08X}"

    return _SURROGATE_PAIR.sub(join, text)


def char_at(text: str, mark: Any) -> str:
    """The character a parser mark points at (empty past the end)."""
    lines = text.splitlines()
    return lines[mark.line][mark.column:mark.column + 1] if mark.line < len(lines) else ""


def mark_position(text: str, line: int, column: int) -> tuple[int, int]:
    """1-based position of a parser mark; one at the end of the input (an unclosed bracket)
    moves back to just after the last written character, so the excerpt shows that line."""
    lines = text.splitlines()
    if line < len(lines):
        return line + 1, column + 1
    for number in range(len(lines), 0, -1):
        if lines[number - 1].strip():
            return number, len(lines[number - 1].rstrip()) + 1
    return 1, 1


def relative_to_root(path: Path, root: Path) -> str:
    """`path` relative to the project root, for messages that name files of one project."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def display_path(path: Path, parent_display: str) -> str:
    """How a base spec is named in diagnostics: like the spec naming it, relative to the
    current directory (so `../bases/x.yaml` too) unless that one was given as an absolute path."""
    if os.path.isabs(parent_display):
        return path.as_posix()
    from pathlib import Path

    try:
        return Path(os.path.relpath(path, Path.cwd())).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()
