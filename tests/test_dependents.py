"""`specc lint --dependents`: a named file that specs read makes specc lint those specs; and the
lint cache re-checks a spec when any file it read changed, for every include kind."""

from __future__ import annotations

import os
import time

import pytest

from specc.cache import LintCache
from specc.config import Config, load_config
from specc.dependents import find_dependents
from specc.lint import build_checker, lint_report, open_cache
from conftest import run_cli

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 24
HOUR_NS = 3600 * 10**9

SPEC = """\
extends: base.yaml
request:
  messages:
    - role: system
      content: !file ../prompts/system.md
    - role: user
      content:
        - {type: text, text: What is in the picture?}
        - {type: image_url, image_url: {url: !data-url ../media/chart.png}}
        - {type: input_audio, input_audio: {data: !base64 ../media/question.wav, format: wav}}
  response_format:
    type: json_schema
    json_schema:
      name: answer
      strict: true
      schema: !file ../schemas/answer.json
  provider: {require_parameters: true}
"""
BASE = "request:\n  model: openai/gpt-4o\n"
SCHEMA = '{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"], "additionalProperties": false}\n'

# Each include kind: the file it reads (relative to the project) and new content for it.
KINDS = {
    "extends": ("specs/base.yaml", "request:\n  model: openai/gpt-4o-mini\n"),
    "!file": ("schemas/answer.json", '{"type": "object"}\n'),
    "!data-url": ("media/chart.png", PNG + b"\x01"),
    "!base64": ("media/question.wav", WAV + b"\x01"),
}


def _old(path) -> None:
    """Date a file an hour back: the cache does not trust a file modified as it is checked."""
    old = time.time_ns() - HOUR_NS
    os.utime(path, ns=(old, old))


def _write(path, content) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    _old(path)


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("[tool.specc]\n")
    _write(tmp_path / "specs" / "chart.yaml", SPEC)
    _write(tmp_path / "specs" / "base.yaml", BASE)
    _write(tmp_path / "specs" / "alone.yaml", BASE + "  messages: [{role: user, content: hi}]\n")
    _write(tmp_path / "prompts" / "system.md", "You are terse.\n")
    _write(tmp_path / "schemas" / "answer.json", SCHEMA)
    _write(tmp_path / "media" / "chart.png", PNG)
    _write(tmp_path / "media" / "question.wav", WAV)
    _write(tmp_path / "unrelated.json", "{}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _config(project) -> Config:
    return load_config(project / "pyproject.toml")


def _lint_cached(project, paths=("specs",)):
    config = _config(project)
    cache = open_cache(config, list(paths), {})
    report = lint_report(list(paths), config, lambda: build_checker(config), {}, jobs=1, cache=cache)
    return report, config


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_cached_result_is_invalid_once_any_file_it_read_changes(project, kind):
    report, config = _lint_cached(project)
    assert not [d for d in report.diagnostics if d.span.path.endswith("chart.yaml")], report.diagnostics
    spec = os.path.join("specs", "chart.yaml")
    assert open_cache(config, ["specs"], {}).get(spec) is not None  # unchanged: trusted
    changed, content = KINDS[kind]
    _write(project / changed, content)
    assert open_cache(config, ["specs"], {}).get(spec) is None
    assert open_cache(config, ["specs"], {}).get(os.path.join("specs", "alone.yaml")) is not None  # reads none of it


def test_the_changed_include_is_what_the_next_run_reports(project):
    _lint_cached(project)
    _write(project / "schemas" / "answer.json", '{"type": "object",}\n')  # a typo: no longer JSON
    report, _ = _lint_cached(project)
    chart = os.path.join("specs", "chart.yaml")
    assert [d.code for d in report.diagnostics if d.span.path == chart] == ["E005"]


@pytest.mark.parametrize("cached", [False, True], ids=["loaded", "from-cache"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_include_kind_finds_the_spec_that_reads_it(project, kind, cached):
    cache: LintCache | None = None
    if cached:
        _lint_cached(project)
        cache = open_cache(_config(project), ["specs"], {})
        assert cache.entries
    named, _ = KINDS[kind]
    found = find_dependents([named], _config(project), cache)
    assert found.readers == {named: [os.path.join("specs", "chart.yaml")]}


def test_a_file_no_spec_reads_has_no_dependents(project):
    assert find_dependents(["unrelated.json", "prompts/nothing.md"], _config(project)).readers == {}


def test_a_spec_whose_cache_entry_is_stale_is_loaded_again(project):
    """An entry for a spec that changed says what it read before the change: not trusted."""
    _lint_cached(project)
    _write(project / "specs" / "alone.yaml", "extends: base.yaml\nrequest:\n  messages: [{role: user, content: !file ../prompts/system.md}]\n")
    found = find_dependents(["prompts/system.md"], _config(project), open_cache(_config(project), ["specs"], {}))
    assert sorted(found.readers["prompts/system.md"]) == [os.path.join("specs", "alone.yaml"), os.path.join("specs", "chart.yaml")]


def test_an_excluded_folder_is_not_searched_for_dependents(project):
    (project / "pyproject.toml").write_text('[tool.specc]\nexclude = ["specs/chart.yaml"]\n')
    assert find_dependents(["schemas/answer.json"], _config(project)).readers == {}


# ------------------------------------------------------------------ the command line


def test_a_named_include_that_breaks_fails_the_lint_of_the_spec_that_reads_it(project):
    (project / "schemas" / "answer.json").write_text('{"type": "object",}\n')
    without = run_cli("lint", "--specs-only", "--allow-empty", "schemas/answer.json", cwd=project)
    assert without.code == 0, without.out + without.err  # without --dependents: the break goes unseen
    result = run_cli("lint", "--specs-only", "--dependents", "schemas/answer.json", cwd=project)
    assert result.code == 1, result.out + result.err
    assert "specs/chart.yaml:16:15: E005 !file ../schemas/answer.json: invalid JSON" in result.out
    assert "schemas/answer.json is read by 1 spec: specs/chart.yaml" in result.err
    assert "\nschemas/answer.json:" not in "\n" + result.out  # the include itself is no spec: never reported as one


def test_a_named_base_lints_itself_and_the_specs_that_extend_it(project):
    result = run_cli("lint", "--specs-only", "--dependents", "--format", "json", "specs/base.yaml", cwd=project)
    import json

    linted = json.loads(result.out)
    assert "specs/chart.yaml" not in {d["path"] for d in linted["diagnostics"]}
    assert "specs/base.yaml is read by 1 spec: specs/chart.yaml" in result.err
    assert linted["summary"]["files"] == 2


def test_unrelated_named_files_are_still_skipped(project):
    _write(project / ".github" / "workflows" / "ci.yaml", "on: push\n")
    result = run_cli("lint", "--specs-only", "--dependents", ".github/workflows/ci.yaml", "unrelated.json",
                     "specs/alone.yaml", cwd=project)
    assert result.code == 0, result.out + result.err
    assert "1 file linted" in result.out


def test_without_specs_only_a_named_include_is_not_linted_as_a_spec(project):
    result = run_cli("lint", "--dependents", "prompts/system.md", cwd=project)
    assert result.code == 0, result.out + result.err
    assert "\nprompts/system.md:" not in "\n" + result.out and "1 file linted" in result.out
