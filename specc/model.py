"""The spec format, v1: the top-level keys of a spec file, as a pydantic model.

`request` is the chat-completions body in OpenRouter's vocabulary and is validated
against the vendored schema by `schema.py`, not here. This model checks the spec's
own keys, gives them types, and is the source of `schemas/spec.schema.json`.
Linting reads the keys through `specfile.py`, which needs this model only for the
messages about a wrong value.
"""

from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .diagnostics import Diagnostic, core
from .expect import Expect
from .load import Document
from .pointers import path_text, value_at

ENDPOINTS = ("chat/completions",)


class Spec(BaseModel):
    """One OpenRouter request, as a team keeps it in version control."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    request: dict[str, Any] = Field(
        description="The chat-completions body, exactly as OpenRouter's API documents it.")
    name: Optional[str] = Field(None, description="A short name; defaults to the file's stem.")
    description: Optional[str] = Field(None, description="What this request is for.")
    extends: Union[str, list[str], None] = Field(
        None, description="Base spec(s), relative paths, deep-merged under this one (later bases win).")
    abstract: bool = Field(
        False, description="A base only: checked for what it holds (not for what a complete request needs); "
                           "never sent, recorded or collected as a test. Not inherited.")
    vars: Optional[dict[str, Union[str, int, float, bool]]] = Field(
        None, description="Defaults for {{ name }} placeholders in request strings; --var overrides.")
    matrix: Optional[dict[str, Any]] = Field(
        None, description="Variants of the request: a name ({{ name }} placeholder, or a request path such as "
                          "request.model) mapped to a list of values; the variants are the cross product, with "
                          "`include:`/`exclude:` lists of combinations to add or drop (GitHub Actions' rules).")
    headers: Optional[dict[str, str]] = Field(
        None, description="Extra request headers (HTTP-Referer, X-OpenRouter-Title, ...). Never Authorization.")
    endpoint: Literal["chat/completions"] = Field(
        "chat/completions", description="The API endpoint, relative to the base URL.")
    expect: Optional[Expect] = Field(
        None, description="Assertions on the response, checked on send and on replay.")
    cassette: Optional[str] = Field(
        None, description="Path of this spec's cassette, relative to the spec file.")


def validate_fields(doc: Document, fields: dict[str, Any]) -> tuple[Spec | None, list[Diagnostic]]:
    """The known keys' values through the model: a Spec, or one E008 per offending value."""
    try:
        return Spec.model_validate(fields), []
    except ValidationError as exc:
        assert doc.data is not None
        return None, _explain_validation(doc, doc.data, exc)


# What a pydantic type error expects, in the words of YAML/JSON.
_EXPECTED = {"string_type": "a string", "int_type": "an integer", "int_from_float": "an integer",
             "float_type": "a number", "bool_type": "a boolean", "dict_type": "a mapping", "model_type": "a mapping", "list_type": "a list"}


def _explain_validation(doc: Document, data: dict[str, Any], exc: ValidationError) -> list[Diagnostic]:
    """One E008 per offending value; a union's failed members become one "must be X or Y"."""
    expected: dict[tuple[str | int, ...], list[str]] = {}
    other: dict[tuple[str | int, ...], str] = {}
    for error in exc.errors():
        # pydantic adds the union member or type to the location; keep the part that is in the data
        pointer = _existing_prefix(data, tuple(error["loc"]))
        word = _EXPECTED.get(error["type"])
        if word:
            expected.setdefault(pointer, [])
            if word not in expected[pointer]:
                expected[pointer].append(word)
        else:
            other.setdefault(pointer, error["msg"])
    problems = []
    for pointer in [*expected, *(p for p in other if p not in expected)]:
        where = path_text(pointer) or "spec"
        if pointer and pointer[0] == "request":
            message = "request must be a mapping (the chat-completions body)"
        elif pointer in expected:
            words = expected[pointer]
            wanted = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
            message = f"{where} must be {wanted}, not {_kind(value_at(data, pointer))}"
        else:
            message = f"{where}: {other[pointer]}"
        problems.append(core("E008", message, doc.span_of(pointer), pointer=pointer))
    return problems


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "a mapping"


def _existing_prefix(data: Any, pointer: tuple[str | int, ...]) -> tuple[str | int, ...]:
    out = []
    node = data
    for step in pointer:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            break
        out.append(step)
    return tuple(out)


def spec_json_schema(request_schema_ref: str) -> dict[str, Any]:
    """The JSON Schema of the spec format, with `request` pointing at the request schema."""
    schema = Spec.model_json_schema()
    schema["properties"]["request"] = {"$ref": request_schema_ref, "description": schema["properties"]["request"].get("description", "")}
    schema["required"] = ["request"]
    return schema
