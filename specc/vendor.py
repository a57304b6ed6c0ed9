"""Reduce OpenRouter's OpenAPI document to the structural schema specc validates against.

`specc schema vendor SOURCE` keeps only the components reachable from the
``/chat/completions`` operation (its request body and every response), and inside
them only the keywords that constrain data. Descriptions, examples, titles and
vendor extensions are dropped, so the result carries facts (names, types, enums,
bounds) and none of the upstream prose.
"""

from __future__ import annotations

from .errors import SpeccError

import datetime as _dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OPERATION_PATH = "/chat/completions"
COMPONENT_PREFIX = "#/components/schemas/"
DEFS_PREFIX = "#/$defs/"

# Keywords whose value is a single subschema, a list of subschemas, or a map of them.
_SUBSCHEMA_KEYWORDS = {"items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else"}
_SUBSCHEMA_LIST_KEYWORDS = {"oneOf", "anyOf", "allOf", "prefixItems"}
_SUBSCHEMA_MAP_KEYWORDS = {"properties", "patternProperties", "$defs", "dependentSchemas"}
# Keywords kept verbatim: they are facts about the data, not prose.
_VALUE_KEYWORDS = {
    "type", "enum", "const", "required", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern", "format",
    "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
    "dependentRequired", "deprecated", "default",
}

SCHEMA_FILE = "openrouter.schema.json"
LOCK_FILE = "openrouter.lock.json"

# The stream's event payload is the `data` property of the operation's event-stream schema.
STREAM_CHUNK = "ChatStreamChunk"


class VendorError(SpeccError):
    """The source could not be read or is not an OpenAPI document specc understands."""


@dataclass(frozen=True)
class VendorResult:
    schema: dict[str, Any]
    lock: dict[str, Any]


def _rewrite_ref(ref: str) -> str:
    if not ref.startswith(COMPONENT_PREFIX):
        raise VendorError(f"unsupported $ref {ref!r}: only local component references are understood")
    return DEFS_PREFIX + ref[len(COMPONENT_PREFIX):]


