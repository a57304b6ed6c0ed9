"""The lint result cache in `.specc_cache/`, keyed by file content, config, rule set and schema.

Like git's index, a file's content digest is trusted while its stat signature
(mtime, size, inode) is unchanged, so an unchanged tree is checked without reading
it; a changed signature re-reads and re-hashes the file, and only a changed digest
means re-linting. Everything that can change a result besides the files it read
(specc's version and code, the config, the schema files, the catalog, the vars) goes
into the run key, which names the cache file: different configurations never see
each other's entries. A result that reads the environment (`{{ env.NAME }}`) is
never cached.

The signatures and digests are taken by the worker that checked the file, right
after the check (`snapshot`), so the parent never reads a file twice. A file modified
at about the time it was checked may have changed while it was read, or may change
again without its signature changing (timestamps have a granularity): its result is
not cached, and the next run checks it again, as git does with "racily clean" entries.

This module is on the fast path of a cached re-run and imports nothing heavy: the
cache file is JSON (safe to load from an untrusted file), entries stay as JSON
decoded them until a file asks for its own, and hashlib is imported only to hash.
Writes are atomic (temporary file + rename), so concurrent runs are safe: the last
writer wins and every reader sees a whole file. A cache file or entry that cannot be
read is ignored, never an error.
"""

from __future__ import annotations

import gc
import json
import os
import stat
import zlib

from .diagnostics import Diagnostic, Severity, Span
from .files import Unreadable, read_capped

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, Sequence

CACHE_DIR = ".specc_cache"
FORMAT = 2

# A stat signature: [mtime_ns, size, inode], a list as JSON stores it. Cheap to take, changes whenever the file does.
Signature = list
# What a worker learnt of the files one result was computed from: the file's own signature and
# digest, and a [path, signature, digest] for each other file it read (None for a missing one).
Snapshot = tuple
# A diagnostic as cached: [code, rule, severity, message, path, line, column, end_line, end_column].
CachedDiagnostic = list

# `{{ env.NAME }}`: a result that reads the environment can differ between runs of the same files.
ENV_PLACEHOLDER = rb"\{\{\s*env\."
# A file modified this close to (or after) the start of its check may have changed as it was read.
RACY_NS = 10_000_000  # a coarse kernel clock tick, at most
RACY_COARSE_NS = 2_000_000_000  # on file systems that keep whole seconds (FAT keeps two)


def signature(path: str) -> Signature | None:
    try:
        return _signature_of(os.stat(path))
    except (OSError, ValueError):
        return None


def _signature_of(info: os.stat_result) -> Signature:
    return [info.st_mtime_ns, info.st_size, info.st_ino]


def read_bytes(path: str) -> bytes | None:
    """The bytes of a regular file (never a FIFO or device, whose read could block), or None."""
    try:
        return read_capped(path)
    except (Unreadable, ValueError):
        return None


# As much of a file as tells whether it is a spec (load.SPEC_HEAD_BYTES; this layer cannot import it).
HEAD_BYTES = 256 * 1024


def _read_for_digest(path: str, max_file_bytes: int | None) -> tuple[bytes | None, str | None]:
    """(the bytes to hash, None), or (None, the digest itself) for a file over `max_file_bytes`.

    A file over the limit is refused by its size before anything reads it, so its result depends
    only on its size and on the head that tells whether it is a spec: only those are read, never
    the rest (a 2 GB file cost 4.2 GB of memory when it was hashed whole)."""
    try:
        return read_capped(path, max_file_bytes), None
    except Unreadable as exc:
        if exc.kind != "too-big":
            return None, None
        try:
            head = read_capped(path, HEAD_BYTES, head=True)
        except (Unreadable, ValueError):
            return None, None
        return None, f"over {max_file_bytes}: {exc.size} bytes, head {digest(head)}"
    except ValueError:
        return None, None


def digest(data: bytes) -> str:
    import hashlib  # loads OpenSSL: only when a file is really hashed, never on a cached re-run

    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_file(path: str, max_file_bytes: int | None = None) -> str | None:
    """The digest of a file's content (of its size and head only, when over `max_file_bytes`), or None."""
    data, over = _read_for_digest(path, max_file_bytes)
    if over is not None:
        return over
    return None if data is None else digest(data)


