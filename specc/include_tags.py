"""specc's include tags (`!file`, `!data-url`, `!base64`) as an editor's schema sees them: a YAML
editor reads a tagged scalar as its text, so wherever data may stand the schema also accepts the
tag's path (`accept_include_tags`), and `without_include_tags` takes that out again for loaded
data, where every include has been read."""

from __future__ import annotations

from typing import Any

INCLUDED_DATA = "SpeccIncludedData"
INCLUDED_DATA_SCHEMA: dict[str, Any] = {
    "type": "string",
    # `!file` parses these suffixes as data (load.include_file); any other file is text, a string.
    "pattern": r"\.(?:[jJ][sS][oO][nN]|[yY][aA]?[mM][lL])\s*$",
    "description": "`!file path.json` (or .yaml, .yml): data read from that file. A YAML editor sees "
                   "the tag's text, the path; specc reads the file.",
}
_INCLUDED_REF = {"$ref": f"#/$defs/{INCLUDED_DATA}"}
# Keywords whose value is a schema for a value in the instance (where a tagged scalar may stand).
_POSITION_MAPS = ("properties", "patternProperties")
_POSITION_ONE = ("additionalProperties", "items", "unevaluatedProperties", "unevaluatedItems")
# Keywords holding schemas that apply to the same value (walked, never wrapped themselves).
_SAME_VALUE = ("anyOf", "oneOf", "allOf", "then", "else", "if", "dependentSchemas")
_ANNOTATIONS = ("title", "description", "default", "deprecated")


def accept_include_tags(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of `document` in which every value that cannot be a string may also be the text of a
    `!file` tag that reads data (a `.json`, `.yaml` or `.yml` path).

    To a YAML editor, `schema: !file invoice.json` is the string `invoice.json`: with the tags
    declared (VS Code's `yaml.customTags`) it is a tagged scalar, checked as a string. Positions
    that already take a string need nothing: `!file prompt.md`, `!data-url` and `!base64` give
    strings, and a path is a string there too. Everything else, an object, a list, a number,
    accepts `anyOf: [its schema, SpeccIncludedData]`, so a misspelt key or a wrong type is
    still flagged everywhere. `without_include_tags` undoes this exactly."""
    defs = document.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _POSITION_MAPS and isinstance(value, dict):
                out[key] = {name: position(sub) for name, sub in value.items()}
            elif key in _POSITION_ONE and isinstance(value, dict):
                out[key] = position(value)
            elif key == "prefixItems" and isinstance(value, list):
                out[key] = [position(sub) for sub in value]
            elif key == "$defs" and isinstance(value, dict):
                out[key] = {name: walk(sub) for name, sub in value.items()}
            elif key in _SAME_VALUE:
                out[key] = {name: walk(sub) for name, sub in value.items()} if isinstance(value, dict) else walk(value)
            else:
                out[key] = value
        return out

    def position(sub: Any) -> Any:
        walked = walk(sub)
        if _takes_a_string(walked, defs, set()):
            return walked
        # Annotations stay on the outside, where an editor's hover looks for them.
        notes = {key: walked[key] for key in _ANNOTATIONS if isinstance(walked, dict) and key in walked}
        inner = {key: value for key, value in walked.items() if key not in notes} if isinstance(walked, dict) else walked
        return {"anyOf": [inner, dict(_INCLUDED_REF)], **notes}

    result: dict[str, Any] = walk(document)  # a mapping walks to a mapping
    result.setdefault("$defs", {})[INCLUDED_DATA] = dict(INCLUDED_DATA_SCHEMA)
    return result


def _takes_a_string(schema: Any, defs: dict[str, Any], seen: set[str]) -> bool:
    """Whether some string is valid against `schema` (looking through `$ref`s and alternatives)."""
    if schema is True or schema == {}:
        return True
    if not isinstance(schema, dict):
        return False
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        name = ref[len("#/$defs/"):]
        if name in seen:
            return False
        if not _takes_a_string(defs.get(name, {}), defs, seen | {name}):
            return False
    if "const" in schema:
        return isinstance(schema["const"], str)
    if "enum" in schema:
        return any(isinstance(value, str) for value in schema["enum"])
    types = schema.get("type")
    if types is not None and "string" not in (types if isinstance(types, list) else [types]):
        return False
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list) and not any(_takes_a_string(s, defs, seen) for s in schema[key]):
            return False
    if isinstance(schema.get("allOf"), list) and not all(_takes_a_string(s, defs, seen) for s in schema["allOf"]):
        return False
    return True


def without_include_tags(schema: Any) -> Any:
    """`schema` without what `accept_include_tags` added: the schema of loaded data, where every
    `!file` has been read (the spec keys' compiled validator checks that)."""
    if isinstance(schema, list):
        return [without_include_tags(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    alternatives = schema.get("anyOf")
    if (isinstance(alternatives, list) and len(alternatives) == 2 and alternatives[1] == _INCLUDED_REF
            and all(key == "anyOf" or key in _ANNOTATIONS for key in schema)):
        inner = without_include_tags(alternatives[0])
        notes = {key: value for key, value in schema.items() if key != "anyOf"}
        return {**inner, **notes} if isinstance(inner, dict) else inner
    out = {key: without_include_tags(value) for key, value in schema.items()}
    if isinstance(out.get("$defs"), dict):
        out["$defs"] = {name: sub for name, sub in out["$defs"].items() if name != INCLUDED_DATA}
    return out
