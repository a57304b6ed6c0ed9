"""Golden messages: each `tests/fixtures/bad/NAME.yaml` linted gives exactly `NAME.expected`.

The fixtures cover a typo'd top-level field, an unknown nested key (allowed keys listed, closest
suggested), enums (values listed), oneOf/anyOf (the best branch named, not every branch), wrong
types, limits, spec keys, placeholders, an error inside a `!file` include (reported at the tag)
and an error inside a base spec (reported in the base). `tests/fixtures/bad/specc.toml` selects only
the core codes. Set SPECC_UPDATE_GOLDEN=1 to rewrite the expected files after a deliberate change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from specc.schema_errors import explain, short
from conftest import run_cli

BAD = Path(__file__).parent / "fixtures" / "bad"
SCHEMA_LOCK = Path(__file__).parent.parent / "schemas" / "openrouter.lock.json"
FIXTURES = sorted(BAD.glob("*.yaml"))


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_golden_text_output(fixture):
    result = run_cli("lint", "--no-cache", fixture.name, cwd=BAD, env={"NO_COLOR": "1"})
    assert result.code == 1 and result.err == ""
    expected = fixture.with_suffix(".expected")
    if os.environ.get("SPECC_UPDATE_GOLDEN"):
        expected.write_text(result.out)
    assert result.out == expected.read_text("utf-8")


def test_every_fixture_has_its_expected_output():
    assert len(FIXTURES) >= 10
    assert sorted(p.stem for p in BAD.glob("*.expected")) == [p.stem for p in FIXTURES]


def test_typo_is_at_its_exact_line_and_column_with_a_suggestion():
    first = (BAD / "typo-top-level-field.expected").read_text().splitlines()[0]
    assert first == ("typo-top-level-field.yaml:3:3: S102 unknown request field 'temprature'; "
                     "did you mean 'temperature'?")


def _problems(schemas, body):
    return [(p.pointer, p.message) for p in explain(schemas, schemas.slow("ChatRequest"), body)]


BASE = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}


def test_discriminated_union_reports_only_the_chosen_branch(schemas):
    body = {**BASE, "messages": [{"role": "user", "content": 5}]}
    assert _problems(schemas, body) == [(("messages", 0, "content"), "expected string or array, got integer 5")]


def test_unknown_key_lists_allowed_keys_and_suggests(schemas):
    [(pointer, message)] = _problems(schemas, {**BASE, "provider": {"ordr": ["a"]}})
    assert pointer == ("provider", "ordr")
    assert "did you mean 'order'?" in message and "allowed: allow_fallbacks, data_collection" in message


def test_enum_lists_its_values(schemas):
    [(pointer, message)] = _problems(schemas, {**BASE, "provider": {"data_collection": "never"}})
    assert message == "'never' is not allowed; expected one of: 'deny', 'allow', null"


def test_alternatives_of_single_values_are_listed_together(schemas):
    [(_, message)] = _problems(schemas, {**BASE, "tool_choice": "always"})
    assert message == "'always' is not allowed; expected one of: 'none', 'auto', 'required', 'any', null, or object"


def test_long_values_are_cut_in_messages():
    assert short("x" * 500) == "'" + "x" * 56 + "..."
    assert len(short({"k": list(range(100))})) == 60


def test_the_tag_a_value_carries_picks_the_form_explained(schemas):
    """Issue 14 §5: `type: function` names the function-tool form among the 12 tool forms, so its
    failure is what is explained, not the server tool that happens to have the fewest errors."""
    body = {**BASE, "tools": [{"type": "function", "function": {"description": "no name"}}]}
    assert _problems(schemas, body) == [(("tools", 0, "function"), "missing required key 'name'")]
    unwrapped = {**BASE, "tools": [{"type": "function", "name": "get_weather", "parameters": {"type": "object"}}]}
    assert _problems(schemas, unwrapped) == [(("tools", 0), "missing required key 'function'")]


def test_a_tag_the_forms_do_not_pin_is_no_tag(schemas):
    """`role` pins message forms and `type` content parts; a missing tag is said as such."""
    body = {**BASE, "messages": [{"role": "user", "content": [{"type": "image_url", "text": "x"}]}]}
    assert _problems(schemas, body) == [(("messages", 0, "content", 0), "missing required key 'image_url'")]


def test_branch_is_not_named_when_the_type_decides(schemas):
    [(_, message)] = _problems(schemas, {**BASE, "stop": ["a", "b", "c", "d", "e"]})
    assert message == "has 5 items; at most 4 allowed"


def test_long_lists_of_allowed_keys_are_cut(schemas):
    from specc.schema_errors import _names

    assert _names([f"k{i}" for i in range(30)]).endswith("k23, ... (6 more)")
    assert _names(["a", "b"]) == "a, b"


def test_null_and_booleans_are_named_once(schemas):
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": None, "max_tokens": True}
    assert _problems(schemas, body) == [(("max_tokens",), "expected integer or null, got true"),
                                        (("stream",), "expected boolean, got null")]


def test_what_the_live_api_accepts_of_tools_draws_no_schema_error(schemas):
    """Corpus evidence in schemas/overlay.yaml: null tools and tool_choice, and `any`, were answered (200)."""
    for extra in ({"tools": None}, {"tool_choice": None}, {"tool_choice": "any"}):
        assert _problems(schemas, {"model": "m", "messages": [{"role": "user", "content": "hi"}], **extra}) == [], extra


def test_a_tag_no_form_allows_lists_every_tag_with_did_you_mean(schemas):
    body = {**BASE, "tools": [{"type": "functoin", "function": {"name": "f"}}]}
    [(pointer, message)] = _problems(schemas, body)
    assert pointer == ("tools", 0, "type") and message.startswith("'functoin' is not a known type; expected one of: 'function'")
    assert message.endswith("did you mean 'function'?")


EXTENSION_SPEC = "request:\n  model: openai/gpt-4o\n  messages: [{role: user, content: hi}]\n"


@pytest.mark.parametrize("extra, pointer", [
    ("  tools: [{type: 'openrouter:time_machine'}]\n", "request.tools[0].type"),
    ("  plugins: [{id: brand-new-plugin}]\n", "request.plugins[0].id"),
    ("  reasoning: {effort: ultra}\n", "request.reasoning.effort"),
    ("  provider: {sort: carbon}\n", "request.provider.sort"),
])
def test_a_value_newer_than_the_schema_at_an_extension_point_is_a_warning(tmp_path, extra, pointer):
    """Issue 14 §4: OpenRouter adds server tools, plugins and levels faster than a schema is vendored."""
    import json

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "s.yaml").write_text(EXTENSION_SPEC + extra)
    result = run_cli("lint", "--no-cache", "--format", "json", "s.yaml", cwd=tmp_path)
    [found] = json.loads(result.out)["diagnostics"]
    assert (found["code"], found["severity"], result.code) == ("S103", "warning", 0)
    assert found["message"].startswith(pointer) and "specc schema vendor" in found["message"]
    assert json.loads(SCHEMA_LOCK.read_text())["date"] in found["message"]


@pytest.mark.parametrize("extra", [
    "  plugins: [{id: web-fetchh}]\n",        # a typo of a known id
    "  reasoning: {effort: hihg}\n",
    "  tools: [{type: functoin, function: {name: f}}]\n",
    "  tools: [{type: my_tool}]\n",           # not a server tool: an error, not a new one
    "  temperature: hot\n",                   # not an extension point
])
def test_a_typo_or_a_value_elsewhere_stays_an_error(tmp_path, extra):
    import json

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "s.yaml").write_text(EXTENSION_SPEC + extra)
    result = run_cli("lint", "--no-cache", "--format", "json", "s.yaml", cwd=tmp_path)
    codes = [d["code"] for d in json.loads(result.out)["diagnostics"]]
    assert result.code == 1 and "S101" in codes and "S103" not in codes, codes
