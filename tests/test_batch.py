"""Parallel checking gives the same outcomes, in the same order, as checking one by one."""

from __future__ import annotations

import json
import os
import time

from specc.batch import MIN_FILES_PER_JOB, check_many
from specc.cache import diagnostic_rows, diagnostics_from_rows


def _tree(tmp_path, count):
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    paths = []
    for index in range(count):
        path = tmp_path / f"spec_{index:03d}.yaml"
        field = "temprature" if index % 7 == 3 else "temperature"
        path.write_text(f"request:\n  model: openai/gpt-4o\n  {field}: 0.{index % 10}\n"
                        "  messages:\n    - role: user\n      content: hi\n")
        paths.append(str(path))
    return paths


def test_jobs_do_not_change_results(tmp_path, checker):
    paths = _tree(tmp_path, MIN_FILES_PER_JOB * 2 + 5)
    one = check_many(checker, paths, jobs=1)
    two = check_many(checker, paths, jobs=2)
    assert [o.path for o in one] == paths == [o.path for o in two]
    assert [o.diagnostics for o in one] == [o.diagnostics for o in two]
    assert sum(len(o.diagnostics) for o in one) >= 7  # the typos were found


def test_cached_rows_round_trip(tmp_path, checker):
    paths = _tree(tmp_path, 4)
    diagnostics = [d for o in check_many(checker, paths) for d in o.diagnostics]
    assert diagnostics
    again = diagnostics_from_rows(json.loads(json.dumps(diagnostic_rows(diagnostics))))  # as the cache file keeps them
    assert [d.to_dict() for d in again] == [d.to_dict() for d in diagnostics]


def test_workers_take_the_cache_snapshot_of_the_files_they_read(tmp_path, checker):
    """Signatures and digests come back with the outcomes: the parent never reads a file again."""
    paths = _tree(tmp_path, MIN_FILES_PER_JOB * 2 + 1)
    (tmp_path / "base.yaml").write_text("request:\n  model: openai/gpt-4o\n")
    with open(paths[-1], "w") as handle:
        handle.write("extends: base.yaml\nrequest:\n  messages:\n    - role: user\n      content: hi\n")
    old = time.time_ns() - 3600 * 10**9
    for path in [*paths, str(tmp_path / "base.yaml")]:
        os.utime(path, ns=(old, old))
    outcomes = check_many(checker, paths, jobs=2, snapshots=True)
    for outcome in outcomes:
        signature, digest, deps = outcome.snapshot
        info = os.stat(outcome.path)
        assert signature == [info.st_mtime_ns, info.st_size, info.st_ino] and len(digest) == 32
        assert [dep[0] for dep in deps] == ([str((tmp_path / "base.yaml").resolve())] if outcome.path == paths[-1] else [])
    assert all(outcome.snapshot is None for outcome in check_many(checker, paths[:3]))
