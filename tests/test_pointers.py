"""specc.pointers: reading a value at a JSON pointer (a tuple of keys and indexes)."""

from __future__ import annotations

import pytest

from specc.pointers import value_at, value_or_none

DATA = {"messages": [{"role": "user", "content": "hi"}], "n": None}


def test_value_at_walks_keys_and_indexes():
    assert value_at(DATA, ("messages", 0, "content")) == "hi"
    assert value_at(DATA, ()) is DATA


@pytest.mark.parametrize("pointer", [("missing",), ("messages", 3), ("messages", 0, "content", "x"), ("n", "y")])
def test_a_pointer_that_leads_nowhere(pointer):
    with pytest.raises((KeyError, IndexError, TypeError)):
        value_at(DATA, pointer)
    assert value_or_none(DATA, pointer) is None


def test_path_text_is_the_one_style():
    from specc.pointers import path_text

    assert path_text(("request", "messages", 1, "role")) == "request.messages[1].role"
    assert path_text((0, "a")) == "[0].a" and path_text(()) == ""


SECOND_ROLE = ("request:\n  model: openai/gpt-4o\n  messages:\n    - {role: user, content: hi}\n"
               "    - {role: usr, content: again}\n")


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "junit"])
def test_lint_and_drift_write_a_pointer_the_same_way_in_every_format(tmp_path, fmt):
    """Lint wrote `messages.1.role`, drift `messages[0]`: one style now, `messages[1].role`."""
    from specc.contract import format_diff
    from conftest import run_cli

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "spec.yaml").write_text(SECOND_ROLE)
    out = run_cli("lint", "--no-cache", "--format", fmt, "spec.yaml", cwd=tmp_path).out
    assert "request.messages[1].role" in out, out
    assert "messages.1" not in out
    (drift,) = format_diff([("~", ("messages", 1, "role"), "user", "usr")])
    assert drift.startswith("~ request.messages[1].role: ")


def test_expect_and_response_schema_problems_use_the_same_style():
    from specc.expect import _json_schema

    schema = {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "string"}}}}
    outcome = _json_schema(schema, '{"items": ["a", 2]}')
    assert "at items[1]:" in outcome.message, outcome.message
