"""`expect:` assertions: each passes on a response that meets it and fails, by name, on one that does not."""

from __future__ import annotations

import pytest

from specc.expect import Expect, evaluate

RESPONSE = {
    "id": "gen-1", "object": "chat.completion", "created": 1, "model": "anthropic/claude-haiku-4.5",
    "provider": "Amazon Bedrock", "system_fingerprint": None,
    "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
        "role": "assistant", "content": '{"city": "Paris", "days": 3}',
        "tool_calls": [{"id": "a", "type": "function", "function": {"name": "lookup", "arguments": "{}"}},
                       {"id": "b", "type": "function", "function": {"name": "book", "arguments": "{}"}}]}}],
    "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120, "cost": 0.0004},
}
SCHEMA = {"type": "object", "required": ["city", "days"], "properties": {"days": {"type": "integer"}}}


def outcomes(expect: dict, status: int = 200, response: dict = RESPONSE) -> dict[str, bool]:
    return {o.name: o.ok for o in evaluate(Expect.model_validate(expect), status, response)}


@pytest.mark.parametrize("expect, name, passing", [
    ({"status": 200}, "status", True),
    ({"status": 429}, "status", False),
    ({"finish_reason": "tool_calls"}, "finish_reason", True),
    ({"finish_reason": ["stop", "length"]}, "finish_reason", False),
    ({"finish_reason": ["stop", "tool_calls"]}, "finish_reason", True),
    ({"model": "anthropic/*"}, "model", True),
    ({"model": "openai/*"}, "model", False),
    ({"model": ["openai/*", "anthropic/claude-haiku-*"]}, "model", True),
    ({"provider": "Amazon*"}, "provider", True),
    ({"provider": "Anthropic"}, "provider", False),
    ({"content": {"contains": "Paris"}}, "content.contains", True),
    ({"content": {"contains": "London"}}, "content.contains", False),
    ({"content": {"regex": r'"days":\s*\d+'}}, "content.regex", True),
    ({"content": {"regex": r"^Paris"}}, "content.regex", False),
    ({"content": {"json_schema": SCHEMA}}, "content.json_schema", True),
    ({"content": {"json_schema": {**SCHEMA, "properties": {"days": {"type": "string"}}}}}, "content.json_schema", False),
    ({"tool_calls": ["lookup", "book"]}, "tool_calls", True),
    ({"tool_calls": ["book", "lookup"]}, "tool_calls", False),
    ({"tool_calls": []}, "tool_calls", False),
    ({"usage": {"max_prompt_tokens": 100}}, "usage.max_prompt_tokens", True),
    ({"usage": {"max_prompt_tokens": 99}}, "usage.max_prompt_tokens", False),
    ({"usage": {"max_completion_tokens": 20}}, "usage.max_completion_tokens", True),
    ({"usage": {"max_completion_tokens": 19}}, "usage.max_completion_tokens", False),
    ({"usage": {"max_total_tokens": 200}}, "usage.max_total_tokens", True),
    ({"usage": {"max_total_tokens": 119}}, "usage.max_total_tokens", False),
    ({"usage": {"max_cost": 0.001}}, "usage.max_cost", True),
    ({"usage": {"max_cost": 0.0001}}, "usage.max_cost", False),
])
def test_each_assertion_passes_and_fails(expect, name, passing):
    assert outcomes(expect)[name] is passing


def test_status_defaults_to_200():
    assert outcomes({}) == {"status": True}
    assert outcomes({}, status=402) == {"status": False}


def test_content_that_is_not_json_fails_the_schema_with_the_reason():
    response = {**RESPONSE, "choices": [{"index": 0, "message": {"content": "Paris, 3 days"}}]}
    [result] = [o for o in evaluate(Expect.model_validate({"content": {"json_schema": SCHEMA}}), 200, response)
                if o.name == "content.json_schema"]
    assert not result.ok and "not JSON" in result.message


def test_missing_usage_fails_the_bound_and_says_so():
    result = evaluate(Expect.model_validate({"usage": {"max_cost": 1}}), 200, {"choices": []})[-1]
    assert (result.name, result.ok) == ("usage.max_cost", False) and "missing" in result.message


def test_an_invalid_schema_is_reported_not_raised():
    result = evaluate(Expect.model_validate({"content": {"json_schema": {"type": "nonsense"}}}), 200, RESPONSE)[-1]
    assert not result.ok and "schema itself is invalid" in result.message


