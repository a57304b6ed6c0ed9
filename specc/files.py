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


def _open_regular(path: str | os.PathLike) -> tuple[int, os.stat_result]:
    """A descriptor open on a regular file and its fstat; raises Unreadable for anything else.

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
    except ValueError:  # a NUL byte, or text no file name can hold
        raise Unreadable("os-error", "not a valid path") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise Unreadable("directory")
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("special")
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def read_capped(path: str | os.PathLike, limit: int | None = None, *, head: bool = False) -> bytes:
    """The bytes of a regular file: all of them, or with `limit` at most `limit + 1` (one more
    says it grew past the limit), refusing a file fstat already finds over it; with `head=True`,
    its first `limit` bytes whatever its size. Never waits on a FIFO or device (`_open_regular`)."""
    fd, info = _open_regular(path)
    try:
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


def read_first_lines(path: str | os.PathLike, count: int, max_line_bytes: int, max_bytes: int) -> list[str]:
    """The first `count` lines of a text file (as `str.splitlines` splits them), each cut to
    `max_line_bytes`, reading no further than `max_bytes` into it: what an excerpt needs, however
    large the file (a 50 MB spec refused by its size cost 256 MB when it was read whole for one).
    A line longer than `max_line_bytes` is the last one returned."""
    fd, _ = _open_regular(path)
    lines: list[str] = []
    read = 0
    try:
        with os.fdopen(fd, "rb", closefd=False) as stream:
            while len(lines) < count and read < max_bytes:
                piece = stream.readline(max_line_bytes)
                if not piece:
                    break
                read += len(piece)
                text = piece.decode("utf-8-sig" if not lines else "utf-8", errors="replace")  # a BOM starts the file only
                lines.extend(text.splitlines() or [""])
                if not piece.endswith(b"\n"):
                    break  # the end, or a line longer than is kept: where the next line starts is not read
    except OSError as exc:
        raise Unreadable("os-error", exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    return lines[:count]


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


# ---------------------------------------------------------------------------- the project-root rule
#
# Two rules keep specc inside the project, whatever a checkout holds:
# - a path a file names (`extends`, `!file`, `!data-url`, `!base64`, `cassette:`, the catalog and
#   cache settings) must resolve, symlinks followed, to a place inside the project root;
# - a path named on the command line (a spec, a folder, `-o FILE`) is used where it is, but no
#   symlink that lies inside the project may lead out of it (a committed `specs/x.yaml ->
#   ~/.ssh/id_rsa`, `.specc_cache -> /etc`), and the same holds for every file found in a folder.
# Symlinks outside the project (the machine's `/tmp`, `/dev/stdout`) are the machine's business.


def is_inside(path: str, root: str) -> bool:
    """Whether `path` is `root` or lies below it (both absolute and resolved)."""
    return path == root or path.startswith(root if root.endswith(os.sep) else root + os.sep)


# What a file name may be on the systems specc runs on (PATH_MAX and NAME_MAX on Linux and macOS).
MAX_PATH_BYTES = 4096

# The default size limit of a spec, base, !file or media file (`max-file-bytes`). Here, not in
# load.Limits only, so that a cached run learns it without importing the loader.
DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_NAME_BYTES = 255


def path_problem(target: str) -> str | None:
    """Why the text `target`, taken from a spec, cannot name a file at all; None when it can.

    The one check every path written in a spec passes (`extends`, `!file`, `!data-url`, `!base64`,
    `cassette:`) before any system call sees it: the operating system raises ValueError or
    UnicodeEncodeError for these instead of answering."""
    if not target.strip():
        return "an empty path"
    if "\x00" in target:
        return "a NUL byte in the path (no file name holds one)"
    try:
        encoded = os.fsencode(target)
    except UnicodeError:
        return "characters no file name can hold (an unpaired surrogate escape)"
    if len(encoded) > MAX_PATH_BYTES:
        return f"a path of {len(encoded):,} bytes, over the {MAX_PATH_BYTES:,}-byte limit of file systems"
    longest = max(len(part) for part in encoded.split(b"/"))
    if longest > MAX_NAME_BYTES:
        return f"a file name of {longest:,} bytes, over the {MAX_NAME_BYTES}-byte limit of file systems"
    return None


def shown_path(target: str, width: int = 80) -> str:
    """`target` quoted for a message: escapes made visible (NUL, control characters), cut when long."""
    text = repr(target)
    return text if len(text) <= width else text[:width - 4] + "...'"


def resolve_inside(root: Path, base_dir: Path, target: str, what: str, span: Span, code: str) -> Path:
    """Resolve `target` relative to `base_dir`, refusing anything that leads outside `root`.
    Never raises anything but LoadError: a path that cannot be one is a diagnostic at `span` too."""
    problem = outside_reason(target, os.fspath(base_dir), os.fspath(root))
    if problem is not None:
        raise LoadError(core(code, f"{what} {shown_path(target)}{problem}", span))
    from pathlib import Path

    return Path(os.path.realpath(os.path.join(base_dir, target)))


def outside_reason(target: str, base_dir: str, root: str) -> str | None:
    """Why the path `target`, named in a file of `base_dir`, may not be used (None: it resolves inside
    `root`). The reason reads after the path: `'x' leads outside the project root (/p)`."""
    problem = path_problem(target)
    if problem is not None:
        return f": {problem}"
    if "://" in target:
        return ": URLs are not read; use a path inside the project"
    if os.path.isabs(target):
        return ": absolute paths are refused; use a path relative to the spec"
    resolved = os.path.realpath(os.path.join(base_dir, target))  # follows symlinks, so a link pointing out is caught too
    if not is_inside(resolved, root):
        return f" leads outside the project root ({root})"
    return None


def cassette_path_problem(target: str, base_dir: str, root: str) -> str | None:
    """Why `cassette: target` in a spec of `base_dir` cannot be where its recording is kept (None: it
    can). Shared by lint (a diagnostic before anything is sent) and the recorder, so they agree."""
    problem = outside_reason(target, base_dir, root)
    if problem is not None:
        return problem.removeprefix(": ").replace("are not read", "are not cassettes")
    if target.endswith(("/", os.sep)) or os.path.isdir(os.path.join(base_dir, target)):
        return "names a folder; name the cassette file (such as `cassettes/capital.yaml`)"
    return None


def dependency_path(base_dir: str, target: str) -> str:
    """The path a cache watches for a file `target` named relative to the real folder `base_dir`: as
    named, not resolved, so that stat follows its symlinks and sees a link retargeted. Leading `..`
    are taken off `base_dir` (exact, as it holds no links) so that specs of many folders naming
    one base watch it under one name."""
    parts = target.replace("\\", "/").split("/") if os.sep == "\\" else target.split("/")
    folder = base_dir
    while parts and parts[0] in (".", "..", ""):
        if parts.pop(0) == "..":
            folder = os.path.dirname(folder)
    return os.path.join(folder, *parts) if parts else folder


class EscapingLink(Exception):
    """A symlink inside the project leads out of it: `link` (as found) points to `real`, outside `root`."""

    def __init__(self, link: str, real: str, root: str):
        super().__init__(f"{link} is a symlink to {real}, outside the project root ({root})")
        self.link, self.real, self.root = link, real, root
        self.last = False  # the path's own last component is the link (not a folder on its way)


class LinkGuard:
    """The command-line rule for many paths of one run: `check(path)` raises EscapingLink when a
    symlink inside `root` on the way to `path` leads out of it. Each folder is walked once (its
    real path remembered), so checking a file costs one lstat, and a file found by `os.scandir`
    none unless the scan says it is a link (`check_entry`)."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._folders: dict[str, str] = {}  # folder as named -> its real path (escapes raise, not kept)

    def check(self, path: str) -> str:
        """The real path of `path` (following its links); raises EscapingLink."""
        folder, name = os.path.split(path)
        real_folder = self.folder(folder or os.curdir)
        if name in ("", ".", ".."):
            return self.folder(path)
        try:
            return self._step(real_folder, name)
        except EscapingLink as escape:
            escape.last = True
            raise

    def folder(self, folder: str) -> str:
        """The real path of a folder on the way to the files checked; raises EscapingLink."""
        known = self._folders.get(folder)
        if known is None:
            known = self._folders[folder] = self._resolve(folder)
        return known

    def check_entry(self, real_folder: str, entry: os.DirEntry) -> None:
        """A file `os.scandir` found in the folder whose real path is `real_folder`; raises EscapingLink."""
        try:
            is_link = entry.is_symlink()
        except OSError:
            return
        if is_link:
            try:
                self._link(real_folder, entry.path, os.path.join(real_folder, entry.name))
            except EscapingLink as escape:
                escape.last = True
                raise

    def _resolve(self, path: str) -> str:
        """`os.path.realpath`, one component at a time, checking every link met on the way."""
        path = os.path.join(os.getcwd(), path)  # absolute; `..` stays, to be taken physically
        drive, rest = os.path.splitdrive(path)
        current = drive + os.sep
        parts = [part for part in rest.replace(os.altsep or os.sep, os.sep).split(os.sep) if part]
        for part in parts:
            if part == ".":
                continue
            if part == "..":
                current = os.path.dirname(current)
                continue
            current = self._step(current, part)
        return current

    def _step(self, real_folder: str, name: str) -> str:
        candidate = os.path.join(real_folder, name)
        try:
            is_link = stat.S_ISLNK(os.lstat(candidate).st_mode)
        except (OSError, ValueError):  # missing (a new output file) or unreadable: nothing further to follow
            return candidate
        if not is_link:
            return candidate
        return self._link(real_folder, candidate, candidate)

    def _link(self, real_folder: str, shown: str, candidate: str) -> str:
        real = os.path.realpath(candidate)
        if is_inside(real_folder, self.root) and not is_inside(real, self.root):
            raise EscapingLink(shown, real, self.root)
        return real


def not_read(display: str, escape: EscapingLink) -> Diagnostic:
    """The diagnostic for a spec that is not read because a symlink leads it out of the project."""
    why = (f"it is a symlink to {escape.real}, outside the project root ({escape.root})" if escape.last
           else str(escape))
    return core("E001", f"{display} is not read: {why}", Span.whole_file(display))


def escaping_link(path: str, root: str) -> EscapingLink | None:
    """The EscapingLink on the way to `path` (one path: see LinkGuard for many), or None."""
    try:
        LinkGuard(root).check(path)
    except EscapingLink as escape:
        return escape
    return None


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
