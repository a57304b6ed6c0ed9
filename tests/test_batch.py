"""Parallel checking gives the same outcomes, in the same order, as checking one by one."""

from __future__ import annotations

from specc.batch import MIN_FILES_PER_JOB, check_many, from_cached, to_cached


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
    again = from_cached(to_cached(diagnostics))
    assert [d.to_dict() for d in again] == [d.to_dict() for d in diagnostics]