def test_expect_in_a_spec_is_typed_and_checked(write_spec, checker):
    good = write_spec("request: {model: openai/gpt-4o, messages: [{role: user, content: hi}]}\n"
                      "expect: {status: 200, content: {contains: hi}, usage: {max_cost: 0.01}}\n")
    result = checker.check_path(good)
    assert not result.has_errors and result.spec.expect.usage.max_cost == 0.01
    bad = write_spec("request: {model: openai/gpt-4o, messages: [{role: user, content: hi}]}\n"
                     "expect: {contnet: {contains: hi}, content: {regex: '('}}\n", "bad.yaml")
    messages = [d.message for d in checker.check_path(bad).diagnostics if d.code == "E008"]
    assert any("contnet" in m for m in messages) and any("regular expression" in m for m in messages)


def test_json_schema_from_a_file_include(write_spec, checker, tmp_path):
    (tmp_path / "answer.schema.json").write_text('{"type": "object", "required": ["city"]}')
    path = write_spec("request: {model: openai/gpt-4o, messages: [{role: user, content: hi}]}\n"
                      "expect: {content: {json_schema: !file answer.schema.json}}\n")
    spec = checker.check_path(path).spec
    assert spec.expect.content.json_schema == {"type": "object", "required": ["city"]}
    assert outcomes(spec.expect.model_dump(exclude_none=True))["content.json_schema"] is True


def test_spec_schema_publishes_every_assertion():
    import json

    from conftest import REPO

    document = json.loads((REPO / "schemas" / "spec.schema.json").read_text())
    assert set(document["$defs"]["Expect"]["properties"]) == {
        "status", "finish_reason", "model", "provider", "content", "tool_calls", "usage", "api_error"}
    assert set(document["$defs"]["ExpectApiError"]["properties"]) == {"code", "message"}
    assert set(document["$defs"]["ExpectUsage"]["properties"]) == {
        "max_prompt_tokens", "max_completion_tokens", "max_total_tokens", "max_cost"}
    assert set(document["$defs"]["ExpectContent"]["properties"]) == {"contains", "regex", "json_schema"}


def test_the_readme_example_is_a_valid_expect_block():
    import re

    from conftest import REPO
    from ruamel.yaml import YAML

    readme = (REPO / "README.md").read_text("utf-8")
    block = re.search(r"```yaml\n(expect:\n.*?)```", readme, re.S).group(1)
    block = block.replace("!file schemas/invoice.schema.json", "{type: object}")
    expect = Expect.model_validate(YAML(typ="safe").load(block)["expect"])
    assert expect.usage.max_cost == 0.01 and expect.content.regex == "^\\{"


# ------------------------------------------------------------------ api_error

REPORTED = {"code": 502, "message": "ConnectionError: [{'type': 'literal_error', 'loc': ('body', 'response_format')}]"}


@pytest.mark.parametrize("expect, reported, passing", [
    ({}, REPORTED, True),
    ({}, None, False),  # an expected error that did not come
    ({"code": 502}, REPORTED, True),
    ({"code": "502"}, REPORTED, True),
    ({"code": 400}, REPORTED, False),
    ({"message": "literal_error"}, REPORTED, True),
    ({"message": r"^ConnectionError: \["}, REPORTED, True),
    ({"message": "rate limit"}, REPORTED, False),
    ({"code": 502, "message": "rate limit"}, REPORTED, False),
    ({"code": 502, "message": "literal_error"}, {"code": 502, "message": None}, False),
])
def test_api_error_matches_code_and_message_pattern(expect, reported, passing):
    [outcome] = [o for o in evaluate(Expect.model_validate({"api_error": expect}), 200, None, reported)
                 if o.name == "api_error"]
    assert outcome.ok is passing, outcome.message


def test_api_error_is_only_checked_when_stated():
    assert [o.name for o in evaluate(Expect(), 200, RESPONSE, REPORTED)] == ["status"]


def test_api_error_message_must_be_a_valid_pattern():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="not a valid regular expression"):
        Expect.model_validate({"api_error": {"message": "(unclosed"}})
    with pytest.raises(ValidationError):
        Expect.model_validate({"api_error": {"cod": 502}})
