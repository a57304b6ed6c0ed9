"""`specc schema vendor`: the committed schema is exactly what the command makes of the shared
OpenAPI document, and it keeps structure while dropping prose."""

from __future__ import annotations

import hashlib
import json

import pytest

from specc.vendor import LOCK_FILE, SCHEMA_FILE, VendorError, parse_document, reachable_components, reduce_schema
from conftest import REPO, run_cli, shared_path

COMMITTED = REPO / "schemas"
PROSE = {"description", "example", "examples", "title"}


@pytest.fixture(scope="module")
def vendored(tmp_path_factory):
    source = shared_path("openrouter", "openapi.yaml")
    out = tmp_path_factory.mktemp("vendored")
    result = run_cli("schema", "vendor", str(source), "--dir", str(out))
    assert result.code == 0, result.err
    return source, out


def test_vendor_reproduces_the_committed_schema_exactly(vendored):
    _, out = vendored
    assert (out / SCHEMA_FILE).read_text("utf-8") == (COMMITTED / SCHEMA_FILE).read_text("utf-8")


def test_lock_records_the_sources_hash_and_entry_points(vendored):
    source, out = vendored
    made = json.loads((out / LOCK_FILE).read_text("utf-8"))
    committed = json.loads((COMMITTED / LOCK_FILE).read_text("utf-8"))
    assert made["sha256"] == committed["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert made["entry_points"] == committed["entry_points"]
    assert committed["entry_points"]["request"] == "ChatRequest"
    assert made["components"] == committed["components"] == len(json.loads(
        (COMMITTED / SCHEMA_FILE).read_text())["$defs"])


def _keywords(schema, found: set) -> set:
    """Every keyword used in schema position (property *names* are not keywords)."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            found.add(key)
            if key in ("properties", "patternProperties", "$defs", "dependentSchemas"):
                for sub in value.values():
                    _keywords(sub, found)
            elif key in ("oneOf", "anyOf", "allOf", "prefixItems"):
                for sub in value:
                    _keywords(sub, found)
            elif key in ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else"):
                _keywords(value, found)
    return found


def test_committed_schema_has_no_prose_and_keeps_structure():
    schema = json.loads((COMMITTED / SCHEMA_FILE).read_text("utf-8"))
    used = set()
    for component in schema["$defs"].values():
        _keywords(component, used)
    assert not used & PROSE
    assert not any(key.startswith("x-") for key in used)
    assert {"type", "enum", "required", "additionalProperties", "oneOf", "anyOf", "$ref", "discriminator",
            "deprecated", "maxItems", "minItems", "maxLength", "minimum", "maximum"} <= used
    # a property that happens to be called "description" survives: it is data, not prose
    assert "description" in schema["$defs"]["ChatJsonSchemaConfig"]["properties"]


def test_reduce_schema_drops_prose_and_rewrites_refs():
    node = {"type": "object", "title": "T", "description": "d", "example": {"a": 1}, "x-speakeasy": 1,
            "properties": {"description": {"type": "string", "description": "prose"},
                           "m": {"$ref": "#/components/schemas/M", "deprecated": True}},
            "discriminator": {"propertyName": "k", "mapping": {"a": "#/components/schemas/A"}}}
    assert reduce_schema(node) == {
        "type": "object",
        "properties": {"description": {"type": "string"}, "m": {"$ref": "#/$defs/M", "deprecated": True}},
        "discriminator": {"propertyName": "k", "mapping": {"a": "#/$defs/A"}}}


def test_only_components_reachable_from_chat_completions_are_kept():
    document = {"openapi": "3.1.0", "paths": {"/chat/completions": {"post": {
        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
        "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Res"}}}}}}}},
        "components": {"schemas": {"Req": {"properties": {"p": {"$ref": "#/components/schemas/P"}}},
                                   "P": {"type": "string"}, "Res": {}, "Unused": {}}}}
    assert reachable_components(document) == ["P", "Req", "Res"]


@pytest.mark.parametrize("text, words", [(b"[1, 2]", "not an OpenAPI document"), (b"\xff", "not UTF-8"),
                                         (b"{bad json", "invalid JSON")])
def test_bad_sources_are_vendor_errors(text, words):
    with pytest.raises(VendorError, match=words):
        parse_document(text, "source")


def test_vendor_cli_refuses_plain_http_and_missing_files(tmp_path):
    assert run_cli("schema", "vendor", "http://example.com/openapi.yaml", "--dir", str(tmp_path)).code == 2
    result = run_cli("schema", "vendor", str(tmp_path / "nope.yaml"), "--dir", str(tmp_path))
    assert result.code == 2 and "could not read" in result.err and "Traceback" not in result.err