def _recent(mtime_ns: int, since_ns: int) -> bool:
    """Whether a file with this mtime may have been modified at or after `since_ns` (racily clean, in git's words)."""
    granularity = RACY_COARSE_NS if mtime_ns % 1_000_000_000 == 0 else RACY_NS
    return mtime_ns >= since_ns - granularity


def snapshot(path: str, files: Iterable[str], checked_since_ns: int, max_file_bytes: int | None = None) -> Snapshot | None:
    """The signatures and digests the cache keeps for the result of checking `path`, or None when
    the result must not be cached (a file unreadable, reading the environment, or modified about the
    time the check began). `files` are the files the check read (resolved paths: the spec itself
    among them, its bases and includes); call this right after the check, in the process that ran it.
    `max_file_bytes`: the limit the check read files under; no more of a file is read here.
    """
    try:
        own = os.stat(path)
    except (OSError, ValueError):
        return None
    own_state = _trusted_state(path, own, checked_since_ns, max_file_bytes)
    if own_state is None:
        return None
    deps: list[list[Any]] = []
    for dep in dict.fromkeys(files):  # in order, each once
        try:
            info = os.stat(dep)
        except (OSError, ValueError):
            deps.append([dep, None, None])  # a missing base or include: its appearing changes the result
            continue
        if info.st_ino == own.st_ino and info.st_dev == own.st_dev:
            continue  # the spec itself, under its resolved name: recorded once, stat-ed once per run
        dep_state = _trusted_state(dep, info, checked_since_ns, max_file_bytes)
        if dep_state is None:
            return None
        deps.append([dep, *dep_state])
    return (*own_state, deps)


def _trusted_state(path: str, info: os.stat_result, checked_since_ns: int,
                   max_file_bytes: int | None) -> tuple[Signature, str] | None:
    """The signature (from `info`, a stat taken before the file is read here) and the digest of a
    file, or None when the cache may not trust them to describe what the check read.

    The signature comes first and is compared with the file's once it has been read, so the
    digest is never paired with an older signature. A file modified about the time its check began is not trusted: the
    check may have read an older content than the one hashed here, or a second edit within the
    same timestamp tick could leave the signature unchanged.
    """
    import re

    if not stat.S_ISREG(info.st_mode) or _recent(info.st_mtime_ns, checked_since_ns):
        return None
    data, over = _read_for_digest(path, max_file_bytes)
    sig = _signature_of(info)
    if over is not None:  # refused by its size: nothing in it was read, the environment included
        return (sig, over) if signature(path) == sig else None
    if data is None or signature(path) != sig or re.search(ENV_PLACEHOLDER, data):
        return None  # unreadable, changed while being read, or reads the environment
    return sig, digest(data)


def diagnostic_rows(diagnostics: Sequence[Diagnostic]) -> list[CachedDiagnostic]:
    return [[d.code, d.rule, d.severity.value, d.message, d.span.path, d.span.line, d.span.column,
             d.span.end_line, d.span.end_column] for d in diagnostics]


def diagnostics_from_rows(rows: Sequence[Sequence]) -> list[Diagnostic]:
    return [Diagnostic(code, rule, Severity(severity), message, Span(path, line, column, end_line, end_column))
            for code, rule, severity, message, path, line, column, end_line, end_column in rows]


def place_problem(root: str, cache_file: str) -> str | None:
    """Why the cache file `cache_file` of the project `root` may be neither read nor written (None:
    it may): its folder or itself is a symlink leading out of the project (a committed
    `.specc_cache -> /etc` would have specc write there), or the folder is not a folder."""
    from .files import is_inside

    real_root = os.path.realpath(root)
    folder = os.path.dirname(cache_file)
    for path in (folder, cache_file):
        if os.path.islink(path):
            real = os.path.realpath(path)
            if not is_inside(real, real_root):
                return f"{path} is a symlink to {real}, outside the project root ({real_root})"
    if os.path.lexists(folder) and not os.path.isdir(folder):
        return f"{folder} is not a folder"
    return None


