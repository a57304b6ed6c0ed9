"""The lint cache: hits on unchanged files, misses on any change to a file or what it read."""

from __future__ import annotations

import json
import os

from specc.cache import CACHE_DIR, LintCache, run_key

ROW = ("S102", "unknown-request-field", "error", "unknown request field", "spec.yaml", 2, 3, 2, 13)


def _cache(tmp_path, key="k"):
    return LintCache.open(tmp_path, key)


def test_put_save_and_hit(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("request: {}\n")
    cache = _cache(tmp_path)
    cache.put(str(spec), True, [], [ROW])
    cache.save()
    again = _cache(tmp_path)
    entry = again.get(str(spec))
    assert entry is not None and entry.diagnostics == [ROW] and entry.is_spec
    assert (tmp_path / CACHE_DIR / ".gitignore").read_text().strip().endswith("*")


def test_content_change_misses_even_with_same_size(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("request: {a: 1}\n")
    cache = _cache(tmp_path)
    cache.put(str(spec), True, [], [])
    cache.save()
    stat = spec.stat()
    spec.write_text("request: {a: 2}\n")  # same size
    os.utime(spec, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert _cache(tmp_path).get(str(spec)) is None


def test_touch_without_change_still_hits(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("request: {a: 1}\n")
    cache = _cache(tmp_path)
    cache.put(str(spec), True, [], [])
    cache.save()
    os.utime(spec, ns=(1, 1))
    assert _cache(tmp_path).get(str(spec)) is not None


def test_dependency_change_misses(tmp_path):
    base, spec = tmp_path / "base.yaml", tmp_path / "spec.yaml"
    base.write_text("request: {model: a}\n")
    spec.write_text("extends: base.yaml\nrequest: {}\n")
    cache = _cache(tmp_path)
    cache.put(str(spec), True, [str(base)], [])
    cache.save()
    assert _cache(tmp_path).get(str(spec)) is not None
    base.write_text("request: {model: bbbbbb}\n")
    assert _cache(tmp_path).get(str(spec)) is None


def test_run_keys_separate_configurations(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("request: {}\n")
    first = _cache(tmp_path, run_key(["config-a"]))
    first.put(str(spec), True, [], [ROW])
    first.save()
    assert _cache(tmp_path, run_key(["config-b"])).get(str(spec)) is None
    assert _cache(tmp_path, run_key(["config-a"])).get(str(spec)) is not None


def test_corrupt_cache_is_ignored(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("request: {}\n")
    folder = tmp_path / CACHE_DIR
    folder.mkdir()
    (folder / "lint-k.json").write_text("{not json")
    assert _cache(tmp_path).get(str(spec)) is None
    (folder / "lint-k.json").write_text(json.dumps({"format": 1, "entries": {str(spec): [1, 2]}}))
    assert _cache(tmp_path).get(str(spec)) is None
