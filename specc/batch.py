"""Check many files, on several cores when there are enough of them, in a stable order.

Workers are forked children that inherit the prepared checker (schema validators,
rules) from the parent, so nothing expensive is rebuilt or pickled; each child
checks an interleaved share of the files and sends back plain results through a
pipe. Results are put back in the input order, so the output is the same with
`--jobs 1` and `--jobs N`. Where fork is unavailable, or for a few files, the work
runs in-process.
"""

from __future__ import annotations

import gc
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Collection, Mapping, Sequence

from .cache import Snapshot, snapshot
from .diagnostics import Diagnostic
from .files import find_project_root
from .load import looks_like_spec

if TYPE_CHECKING:
    from .check import Checker

# Below this many files, forking costs more than it saves.
MIN_FILES_PER_JOB = 24


@dataclass
class FileOutcome:
    """What a report needs of one checked file (no YAML nodes: cheap to send between processes)."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the files the check read: the spec, its bases and includes
    snapshot: Snapshot | None = None  # what the cache keeps of those files (None: not taken, or not cacheable)
    is_spec: bool = True  # False: an `unsure` file that turned out to hold no spec (not checked)


def check_one(checker: "Checker", path: str, cli_vars: Mapping[str, str] | None,
              roots: dict[str, Path] | None = None, snapshots: bool = False, unsure: bool = False) -> FileOutcome:
    """Check one file; `roots` memoizes the project root per folder (finding it costs stats).

    With `snapshots`, also take the files' signatures and digests for the cache here, where the
    files were just read (in a worker, in parallel), rather than reading them again in the parent.
    An `unsure` file (found in a folder) is checked only if it looks like a spec.
    """
    max_bytes = (checker.limits or checker.config.limits()).max_file_bytes  # the cache hashes no more than is read
    if unsure and not looks_like_spec(path):
        return FileOutcome(path, is_spec=False, snapshot=snapshot(path, (), time.time_ns(), max_bytes) if snapshots else None)
    root = None
    if roots is not None:
        folder = os.path.dirname(os.path.abspath(path))
        root = roots.get(folder)
        if root is None:
            root = roots[folder] = find_project_root(Path(folder))
    started = time.time_ns()  # a file modified after this may have changed as it was read: not cached
    result = checker.check_path(path, cli_vars, root=root)
    files = list(result.document.files) if result.document is not None else []
    return FileOutcome(path, result.diagnostics, files, snapshot(path, files, started, max_bytes) if snapshots else None)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def bulk_gc():
    """Garbage-collection settings for checking many files.

    Each file makes tens of thousands of short-lived, acyclic objects (YAML nodes, marks),
    which trip the cyclic collector constantly, and every full collection re-scans the
    large long-lived heap (the schema, the rules, pydantic). Freezing that heap and
    collecting less often halves the time of a run; reference counting still frees the
    per-file trees as soon as each file is done.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 20_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def check_many(checker: "Checker", paths: Sequence[str], cli_vars: Mapping[str, str] | None = None,
               jobs: int = 1, snapshots: bool = False, unsure: Collection[str] = ()) -> list[FileOutcome]:
    """Check `paths` with up to `jobs` processes (0: one per core); outcomes in the order of `paths`.

    With `snapshots`, each outcome carries what the lint cache keeps of the files it read. Paths
    in `unsure` are checked only if they look like specs (see `check_one`)."""
    with bulk_gc():
        return _check_many(checker, paths, cli_vars, jobs or default_jobs(), snapshots, unsure)


def _check_many(checker: "Checker", paths: Sequence[str], cli_vars: Mapping[str, str] | None,
                jobs: int, snapshots: bool, unsure: Collection[str]) -> list[FileOutcome]:
    jobs = min(jobs, len(paths) // MIN_FILES_PER_JOB) if jobs > 1 else 1
    roots: dict[str, Path] = {}
    if snapshots:
        import hashlib  # noqa: F401 - for the snapshots' digests: imported once here, not in every worker

    def check(path: str) -> FileOutcome:
        return check_one(checker, path, cli_vars, roots, snapshots, path in unsure)

    if jobs <= 1 or not hasattr(os, "fork"):
        return [check(path) for path in paths]
    checker.warm()  # once here rather than once in every worker
    gc.freeze()  # what it built joins the long-lived heap that `bulk_gc` keeps out of collections
    import pickle  # only workers send results: not imported for a few files (3 ms, issue 21)

    children: list[tuple[int, int, list[int]]] = []
    for worker in range(jobs):
        indices = list(range(worker, len(paths), jobs))
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: check its share, send it back, and leave without cleanup handlers
            os.close(read_end)
            code = 0
            try:
                with os.fdopen(write_end, "wb") as sink:
                    pickle.dump([check(paths[i]) for i in indices], sink, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(write_end)
        children.append((pid, read_end, indices))
    results: list[FileOutcome | None] = [None] * len(paths)
    for pid, read_end, indices in children:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        outcomes: list[FileOutcome] | None
        try:
            outcomes = pickle.loads(data) if os.waitstatus_to_exitcode(status) == 0 else None
        except Exception:
            outcomes = None
        if outcomes is None:  # a worker died: do its share here rather than lose it
            outcomes = [check(paths[i]) for i in indices]
        for index, outcome in zip(indices, outcomes):
            results[index] = outcome
    return [r for r in results if r is not None]