class Entry:
    """What the cache answers for one unchanged file."""

    __slots__ = ("is_spec", "diagnostics", "deps")

    def __init__(self, is_spec: bool, diagnostics: list[Diagnostic], deps: list[str] | None = None) -> None:
        self.is_spec = is_spec
        self.diagnostics = diagnostics
        self.deps = deps or []  # the other files the result was computed from (bases, includes), as watched


class LintCache:
    """Entries for one run key; `get` validates an entry against the file system.

    An entry is stored as `[signature, digest, is_spec, deps, diagnostic rows]`, the
    way the JSON file holds it, and only decoded when `get` finds it still valid.
    """

    def __init__(self, path: str, key: str, entries: dict[str, list] | None = None,
                 run_notes: list | None = None, disabled: str | None = None, max_file_bytes: int | None = None) -> None:
        self.path = path  # the cache file
        self.max_file_bytes = max_file_bytes  # the run's file limit: no more of a file is read to re-hash it
        self.disabled = disabled  # why the cache is neither read nor written (see `place_problem`), or None
        self.key = key  # the run key's text, kept in the file (its name is only a checksum of it)
        self.entries: dict[str, list] = entries if entries is not None else {}
        self.run_notes = run_notes  # [date, notes] said once per run, e.g. about the catalog
        self.dirty = False
        self._checked: dict[str, Entry | None] = {}  # `get` answers, per run
        self._signatures: dict[str, Signature | None] = {}  # of the bases and includes, stat-ed once per run

    @classmethod
    def open(cls, root: str | os.PathLike, key_parts: Any, max_file_bytes: int | None = None) -> LintCache:
        """The cache of `root` for the run described by `key_parts` (any JSON-able value), whose
        files are read under `max_file_bytes` (the limit is part of `key_parts` when configured)."""
        key = json.dumps(key_parts, sort_keys=True, default=str)
        path = os.path.join(root, CACHE_DIR, f"lint-{zlib.crc32(key.encode()):08x}.json")
        problem = place_problem(os.fspath(root), path)
        if problem is not None:
            return cls(path, key, disabled=problem, max_file_bytes=max_file_bytes)
        try:
            raw = _decode(read_capped(path))  # never a plain open(): a FIFO there would block the run
            if raw["format"] != FORMAT or raw["key"] != key or not isinstance(raw["entries"], dict):
                return cls(path, key, max_file_bytes=max_file_bytes)
            notes = raw.get("notes")
            if not (isinstance(notes, list) and len(notes) == 2 and isinstance(notes[1], list)):
                notes = None
            return cls(path, key, raw["entries"], notes, max_file_bytes=max_file_bytes)
        except (Unreadable, OSError, ValueError, KeyError, TypeError, RecursionError):
            return cls(path, key, max_file_bytes=max_file_bytes)  # missing or unreadable (a FIFO, a device, a folder): start afresh

    def get(self, path: str) -> Entry | None:
        """The entry for `path` if neither it nor anything it read has changed (checked once per run)."""
        if path not in self._checked:
            self._checked[path] = self._validate(path)
        return self._checked[path]

    def _validate(self, path: str) -> Entry | None:
        stored = self.entries.get(path)
        if stored is None:
            return None
        try:
            own_signature, _, is_spec, deps, rows = stored
            current = signature(path)
            if current != own_signature and not self._same_content(path, stored, 0, current):
                return None
            for dep in deps:  # [path, signature, digest]
                dep_path = dep[0]
                if dep_path not in self._signatures:  # a base many specs extend is stat-ed once
                    self._signatures[dep_path] = signature(dep_path)
                current = self._signatures[dep_path]
                if current != dep[1] and not self._same_content(dep_path, dep, 1, current):
                    return None
            return Entry(is_spec is True, diagnostics_from_rows(rows) if rows else [], [dep[0] for dep in deps])
        except (TypeError, ValueError, IndexError):  # a damaged entry: check the file again
            return None

    def _same_content(self, path: str, record: list, at: int, current: Signature | None) -> bool:
        """Whether a file whose signature changed from `record[at]` to `current` still has the
        digest `record[at + 1]` (touched, not changed); if so the new signature is remembered."""
        if current is None or record[at] is None or digest_file(path, self.max_file_bytes) != record[at + 1]:
            return False
        record[at] = current
        self.dirty = True
        return True

    def notes(self) -> list[str] | None:
        """The run's notes as of today, or None when they were not computed today."""
        if self.run_notes and self.run_notes[0] == _today():
            return list(self.run_notes[1])
        return None

    def set_notes(self, notes: list[str]) -> None:
        today = [_today(), list(notes)]
        if today != self.run_notes:
            self.run_notes, self.dirty = today, True

    def put(self, path: str, is_spec: bool, snapshot: Snapshot | None, diagnostics: Sequence[Diagnostic]) -> None:
        """Remember the result for `path` from its `snapshot` (None: the result is not cacheable)."""
        if snapshot is None:
            return
        own_signature, own_digest, deps = snapshot
        self.entries[path] = [own_signature, own_digest, is_spec, deps, diagnostic_rows(diagnostics)]
        self._checked[path] = Entry(is_spec, list(diagnostics), [dep[0] for dep in deps])
        self.dirty = True

    def save(self) -> None:
        """Write atomically; a failure to write the cache never fails the run."""
        if not self.dirty or self.disabled is not None:
            return
        data = {"format": FORMAT, "key": self.key, "notes": self.run_notes, "entries": dict(sorted(self.entries.items()))}
        try:
            from .atomic import write_text_atomic

            folder = os.path.dirname(self.path)
            if not os.path.isdir(folder):
                os.makedirs(folder, exist_ok=True)
                # Keep the cache out of version control without asking the user to.
                with open(os.path.join(folder, ".gitignore"), "w") as handle:
                    handle.write("# created by specc\n*\n")
                with open(os.path.join(folder, "CACHEDIR.TAG"), "w") as handle:
                    handle.write("Signature: 8a477f597d28d172789f06886806bc55\n"
                                 "# This file is a cache directory tag created by specc.\n")
            from .secrets import scrub

            # The cache is an output channel like any other: it goes through the redactor too.
            write_text_atomic(self.path, scrub(json.dumps(data, separators=(",", ":"))), durable=False)  # lost, never torn
        except OSError:
            pass


