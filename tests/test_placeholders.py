"""Placeholders end to end (issue 17): never sent literally, defaults, the escape, and a lint
that needs no secret nor per-machine environment while compile, send and test refuse what
has no value."""

from __future__ import annotations

import json

import pytest
from _catalogs import write_catalog
from conftest import run_cli
from server import json_reply

HELPDESK = """\
request:
  model: "{{ env.HELPDESK_MODEL }}"
  messages:
    - role: user
      content: Where is my order?
"""
ANSWER = {"id": "gen-1", "object": "chat.completion", "created": 1, "model": "openai/gpt-4o",
          "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Here."}}]}


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.delenv("HELPDESK_MODEL", raising=False)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    (tmp_path / "specs").mkdir()
    return tmp_path


def _spec(project, text: str, name: str = "helpdesk.yaml"):
    path = project / "specs" / name
    path.write_text(text)
    return path


def test_lint_checks_an_unset_env_placeholder_as_a_string_and_notes_it(project):
    """Seen: with `vars: {}`, lint failed with E004 on every machine without the variable."""
    _spec(project, HELPDESK)
    write_catalog(project)  # the catalog rules run: unknown-model must not fire on the stand-in
    result = run_cli("lint", "--format", "json", "specs", cwd=project)
    assert result.code == 0, result.out
    found = [(d["code"], d["severity"], d["line"], d["column"]) for d in json.loads(result.out)["diagnostics"]]
    assert found == [("I001", "info", 2, 11)]


def test_the_stand_in_silences_only_findings_about_it(project):
    _spec(project, HELPDESK.replace('"{{ env.HELPDESK_MODEL }}"', "no-such/model-anywhere")
          + "reasoning: {effort: \"{{ env.EFFORT }}\"}\n".replace("reasoning", "  reasoning")
          + "  max_tokens: \"{{ env.MAX_TOKENS }}\"\n  provider: {sort: \"{{ env.SORT }}\"}\n"
          + "  response_format: {type: \"{{ env.FORMAT }}\"}\n")
    write_catalog(project)
    result = run_cli("lint", "--format", "json", "specs", cwd=project)
    codes = sorted(d["code"] for d in json.loads(result.out)["diagnostics"])
    assert codes == ["I001"] * 4 + ["OR117"]  # the real unknown model is still caught


def test_lint_still_errors_on_a_var_the_spec_does_not_declare(project):
    _spec(project, "vars: {customer: Ada}\n" + HELPDESK.replace("Where is my order?", "'Hi {{ custmer }}'")
          .replace('"{{ env.HELPDESK_MODEL }}"', "openai/gpt-4o"))
    result = run_cli("lint", "specs", cwd=project)
    assert result.code == 1
    assert "E004 unresolved placeholder {{ custmer }}: no var 'custmer'" in result.out and "'customer'" in result.out


def test_compile_refuses_a_placeholder_without_value_at_its_position(project):
    """Seen: without `vars:`, the literal `{{ env.HELPDESK_MODEL }}` compiled and would have been sent."""
    _spec(project, HELPDESK)
    result = run_cli("compile", "specs/helpdesk.yaml", cwd=project)
    assert result.code == 1 and result.err.startswith("specs/helpdesk.yaml:2:11: E004 unresolved placeholder")
    assert result.out == ""  # no body printed


def test_defaults_and_values_fill_the_body(project):
    _spec(project, HELPDESK.replace("HELPDESK_MODEL }}", "HELPDESK_MODEL | openai/gpt-4o }}")
          .replace("Where is my order?", "'{{ greeting | Hello }}, {{ name }}. Literal: \\{{ name }}'"))
    result = run_cli("compile", "--var", "name=Ada", "specs/helpdesk.yaml", cwd=project)
    assert result.code == 0, result.out
    body = json.loads(result.out)
    assert body["model"] == "openai/gpt-4o"
    assert body["messages"][0]["content"] == "Hello, Ada. Literal: {{ name }}"
    chosen = run_cli("compile", "--var", "name=Ada", "specs/helpdesk.yaml", cwd=project,
                     env={"HELPDESK_MODEL": "anthropic/claude-sonnet-4.5"})
    assert json.loads(chosen.out)["model"] == "anthropic/claude-sonnet-4.5"


def test_send_refuses_before_anything_is_sent(project, loopback):
    _spec(project, HELPDESK)
    loopback.script(json_reply(ANSWER))
    result = run_cli("send", "specs/helpdesk.yaml", "--base-url", loopback.base_url, cwd=project,
                     env={"OPENROUTER_API_KEY": "sk-or-v1-" + "0" * 64})
    assert result.code == 1 and "E004" in result.out + result.err
    assert loopback.requests == []


def test_specc_test_refuses_it_too(project):
    _spec(project, HELPDESK)
    result = run_cli("test", "specs", cwd=project)
    assert result.code == 1 and "E004" in result.out + result.err


def test_braces_spelled_as_escapes_are_still_placeholders(project):
    """Compiling skips the walk only when the loader saw no "{{" in any string; an escape that
    spells the braces (YAML's \\x7B, JSON's \\u007b in an included file) is seen too."""
    (project / "specs" / "meta.json").write_text('{"who": "\\u007b\\u007b name }}"}')
    _spec(project, HELPDESK.replace('"{{ env.HELPDESK_MODEL }}"', "openai/gpt-4o")
          .replace("Where is my order?", '"\\x7B\\x7B name }}"') + "  metadata: !file meta.json\n")
    result = run_cli("compile", "specs/helpdesk.yaml", cwd=project)
    assert result.code == 1 and result.err.count("E004 unresolved placeholder {{ name }}") == 2, result.err
    filled = json.loads(run_cli("compile", "--var", "name=Ada", "specs/helpdesk.yaml", cwd=project).out)
    assert filled["messages"][0]["content"] == "Ada" and filled["metadata"] == {"who": "Ada"}


def test_the_loader_says_braces_exactly_when_a_string_holds_them(tmp_path):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from specc.load import load_document

    @settings(max_examples=60, deadline=None)
    @given(st.recursive(st.text(alphabet="{} ab\\", max_size=8), lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.text(alphabet="ab", min_size=1, max_size=2), inner, max_size=3), max_leaves=8))
    def check(value):
        path = tmp_path / "s.json"
        path.write_text(json.dumps({"request": {"x": value}}))
        doc = load_document(path)
        strings = json.dumps(doc.data)
        assert doc.braces or "{{" not in json.dumps(value, ensure_ascii=False), strings

    check()
