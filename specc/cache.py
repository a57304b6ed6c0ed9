"""The lint result cache in `.specc_cache/`, keyed by file content, config, rule set and schema.

Like git's index, a file's content digest is trusted while its stat signature
(mtime, size, inode) is unchanged, so an unchanged tree is checked without reading
it; a changed signature re-reads and re-hashes the file, and only a changed digest
means re-linting. Everything that can change a result besides the file itself
(specc's version, the config file, the rule modules, the schema files, the vars
and the environment variables the specs read) goes into the run key, which names
the cache file: different configurations never see each other's entries.

This module is on the fast path of a cached re-run and imports nothing heavy.
Writes are atomic (temporary file + rename), so concurrent runs are safe: the last
writer wins and every reader sees a whole file. A cache file that cannot be read is
ignored, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

CACHE_DIR = ".specc_cache"
FORMAT = 1

# A stat signature: (mtime_ns, size, inode). Cheap to take, changes whenever the file does.
Signature = tuple[int, int, int]
# A diagnostic as cached: (code, rule, severity, message, path, line, column, end_line, end_column).
CachedDiagnostic = tuple


def signature(path: str) -> Signature | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def read_bytes(path: str) -> bytes | None:
    """The bytes of a regular file (never a FIFO or device, whose read could block), or None."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_file(path: str) -> str | None:
    data = read_bytes(path)
    return None if data is None else _digest(data)


# `{{ env.NAME }}`: a result that reads the environment can differ between runs of the same files.
ENV_PLACEHOLDER = re.compile(rb"\{\{\s*env\.")


def run_key(parts: Iterable[Any]) -> str:
    """A short digest of everything besides the files that can change a result."""
    text = json.dumps(list(parts), sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def files_signature(paths: Sequence[str | os.PathLike]) -> list:
    """Stat signatures of files a result depends on (config, schema, rule modules)."""
    return [(os.fspath(p), signature(os.fspath(p))) for p in paths]


@dataclass
class Entry:
    """What is remembered of one linted file."""

    signature: Signature
    digest: str
    is_spec: bool
    deps: list[tuple[str, Signature | None, str | None]]  # other files read: path, signature, digest
    diagnostics: list[CachedDiagnostic]


@dataclass
class LintCache:
    """Entries for one run key; `get` validates an entry against the file system."""

    path: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    dirty: bool = False
    run_notes: tuple[str, list[str]] | None = None  # (date, notes) said once per run, e.g. about the catalog
    _checked: dict[str, Entry | None] = field(default_factory=dict, repr=False)  # `get` answers, per run

    @classmethod
    def open(cls, root: Path, key: str) -> LintCache:
        path = root / CACHE_DIR / f"lint-{key}.json"
        try:
            raw = json.loads(path.read_text("utf-8"))
            if raw.get("format") != FORMAT:
                return cls(path)
            entries = {name: Entry(tuple(e[0]), e[1], e[2], [(d[0], tuple(d[1]) if d[1] else None, d[2]) for d in e[3]],
                                   [tuple(x) for x in e[4]]) for name, e in raw["entries"].items()}
            notes = raw.get("notes")
            return cls(path, entries, run_notes=(notes[0], list(notes[1])) if notes else None)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return cls(path)  # missing or unreadable: start afresh

    def get(self, path: str) -> Entry | None:
        """The entry for `path` if neither it nor anything it read has changed (checked once per run)."""
        if path not in self._checked:
            self._checked[path] = self._validate(path)
        return self._checked[path]

    def _validate(self, path: str) -> Entry | None:
        entry = self.entries.get(path)
        if entry is None:
            return None
        if not self._unchanged(path, entry.signature, entry.digest, entry):
            return None
        for dep_path, dep_sig, dep_digest in entry.deps:
            if not self._unchanged(dep_path, dep_sig, dep_digest, None):
                return None
        return entry

    def _unchanged(self, path: str, old_sig: Signature | None, old_digest: str | None, entry: Entry | None) -> bool:
        current = signature(path)
        if current == old_sig:
            return True
        if current is None or old_sig is None:
            return False
        # Touched but maybe not changed: compare contents, and remember the new signature.
        if digest_file(path) != old_digest:
            return False
        if entry is not None:
            entry.signature = current
            self.dirty = True
        return True

    def notes(self) -> list[str] | None:
        """The run's notes as of today, or None when they were not computed today."""
        import datetime

        if self.run_notes and self.run_notes[0] == datetime.date.today().isoformat():
            return list(self.run_notes[1])
        return None

    def set_notes(self, notes: list[str]) -> None:
        import datetime

        today = (datetime.date.today().isoformat(), list(notes))
        if today != self.run_notes:
            self.run_notes, self.dirty = today, True

    def put(self, path: str, is_spec: bool, deps: Iterable[str], diagnostics: list[CachedDiagnostic]) -> None:
        sig, data = signature(path), read_bytes(path)
        if sig is None or data is None or ENV_PLACEHOLDER.search(data):
            return  # unreadable, or its result depends on the environment: never cached
        dep_list = []
        for dep in deps:
            dep_data = read_bytes(dep) if dep != path else None
            if dep == path:
                continue
            if dep_data is not None and ENV_PLACEHOLDER.search(dep_data):
                return
            dep_list.append((dep, signature(dep), _digest(dep_data) if dep_data is not None else None))
        digest = _digest(data)
        self.entries[path] = self._checked[path] = Entry(sig, digest, is_spec, dep_list, diagnostics)
        self.dirty = True

    def save(self) -> None:
        """Write atomically; a failure to write the cache never fails the run."""
        if not self.dirty:
            return
        data = {
            "format": FORMAT,
            "notes": list(self.run_notes) if self.run_notes else None,
            "entries": {name: [list(e.signature), e.digest, e.is_spec, [list(d) for d in e.deps], e.diagnostics]
                        for name, e in sorted(self.entries.items())},
        }
        try:
            from .atomic import write_text_atomic

            folder = self.path.parent
            if not folder.exists():
                folder.mkdir(parents=True, exist_ok=True)
                # Keep the cache out of version control without asking the user to.
                (folder / ".gitignore").write_text("# created by specc\n*\n")
                (folder / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n"
                                                     "# This file is a cache directory tag created by specc.\n")
            write_text_atomic(self.path, json.dumps(data, separators=(",", ":")))
        except OSError:
            pass