def reduce_schema(node: Any) -> Any:
    """Return `node` with only structural keywords, `$ref`s rewritten to `#/$defs/`."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref":
            out[key] = _rewrite_ref(value)
        elif key in _VALUE_KEYWORDS:
            out[key] = value
        elif key in _SUBSCHEMA_KEYWORDS:
            out[key] = reduce_schema(value) if isinstance(value, dict) else value
        elif key in _SUBSCHEMA_LIST_KEYWORDS:
            out[key] = [reduce_schema(item) for item in value]
        elif key in _SUBSCHEMA_MAP_KEYWORDS:
            out[key] = {name: reduce_schema(sub) for name, sub in value.items()}
        elif key == "discriminator":
            disc: dict[str, Any] = {"propertyName": value["propertyName"]}
            if "mapping" in value:
                disc["mapping"] = {k: _rewrite_ref(v) for k, v in value["mapping"].items()}
            out[key] = disc
        # Everything else (description, example(s), title, x-*) is prose or tooling hints.
    return out


def _collect_refs(node: Any, into: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                into.add(value)
            elif key == "discriminator" and isinstance(value, dict):
                into.update(value.get("mapping", {}).values())
            else:
                _collect_refs(value, into)
    elif isinstance(node, list):
        for item in node:
            _collect_refs(item, into)
    return into


def reachable_components(document: dict[str, Any]) -> list[str]:
    """Names of the components reachable from the chat-completions operation, sorted."""
    try:
        operation = document["paths"][OPERATION_PATH]["post"]
        components = document["components"]["schemas"]
    except (KeyError, TypeError) as exc:
        raise VendorError(f"not an OpenRouter OpenAPI document: missing {exc}") from None
    roots = _collect_refs({"body": operation.get("requestBody"), "responses": operation.get("responses")}, set())
    seen: set[str] = set()
    pending = [ref for ref in roots if ref.startswith(COMPONENT_PREFIX)]
    while pending:
        name = pending.pop()[len(COMPONENT_PREFIX):]
        if name in seen:
            continue
        if name not in components:
            raise VendorError(f"dangling reference to component {name!r}")
        seen.add(name)
        pending.extend(ref for ref in _collect_refs(components[name], set()) if ref.startswith(COMPONENT_PREFIX))
    return sorted(seen)


def _content_ref(content: dict[str, Any] | None, media_type: str) -> str | None:
    ref = ((content or {}).get(media_type) or {}).get("schema", {}).get("$ref")
    return ref[len(COMPONENT_PREFIX):] if isinstance(ref, str) and ref.startswith(COMPONENT_PREFIX) else None


def entry_points(document: dict[str, Any]) -> dict[str, Any]:
    """Which component validates the request, the JSON result, a stream chunk and each error status."""
    operation = document["paths"][OPERATION_PATH]["post"]
    responses = operation.get("responses", {})
    ok = responses.get("200", {}).get("content")
    points = {
        "request": _content_ref(operation.get("requestBody", {}).get("content"), "application/json"),
        "response": _content_ref(ok, "application/json"),
        "stream_chunk": STREAM_CHUNK,
        "errors": {
            status: name
            for status, response in sorted(responses.items())
            if status != "200" and (name := _content_ref(response.get("content"), "application/json"))
        },
    }
    components = document["components"]["schemas"]
    for key in ("request", "response", "stream_chunk"):
        if points[key] not in components:
            raise VendorError(f"the document lacks the {key} schema specc needs ({points[key]!r})")
    return points


def vendor(document: dict[str, Any], source: str, source_bytes: bytes, today: _dt.date | None = None) -> VendorResult:
    """Reduce a parsed OpenAPI document; `source_bytes` is hashed into the lock."""
    import hashlib  # here, not on import: `schema` takes this module's file names on every lint

    names = reachable_components(document)
    components = document["components"]["schemas"]
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "Generated by `specc schema vendor` from OpenRouter's OpenAPI document; do not edit. "
        "Project knowledge the upstream document lacks goes in overlay.yaml.",
        "$defs": {name: reduce_schema(components[name]) for name in names},
    }
    lock = {
        "source": source,
        "date": (today or _dt.date.today()).isoformat(),
        "sha256": hashlib.sha256(source_bytes).hexdigest(),
        "openapi": document.get("openapi"),
        "api_version": (document.get("info") or {}).get("version"),
        "components": len(names),
        "entry_points": entry_points(document),
    }
    return VendorResult(schema=schema, lock=lock)


def read_source(source: str, timeout: float = 30.0) -> bytes:
    """Read an OpenAPI document from a local path or an https URL (through `specc.http`: a redirect is
    reported with where it points, not followed)."""
    if source.startswith("https://"):
        import httpx  # only this command touches the network

        from .http import make_client

        try:
            with make_client(timeout) as client:
                response = client.get(source)
            if response.is_redirect:  # specc.http follows no redirect: name where it points instead
                location = response.headers.get("location", "")
                raise VendorError(f"could not fetch {source}: it redirects (HTTP {response.status_code})"
                                  f"{f' to {location}' if location else ''}; pass the final URL")
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise VendorError(f"could not fetch {source}: {exc}") from None
        return response.content
    if source.startswith("http://"):
        raise VendorError("refusing plain http:// for a schema source; use https://")
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise VendorError(f"could not read {source}: {exc.strerror or exc}") from None


def parse_document(data: bytes, source: str) -> dict[str, Any]:
    """Parse JSON or YAML OpenAPI text with the fast C loader."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise VendorError(f"{source} is not UTF-8 text") from None
    if text.lstrip().startswith("{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise VendorError(f"{source}: invalid JSON: {exc}") from None
    else:
        from ruamel.yaml import YAML
        from ruamel.yaml.error import YAMLError

        try:
            document = YAML(typ="safe", pure=False).load(text)
        except YAMLError as exc:
            raise VendorError(f"{source}: invalid YAML: {exc}") from None
    if not isinstance(document, dict) or "openapi" not in document:
        raise VendorError(f"{source} is not an OpenAPI document (no top-level 'openapi' key)")
    return document


def dump_json(data: Any) -> str:
    """Stable JSON text for committed files: sorted-free (order kept), 2-space indent, newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
