"""The lint cache: hits on unchanged files, misses on any change to a file or what it read."""

from __future__ import annotations

import json
import os
import time

from specc.cache import CACHE_DIR, LintCache, snapshot
from specc.diagnostics import Diagnostic, Severity, Span

FINDING = Diagnostic("S102", "unknown-request-field", Severity.ERROR, "unknown request field", Span("spec.yaml", 2, 3, 2, 13))
KEY = ["config-a"]
HOUR_NS = 3600 * 10**9


def _cache(tmp_path, key=KEY):
    return LintCache.open(tmp_path, key)


def _write(path, text: str) -> str:
    """Write a file dated an hour ago: the cache does not trust a file modified as it is checked."""
    path.write_text(text)
    old = time.time_ns() - HOUR_NS
    os.utime(path, ns=(old, old))
    return str(path)


def _remember(tmp_path, spec: str, deps=(), diagnostics=(), key=KEY) -> None:
    cache = _cache(tmp_path, key)
    cache.put(spec, True, snapshot(spec, [spec, *deps], time.time_ns()), list(diagnostics))
    cache.save()


def test_put_save_and_hit(tmp_path):
    spec = _write(tmp_path / "spec.yaml", "request: {}\n")
    _remember(tmp_path, spec, diagnostics=[FINDING])
    entry = _cache(tmp_path).get(spec)
    assert entry is not None and entry.diagnostics == [FINDING] and entry.is_spec
    assert (tmp_path / CACHE_DIR / ".gitignore").read_text().strip().endswith("*")


def test_content_change_misses_even_with_same_size(tmp_path):
    spec = _write(tmp_path / "spec.yaml", "request: {a: 1}\n")
    _remember(tmp_path, spec)
    before = os.stat(spec)
    _write(tmp_path / "spec.yaml", "request: {a: 2}\n")  # same size
    os.utime(spec, ns=(before.st_atime_ns, before.st_mtime_ns + 1))
    assert _cache(tmp_path).get(spec) is None


def test_touch_without_change_still_hits_and_remembers_the_new_signature(tmp_path):
    spec = _write(tmp_path / "spec.yaml", "request: {a: 1}\n")
    _remember(tmp_path, spec)
    os.utime(spec, ns=(1, 1))
    cache = _cache(tmp_path)
    assert cache.get(spec) is not None
    cache.save()
    assert _cache(tmp_path).entries[spec][0][0] == 1  # the next run need not hash the file again


def test_dependency_change_misses(tmp_path):
    base = _write(tmp_path / "base.yaml", "request: {model: a}\n")
    spec = _write(tmp_path / "spec.yaml", "extends: base.yaml\nrequest: {}\n")
    _remember(tmp_path, spec, [base])
    assert _cache(tmp_path).get(spec) is not None
    _write(tmp_path / "base.yaml", "request: {model: bbbbbb}\n")
    assert _cache(tmp_path).get(spec) is None


def test_a_missing_dependency_that_appears_misses(tmp_path):
    spec = _write(tmp_path / "spec.yaml", "extends: base.yaml\nrequest: {}\n")
    _remember(tmp_path, spec, [str(tmp_path / "base.yaml")])
    assert _cache(tmp_path).get(spec) is not None
    _write(tmp_path / "base.yaml", "request: {model: a}\n")
    assert _cache(tmp_path).get(spec) is None


def test_the_spec_itself_is_recorded_once_under_any_name(tmp_path):
    """The loader lists the spec among the files it read, by its resolved absolute path."""
    spec = _write(tmp_path / "spec.yaml", "request: {}\n")
    os.symlink(tmp_path, tmp_path / "link")
    via_link = str(tmp_path / "link" / "spec.yaml")
    taken = snapshot(spec, [os.path.realpath(spec), via_link, spec], time.time_ns())
    assert taken is not None
    _, _, deps = taken
    assert deps == []


def test_a_file_modified_as_it_is_checked_is_not_cached(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("request: {}\n")  # modified now: it may still be changing
    assert snapshot(str(spec), [str(spec)], time.time_ns()) is None
    base = tmp_path / "base.yaml"
    base.write_text("request: {}\n")
    older = _write(tmp_path / "older.yaml", "extends: base.yaml\nrequest: {}\n")
    assert snapshot(older, [older, str(base)], time.time_ns()) is None


def test_env_placeholders_are_not_cached(tmp_path):
    spec = _write(tmp_path / "spec.yaml", "request: {model: '{{ env.MODEL }}'}\n")
    assert snapshot(spec, [spec], time.time_ns()) is None
    base = _write(tmp_path / "base.yaml", "request: {model: '{{env.MODEL}}'}\n")
    child = _write(tmp_path / "child.yaml", "extends: base.yaml\nrequest: {}\n")
    assert snapshot(child, [child, base], time.time_ns()) is None


def test_run_keys_separate_configurations(tmp_path):
    spec = _write(tmp_path / "spec.yaml", "request: {}\n")
    _remember(tmp_path, spec, key=["config-a"])
    assert _cache(tmp_path, ["config-b"]).get(spec) is None
    assert _cache(tmp_path, ["config-a"]).get(spec) is not None


def test_a_cache_file_written_for_another_key_is_ignored(tmp_path):
    """The file name is only a checksum of the key: the key inside decides."""
    spec = _write(tmp_path / "spec.yaml", "request: {}\n")
    _remember(tmp_path, spec, key=["config-a"])
    cache_file = _cache(tmp_path, ["config-a"]).path
    data = json.loads(open(cache_file).read())
    data["key"] = json.dumps(["config-b"])
    with open(cache_file, "w") as handle:
        handle.write(json.dumps(data))
    assert _cache(tmp_path, ["config-a"]).get(spec) is None


def test_corrupt_cache_is_ignored(tmp_path):
    spec = _write(tmp_path / "spec.yaml", "request: {}\n")
    cache_file = _cache(tmp_path).path
    os.makedirs(os.path.dirname(cache_file))
    with open(cache_file, "w") as handle:
        handle.write("{not json")
    assert _cache(tmp_path).get(spec) is None
    key = _cache(tmp_path).key
    info = os.stat(spec)
    unchanged = [info.st_mtime_ns, info.st_size, info.st_ino]  # so that the damaged parts are read
    for damaged in ([1, 2], "entry", [None, None, True, [], []], [unchanged, "d", True, [["x"]], []],
                    [unchanged, "d", True, [[["x"], None, None]], []], [unchanged, "d", True, [], [["S101"]]],
                    [unchanged, "d", True, [], [["S101", "r", "fatal", "m", "spec.yaml", 1, 1, 1, 1]]]):
        with open(cache_file, "w") as handle:
            handle.write(json.dumps({"format": 2, "key": key, "entries": {spec: damaged}}))
        assert _cache(tmp_path).get(spec) is None
    for notes in (["2020-01-01"], "notes", [1, 2, 3], [time.strftime("%Y-%m-%d"), "not a list"]):
        with open(cache_file, "w") as handle:
            handle.write(json.dumps({"format": 2, "key": key, "notes": notes, "entries": {}}))
        assert _cache(tmp_path).notes() is None
