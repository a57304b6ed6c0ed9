"""Every independent problem in one run (issue 17): an unknown key, a wrong spec value, a
missing include or base are reported and the rest of the spec is still checked, with the
missing part treated as absent, never as a false error. The golden fixture
`tests/fixtures/bad/every-problem-in-one-run.yaml` shows the whole report."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    (tmp_path / "specs").mkdir()
    return tmp_path


def _codes(project, *args: str) -> list[tuple[str, int]]:
    result = run_cli("lint", "--format", "json", "--no-cache", *args, cwd=project)
    assert "Traceback" not in result.err
    return [(d["code"], d["line"]) for d in json.loads(result.out)["diagnostics"]]


def test_an_unknown_spec_key_does_not_stop_the_request_being_checked(project):
    """Seen: a spec with eleven mistakes showed only `E002 unknown spec key 'descripton'`."""
    (project / "specs" / "s.yaml").write_text(
        "descripton: x\nvars: 5\nrequest:\n  model: openai/gpt-4o\n  temperature: hot\n  top_p: 7\n"
        "  messages: [{role: customer, content: hi}]\n")
    codes = _codes(project, "specs")
    assert ("E002", 1) in codes and ("E008", 2) in codes
    assert {("S101", 5), ("OR410", 6), ("S101", 7)} <= set(codes)


def test_a_missing_include_and_base_are_reported_with_the_rest(project):
    """Seen: E005, then E003, then S101, one rerun at a time."""
    (project / "specs" / "s.yaml").write_text(
        "extends: base.yaml\nrequest:\n  temperature: hot\n  messages:\n    - role: system\n"
        "      content: !file prompt.md\n")
    assert sorted(_codes(project, "specs")) == [("E003", 1), ("E005", 6), ("S101", 3)]


def test_what_a_missing_base_would_give_is_not_reported_missing(project):
    # The base would hold `messages`, `tools` and the var: no S101 "needs one of", no OR713, no E004.
    (project / "specs" / "s.yaml").write_text(
        "extends: base.yaml\nvars: {tone: calm}\nrequest:\n  model: openai/gpt-4o\n  tool_choice: auto\n"
        "  metadata: {who: '{{ customer }}'}\n")
    assert _codes(project, "specs") == [("E003", 1), ("I001", 6)]


def test_a_missing_include_stands_for_what_it_would_give(project):
    (project / "specs" / "s.yaml").write_text(
        "request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: !file question.md\n"
        "  tools: !file tools.json\n  tool_choice: auto\n"
        "  response_format: {type: json_schema, json_schema: !file schema.json}\n")
    assert _codes(project, "specs") == [("E005", 5), ("E005", 6), ("E005", 8)]


def test_a_problem_inside_an_included_file_is_still_reported_at_its_tag(project):
    (project / "specs" / "inner.yaml").write_text("text: !file gone.md\n")
    (project / "specs" / "s.yaml").write_text(
        "request:\n  model: openai/gpt-4o\n  messages: [{role: user, content: hi}]\n  metadata: !file inner.yaml\n")
    result = run_cli("lint", "--no-cache", "specs/s.yaml", cwd=project)
    assert "specs/s.yaml:4:13: E005 !file inner.yaml: file not found: gone.md" in result.out, result.out