SALT_FILE = "salt"


def salted_digest(root: str | os.PathLike, value: str) -> str:
    """A digest of `value` salted with the cache folder's own random salt: command-line values are
    secrets until proven otherwise, so the cache keys them by this and never holds them raw.

    The salt is made once per cache folder, atomically (the first writer wins, every reader sees
    the whole salt); when it cannot be read or made, a fresh random one is used for this run
    (the cache then simply misses)."""
    import hashlib
    import secrets

    folder = os.path.join(root, CACHE_DIR)
    salt = _read_salt(os.path.join(folder, SALT_FILE))
    if salt is None:
        fresh = secrets.token_hex(32)
        try:
            os.makedirs(folder, exist_ok=True)
            _create_once(os.path.join(folder, SALT_FILE), fresh)
        except OSError:
            pass
        salt = _read_salt(os.path.join(folder, SALT_FILE)) or fresh
    return hashlib.sha256(f"{salt}\0{value}".encode("utf-8", "surrogatepass")).hexdigest()


def _create_once(path: str, text: str) -> None:
    """Write a whole file at `path` unless one exists: a temporary file hard-linked into place (never replaced)."""
    import tempfile

    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".salt-")
    try:
        with os.fdopen(handle, "w") as out:
            out.write(text)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another run made it first: its salt is the one
    finally:
        os.unlink(temporary)


def _read_salt(path: str) -> str | None:
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            text = handle.read(256).decode("ascii").strip()
    except (OSError, UnicodeError):
        return None
    return text if len(text) >= 32 else None


class PausedGC:
    """`with PausedGC():` pauses the cyclic garbage collector (if it runs) for a block that builds
    only acyclic data, such as a decoded cache or the cache's answers for a whole tree: the tens of
    collections its allocations would trigger can find nothing to free (reference counting does)."""

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc_info: object) -> None:
        if self.was_enabled:
            gc.enable()


def _decode(data: bytes) -> Any:
    with PausedGC():
        return json.loads(data)


def _today() -> str:
    import time

    return time.strftime("%Y-%m-%d")  # the local date, as datetime.date.today().isoformat() gives it
