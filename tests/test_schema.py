"""The schema set: vendored schema + overlay, validators, and the published spec.schema.json."""

from __future__ import annotations

import json

import jsonschema
import pytest

from specc.load import load_document
from specc.schema import SPEC_SCHEMA_FILE, SchemaError, SchemaSet, apply_overlay
from specc.spec_schema import spec_schema_document
from specc.vendor import dump_json
from conftest import REPO, SPECS, run_cli


def test_committed_spec_schema_is_up_to_date_with_the_model(schemas):
    committed = (REPO / "schemas" / SPEC_SCHEMA_FILE).read_text("utf-8")
    assert committed == dump_json(spec_schema_document(schemas)), "run `specc schema spec` and commit the result"


def test_schema_spec_command_writes_the_same_file(tmp_path):
    for name in ("openrouter.schema.json", "openrouter.lock.json", "overlay.yaml"):
        (tmp_path / name).write_text((REPO / "schemas" / name).read_text("utf-8"))
    assert run_cli("schema", "spec", "--dir", str(tmp_path)).code == 0
    assert (tmp_path / SPEC_SCHEMA_FILE).read_text() == (REPO / "schemas" / SPEC_SCHEMA_FILE).read_text()


def test_spec_schema_is_a_valid_draft_2020_12_schema_that_accepts_the_examples():
    schema = json.loads((REPO / "schemas" / SPEC_SCHEMA_FILE).read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    # `request: !file body.json` is a string to an editor: the request, or the path of its data
    assert schema["properties"]["request"]["anyOf"][0]["$ref"] == "#/$defs/ChatRequest"
    for path in SPECS.rglob("*.yaml"):
        doc = load_document(path)
        assert list(validator.iter_errors(doc.data)) == [], path
    assert not validator.is_valid({"request": {"model": "x", "messages": []}, "nmae": "typo"})
    assert not validator.is_valid({"name": "no request"})


def test_overlay_knows_what_the_live_api_accepts(schemas):
    for field in ("prompt", "preset", "usage", "transforms", "verbosity", "include_reasoning", "n"):
        assert field in schemas.request_properties, field
    body = {"model": "m", "prompt": "Say hi", "reasoning": {"max_tokens": 100, "exclude": True, "enabled": True},
            "provider": {"max_price": {"prompt": 1, "completion": "2"}}}
    assert schemas.errors("ChatRequest", body) == []


def test_either_messages_or_prompt_is_required(schemas):
    problems = schemas.errors("ChatRequest", {"model": "m"})
    assert [(p.pointer, p.message) for p in problems] == [((), "needs one of: messages, prompt")]


def test_fast_and_slow_validators_agree(schemas):
    good = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    bad = {"model": "m", "messages": [{"role": "user", "content": 5}]}
    assert schemas.is_valid("ChatRequest", good) and schemas.slow("ChatRequest").is_valid(good)
    assert not schemas.is_valid("ChatRequest", bad) and not schemas.slow("ChatRequest").is_valid(bad)


def test_validators_are_built_once(schemas):
    assert schemas.fast("ChatRequest") is schemas.fast("ChatRequest")
    assert schemas.slow("ChatRequest") is schemas.slow("ChatRequest")


def test_response_and_error_entry_points_resolve(schemas):
    points = schemas.entry_points
    for name in (points["response"], points["stream_chunk"], *points["errors"].values()):
        assert name in schemas.defs
        schemas.fast(name)


def test_apply_overlay_operations():
    base = {"$defs": {"A": {"properties": {"x": {"type": "string"}}, "required": ["x"]}}}
    result = apply_overlay(base, [
        {"set": "/$defs/A/properties/y", "value": {"type": "integer"}},
        {"merge": "/$defs/A/properties/x", "value": {"maxLength": 3}},
        {"remove": "/$defs/A/required"},
    ])
    assert result == {"$defs": {"A": {"properties": {"x": {"type": "string", "maxLength": 3},
                                                     "y": {"type": "integer"}}}}}
    assert base["$defs"]["A"]["required"] == ["x"]  # the input is not modified
    with pytest.raises(SchemaError, match="does not exist"):
        apply_overlay(base, [{"set": "/$defs/B/properties/z", "value": {}}])
    appended = apply_overlay({"$defs": {"C": {"anyOf": [{"enum": ["a"]}]}}},
                             [{"append": "/$defs/C/anyOf", "value": [{"enum": ["b"]}, {"enum": ["a"]}]}])
    assert appended == {"$defs": {"C": {"anyOf": [{"enum": ["a"]}, {"enum": ["b"]}]}}}  # kept once, in order
    with pytest.raises(SchemaError, match="not a list"):
        apply_overlay(base, [{"append": "/$defs/A/properties", "value": [{}]}])
    with pytest.raises(SchemaError, match="without set/merge/append/remove"):
        apply_overlay(base, [{"why": "nothing"}])


def test_missing_schema_files_are_a_schema_error(tmp_path):
    with pytest.raises(SchemaError, match="cannot read"):
        SchemaSet.load(tmp_path)


def test_every_overlay_entry_says_why():
    from ruamel.yaml import YAML

    entries = YAML(typ="safe").load((REPO / "schemas" / "overlay.yaml").read_text("utf-8"))
    assert entries and all(entry.get("why") for entry in entries)


def _request_bodies():
    """Every request body the fixtures and examples hold (the rule cases are mostly invalid ones)."""
    trees = [SPECS, REPO / "tests" / "fixtures", REPO / "tests" / "rules" / "cases"]
    for path in sorted(p for tree in trees for p in tree.rglob("*.yaml")):
        doc = load_document(path)
        if isinstance(doc.data, dict) and isinstance(doc.data.get("request"), dict):
            yield path, doc.data["request"]


def test_every_fixture_is_worded_like_the_full_jsonschema_explanation(schemas):
    """The plain (jsonschema-rs) wording and the focused slow path against the reference."""
    from specc.schema_errors import explain, explain_plain

    name = schemas.request_name
    invalid = plain = 0
    for path, body in _request_bodies():
        if schemas.is_valid(name, body):
            continue
        invalid += 1
        reference = explain(schemas, schemas.slow(name), body)
        assert schemas.errors(name, body) == reference, path
        worded = explain_plain(schemas, schemas.fast(name).iter_errors(body), body)
        if worded is not None:
            plain += 1
            assert worded == reference, path
    assert invalid > 50 and plain > 10, "the fixtures exercise both paths"


def test_the_focused_validator_skips_only_properties_without_errors(schemas):
    name = schemas.request_name
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "temperature": "hot", "top_p": 0.5}
    focused = schemas.focused(name, list(schemas.fast(name).iter_errors(body)), body)
    properties = focused.schema["properties"]
    assert properties["temperature"] != {} and properties["messages"] == {} and properties["top_p"] == {}
    assert [tuple(e.absolute_path) for e in focused.iter_errors(body)] == [("temperature",)]


