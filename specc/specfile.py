"""A spec file's own keys as plain data, checked without importing pydantic.

The pydantic model in `model.py` is the spec format's definition: it types the keys
for the library API and generates `schemas/spec.schema.json`. Importing pydantic and
building those models is about a third of a one-file lint, so linting checks a spec's
keys against that generated schema with the compiled validator (`SpecKeys`) instead,
and turns to the pydantic model only when it says no (for its exact messages), when
an `expect:` block is present (its regexes are checked by code, not by the schema),
or when a typed `Spec` is asked for (`SpecFile.typed`). A test holds the two
validators to the same answer on every fixture and on generated key values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, core
from .suggest import did_you_mean

if TYPE_CHECKING:
    from .load import Document
    from .model import Spec

DEFAULT_ENDPOINT = "chat/completions"


@dataclass
class SpecFile:
    """The keys of one valid spec: `request` is the body before placeholders are filled."""

    request: dict[str, Any]
    name: str | None = None
    description: str | None = None
    extends: str | list[str] | None = None
    abstract: bool = False  # a base only: checked for what it holds, never sent, recorded or tested
    vars: dict[str, str | int | float | bool] | None = None
    matrix: dict[str, Any] | None = None  # variants of the request (matrix.py)
    headers: dict[str, str] | None = None
    endpoint: str = DEFAULT_ENDPOINT
    expect: Any = None  # a typed `expect.Expect`: specs with `expect:` are always read through the model
    cassette: str | None = None
    _typed: Spec | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_typed(cls, spec: Spec) -> SpecFile:
        return cls(**{key: getattr(spec, key) for key in SPEC_KEYS}, _typed=spec)

    def typed(self) -> Spec:
        """The pydantic `Spec` of these keys (built on first use; imports pydantic)."""
        if self._typed is None:
            from .model import Spec

            values = {key: getattr(self, key) for key in SPEC_KEYS}
            self._typed = Spec.model_validate(values)
        return self._typed


# The top-level keys of a spec, in order: SpecFile's fields, defined once above. The pydantic model
# repeats them with their descriptions (it makes spec.schema.json, and the lint path never imports
# it); tests/test_specfile.py keeps the two the same, in the same order.
SPEC_KEYS = tuple(f.name for f in fields(SpecFile) if not f.name.startswith("_"))


class SpecKeys:
    """The compiled validator of a spec's own keys, from `spec.schema.json` (request: any mapping)."""

    def __init__(self, spec_schema: dict[str, Any]):
        import jsonschema_rs

        from .include_tags import without_include_tags

        # Only the spec's own keys are checked here (`request` is any mapping), against the
        # definitions they use, and on loaded data, where every `!file` has been read: the format
        # itself, not the editor's view of it.
        properties = {**spec_schema["properties"], "request": {"type": "object"}}
        own = {key: value for key, value in spec_schema.items() if key not in ("$defs", "if", "then", "else")}
        schema = {**own, "properties": properties, "$defs": _reachable_defs(properties, spec_schema.get("$defs", {}))}
        schema = without_include_tags(schema)
        self._validator = jsonschema_rs.Draft202012Validator(schema)

    @classmethod
    def from_file(cls, path: Path) -> SpecKeys | None:
        """The validator for the spec schema at `path`; None when it is missing or unreadable."""
        try:
            return cls(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def is_valid(self, fields: dict[str, Any]) -> bool:
        return self._validator.is_valid(fields)


def _reachable_defs(schema: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The definitions `schema` refers to, directly or through each other."""
    found: dict[str, Any] = {}
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                name = ref[len("#/$defs/"):]
                if name not in found and name in defs:
                    found[name] = defs[name]
                    stack.append(defs[name])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def key_problems(doc: Document) -> list[Diagnostic]:
    """Unknown keys (E002), a missing `request:` (E006) and an Authorization header (E008)."""
    data = doc.data
    assert data is not None
    problems: list[Diagnostic] = []
    for key in data:
        if key not in SPEC_KEYS:
            message = f"unknown spec key {key!r}{did_you_mean(key, SPEC_KEYS)} (spec keys: {', '.join(SPEC_KEYS)})"
            problems.append(core("E002", message, doc.span_of((key,), key=True), pointer=(key,)))
    if "request" not in data:
        # A misspelt `request:` says it best; otherwise this is not a spec at all, and one diagnostic says so.
        problems = [p for p in problems if "did you mean 'request'" in p.message] or [
            core("E006", "not a spec: the top-level `request:` key is missing", doc.span_of(()))]
    headers = data.get("headers")
    if isinstance(headers, dict):
        for header in headers:
            if isinstance(header, str) and header.lower() == "authorization":
                problems.append(core(
                    "E008", "an Authorization header does not belong in a spec: the key comes from "
                    "OPENROUTER_API_KEY in the environment", doc.span_of(("headers", header), key=True),
                    pointer=("headers", header)))
    return problems


def read_spec(doc: Document, default_name: str, keys: SpecKeys | None = None) -> tuple[SpecFile | None, list[Diagnostic]]:
    """The document's spec keys, checked, and the problems found in them.

    Every independent problem is reported in one run: an unknown key (E002) or a key with a
    wrong value (E008) is reported and left out, and the request is still checked; only a
    spec without a usable `request:` gives no SpecFile. With `keys`, a spec the compiled
    validator accepts never touches pydantic."""
    problems = key_problems(doc)
    data = doc.data
    assert data is not None
    if "request" not in data:
        return None, problems
    fields = {k: v for k, v in data.items() if k in SPEC_KEYS}
    fields.setdefault("name", default_name)
    if keys is not None and fields.get("expect") is None and keys.is_valid(fields):
        return SpecFile(**fields), problems
    from .model import validate_fields

    typed, value_problems = validate_fields(doc, fields)
    problems += value_problems
    if typed is None:
        # Check the request without the keys whose values are wrong (absent, never guessed at).
        wrong = {p.pointer[0] for p in value_problems if p.pointer}
        if "request" in wrong or not wrong:
            return None, problems
        kept = {k: v for k, v in fields.items() if k not in wrong}
        kept.setdefault("name", default_name)
        typed, _ = validate_fields(doc, kept)
    return (SpecFile.from_typed(typed) if typed is not None else None), problems


def build_spec(doc: Document, default_name: str) -> tuple[Spec | None, list[Diagnostic]]:
    """The document's spec keys as the typed `Spec` (pydantic), and the problems found in them."""
    spec, problems = read_spec(doc, default_name)
    return (spec.typed() if spec is not None else None), problems
