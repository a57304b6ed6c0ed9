"""Linting many paths: discovery, skipped non-spec YAML, the JSON report shape, --fail-on."""

from __future__ import annotations

import json

import pytest

from specc.lint import PathError, discover
from conftest import run_cli

SPEC = "request:\n  model: openai/gpt-4o-mini\n  messages:\n    - role: user\n      content: Hello\n"
WARNS = SPEC + "  frobnicate: 1\n"  # an unknown field the API passes through: a warning


@pytest.fixture
def mixed(tmp_path):
    """A project folder mixing specs and other YAML (CI config, a compose file, a broken one)."""
    (tmp_path / "pyproject.toml").write_text("")
    specs = tmp_path / "specs"
    (specs / "nested").mkdir(parents=True)
    (specs / "a.yaml").write_text(SPEC)
    (specs / "nested" / "b.yml").write_text(WARNS)
    (specs / "ci.yml").write_text("on: push\njobs: {}\n")
    (specs / "compose.yaml").write_text("services:\n  web:\n    image: nginx\n")
    (specs / "notes.txt").write_text("request: not yaml by name\n")
    (specs / ".hidden").mkdir()
    (specs / ".hidden" / "c.yaml").write_text(SPEC)
    return tmp_path


def test_discover_recurses_and_counts_non_specs(mixed):
    found = discover([str(mixed / "specs")])
    assert [t.path.split("specs/")[1] for t in found.targets] == ["a.yaml", "nested/b.yml"]
    assert found.skipped == 2


def test_named_file_is_always_a_spec(mixed):
    found = discover([str(mixed / "specs" / "ci.yml")])
    assert len(found.targets) == 1 and found.targets[0].explicit and found.skipped == 0


def test_missing_path_raises(tmp_path):
    with pytest.raises(PathError):
        discover([str(tmp_path / "nope")])


def test_folder_with_non_spec_yaml_reports_the_skipped_count(mixed):
    result = run_cli("lint", "specs", cwd=mixed)
    assert result.code == 0
    assert result.out.splitlines()[-1] == (
        "Found 0 errors and 1 warning in 2 files, 2 non-spec files skipped.")


def test_json_format_shape(mixed):
    result = run_cli("lint", "--format", "json", "specs", cwd=mixed)
    assert result.code == 0
    document = json.loads(result.out)
    assert list(document) == ["diagnostics", "summary"]
    assert document["summary"] == {"files": 2, "skipped": 2, "errors": 0, "warnings": 1}
    [diagnostic] = document["diagnostics"]
    assert diagnostic == {"path": "specs/nested/b.yml", "line": 6, "column": 3, "end_line": 6, "end_column": 13,
                          "code": "S102", "rule": "unknown-request-field", "severity": "warning",
                          "message": "request field 'frobnicate' is not in OpenRouter's schema; "
                                     "the API passes it through unchecked"}


def test_fail_on_warning(mixed):
    assert run_cli("lint", "specs", cwd=mixed).code == 0
    assert run_cli("lint", "--fail-on", "warning", "specs", cwd=mixed).code == 1
    assert run_cli("lint", "--fail-on", "warning", "specs/a.yaml", cwd=mixed).code == 0


def test_errors_fail_and_are_counted(mixed):
    (mixed / "specs" / "bad.yaml").write_text("request:\n  model: 5\n  messages: [{role: user, content: x}]\n")
    result = run_cli("lint", "--format", "json", "specs", cwd=mixed)
    assert result.code == 1
    assert json.loads(result.out)["summary"] == {"files": 3, "skipped": 2, "errors": 1, "warnings": 1}


def test_clean_run_summary(mixed):
    result = run_cli("lint", "specs/a.yaml", cwd=mixed)
    assert (result.code, result.out) == (0, "All checks passed: 1 file linted.\n")


def test_same_file_twice_is_linted_once(mixed):
    result = run_cli("lint", "--format", "json", "specs/a.yaml", "specs/a.yaml", cwd=mixed)
    assert json.loads(result.out)["summary"]["files"] == 1


def test_text_format_has_excerpt_and_caret(mixed):
    result = run_cli("lint", "specs/nested/b.yml", cwd=mixed, env={"NO_COLOR": "1"})
    assert result.out.splitlines()[:4] == [
        "specs/nested/b.yml:6:3: S102 request field 'frobnicate' is not in OpenRouter's schema; "
        "the API passes it through unchecked",
        "  |",
        "6 |   frobnicate: 1",
        "  |   ^^^^^^^^^^ warning[unknown-request-field]",
    ]


def test_fifo_in_a_folder_is_reported_not_waited_on(mixed):
    import os

    os.mkfifo(mixed / "specs" / "pipe.yaml")
    result = run_cli("lint", "--format", "json", "specs", cwd=mixed)
    messages = [d["message"] for d in json.loads(result.out)["diagnostics"]]
    assert result.code == 1 and any("not a regular file" in m for m in messages)


JSON_SPEC = json.dumps({"request": {"model": "openai/gpt-4o", "messages": [{"role": "user", "content": "hi"}],
                                    "temperature": "hot"}}, indent=2) + "\n"


@pytest.fixture
def json_folder(tmp_path):
    """`scratch/js`: a folder holding only a JSON spec, and a JSON file that is no spec."""
    (tmp_path / "pyproject.toml").write_text("")
    folder = tmp_path / "scratch" / "js"
    folder.mkdir(parents=True)
    (folder / "chat.json").write_text(JSON_SPEC)
    (folder / "package.json").write_text('{"name": "web", "version": "1.0.0"}\n')
    return tmp_path


def test_a_folder_is_searched_for_json_specs(json_folder):
    result = run_cli("lint", "scratch/js", cwd=json_folder)
    assert result.code == 1, result.out + result.err  # was: "All checks passed: 0 files linted." and 0
    assert "scratch/js/chat.json:" in result.out and "S101" in result.out
    assert result.out.endswith("in 1 file.\n")  # package.json is data, not a skipped spec


def test_specc_test_finds_json_specs_in_folders(json_folder):
    result = run_cli("test", "scratch/js", cwd=json_folder)
    assert "scratch/js/chat.json" in result.out, result.out + result.err
    assert "package.json" not in result.out


@pytest.mark.parametrize("command", ["lint", "test"])
def test_finding_no_spec_is_a_usage_error_unless_allowed(tmp_path, command):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "ci.yml").write_text("on: push\n")
    result = run_cli(command, "empty", cwd=tmp_path)
    assert result.code == 2, result.out + result.err
    assert "no spec found under empty (1 YAML/JSON file without a top-level `request:`)" in result.err
    assert "--allow-empty" in result.err and result.out == ""
    assert run_cli(command, "empty", "--allow-empty", cwd=tmp_path).code == 0


def test_named_non_specs_alone_find_no_spec(tmp_path):
    """What a hook runs on a commit of no spec: exit 2 unless --allow-empty (the shipped hooks pass it)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "ci.yml").write_text("on: push\n")
    assert run_cli("lint", "--specs-only", "ci.yml", cwd=tmp_path).code == 2
    assert run_cli("lint", "--specs-only", "--allow-empty", "ci.yml", cwd=tmp_path).code == 0
    assert run_cli("lint", "--diff", "--specs-only", "ci.yml", cwd=tmp_path).code == 2