def test_a_plain_schema_error_is_worded_without_importing_jsonschema(tmp_path):
    import subprocess
    import sys

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "spec.yaml").write_text(
        "request:\n  model: openai/gpt-4o\n  temperature: hot\n  messages: [{role: user, content: hi}]\n")
    code = ("import sys; from specc.cli import main; code = main(['lint', '--no-cache', '-q', 'spec.yaml']); "
            "print(code, 'jsonschema' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert "S101" in done.stdout and done.stdout.split()[-2:] == ["1", "False"], done.stdout + done.stderr


# ---------------------------------------------------------------------------- response overlay

RESULT = {"id": "gen-1", "object": "chat.completion", "created": 1, "model": "m",
          "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "hi"}}]}
CHUNK = {"id": "gen-1", "object": "chat.completion.chunk", "created": 1, "model": "m",
         "choices": [{"index": 0, "finish_reason": None, "delta": {"content": "hi"}}]}


def _with_choice(value: dict, **fields: object) -> dict:
    return {**value, "choices": [{**value["choices"][0], **fields}]}


def test_response_overlay_admits_what_the_live_api_sends(schemas):
    result_name, chunk_name = schemas.entry_points["response"], schemas.entry_points["stream_chunk"]
    legacy = {"tokens": None, "token_logprobs": None, "top_logprobs": None, "text_offset": None}
    continuation = {"index": 0, "id": None, "type": None, "function": {"name": None, "arguments": '{"a"'}}
    admitted = [
        (result_name, RESULT),  # no system_fingerprint
        (result_name, {**RESULT, "system_fingerprint": None}),
        (result_name, _with_choice(RESULT, logprobs=-1.7881393e-06)),
        (result_name, _with_choice(RESULT, logprobs={"content": [], "refusal": []})),
        (result_name, _with_choice(RESULT, finish_reason="end_turn")),
        (chunk_name, {**CHUNK, "system_fingerprint": None}),
        (chunk_name, _with_choice(CHUNK, logprobs=legacy)),
        (chunk_name, _with_choice(CHUNK, delta={"tool_calls": [continuation]})),
        (chunk_name, _with_choice(CHUNK, delta={"tool_calls": [{"index": 0, "function": {"arguments": None}}]})),
        ("ChatErrorReport", {"error": {"message": "Upstream error", "code": 502,
                                            "metadata": {"provider_name": "Venice"}}}),
    ]
    for name, value in admitted:
        assert schemas.errors(name, value) == [], value


def test_response_overlay_still_refuses_what_the_live_api_never_sends(schemas):
    result_name, chunk_name = schemas.entry_points["response"], schemas.entry_points["stream_chunk"]
    refused = [
        (result_name, {key: value for key, value in RESULT.items() if key != "id"}),
        (result_name, {**RESULT, "choices": {}}),
        (result_name, _with_choice(RESULT, logprobs="high")),
        (result_name, _with_choice(RESULT, finish_reason=3)),
        (chunk_name, {**CHUNK, "system_fingerprint": 5}),
        (chunk_name, _with_choice(CHUNK, delta={"tool_calls": [{"id": None}]})),  # no index
        (chunk_name, _with_choice(CHUNK, delta={"tool_calls": [{"index": 0, "type": "retrieval"}]})),
        ("ChatErrorReport", {"error": {"code": 502}}),  # no message
    ]
    for name, value in refused:
        assert schemas.errors(name, value) != [], value


RESPONSE_DEFS = {"ChatResult", "ChatChoice", "ChatStreamChunk", "ChatStreamChoice", "ChatStreamToolCall",
                 "ChatCompletionsLogprobs", "ChatErrorReport"}


def test_every_response_overlay_entry_names_real_recorded_answers_as_evidence():
    from ruamel.yaml import YAML

    from conftest import SHARED

    entries = YAML(typ="safe").load((REPO / "schemas" / "overlay.yaml").read_text("utf-8"))
    response_side = [e for e in entries
                     if next(e[op] for op in ("set", "merge", "append", "remove") if op in e).split("/")[2] in RESPONSE_DEFS]
    assert len(response_side) >= 10 and all(e.get("evidence") for e in response_side)
    recorded = SHARED / "corpus" / "responses"
    if recorded.is_dir():  # the names must be real recordings, not made up
        named = [name for e in entries for name in e.get("evidence", [])]  # request-side entries too
        missing = [name for name in named if not (recorded / f"{name}.json").is_file()]
        assert missing == []
    # the loader ignores the key: the same entries without it give the same schema
    bare = [{k: v for k, v in e.items() if k != "evidence"} for e in entries]
    base = json.loads((REPO / "schemas" / "openrouter.schema.json").read_text("utf-8"))
    assert apply_overlay(base, bare) == apply_overlay(base, entries)


def test_apply_overlay_shares_what_it_leaves_alone_and_never_changes_its_input():
    """Only the mappings on the way to a patched place are copied: the input stays as it was for
    every operation, nested merges included, and the result is what a deep copy would give."""
    import copy

    base = {"$defs": {"A": {"properties": {"x": {"type": "string", "meta": {"k": 1}}}, "required": ["x"]},
                      "B": {"anyOf": [{"enum": ["a"]}]}, "C": {"type": "object"}}}
    before = copy.deepcopy(base)
    overlay = [{"set": "/$defs/A/properties/y", "value": {"type": "integer"}},
               {"merge": "/$defs/A/properties/x", "value": {"maxLength": 3, "meta": {"j": 2}}},
               {"append": "/$defs/B/anyOf", "value": [{"enum": ["b"]}]},
               {"remove": "/$defs/A/required"}, {"merge": "/$defs/D", "value": {"type": "string"}}]
    result = apply_overlay(base, overlay)
    assert base == before
    assert result["$defs"]["A"]["properties"]["x"] == {"type": "string", "meta": {"k": 1, "j": 2}, "maxLength": 3}
    assert result["$defs"]["B"]["anyOf"] == [{"enum": ["a"]}, {"enum": ["b"]}] and result["$defs"]["D"] == {"type": "string"}
    assert result["$defs"]["C"] is base["$defs"]["C"]  # untouched: shared, not copied
    assert apply_overlay(result, [{"set": "/$defs/C/type", "value": "array"}])["$defs"]["C"] == {"type": "array"}
    assert base["$defs"]["C"] == {"type": "object"} and result["$defs"]["C"] == {"type": "object"}


def test_the_real_overlay_leaves_the_vendored_schema_as_read(schemas):
    from specc.schema import load_layers

    layers = load_layers()
    vendored = json.dumps(layers.vendored, sort_keys=True)
    assert SchemaSet.from_layers(layers).defs == apply_overlay(json.loads(vendored), layers.specc_overlay)["$defs"]
    assert json.dumps(layers.vendored, sort_keys=True) == vendored  # the vendored schema is left as read
