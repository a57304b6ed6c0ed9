"""OpenRouter's schema: the vendored document plus specc's overlay, and validation against it.

Validation has a fast path and a slow path. A compiled validator (jsonschema-rs)
answers valid/invalid in microseconds; only an invalid body is validated again
with `jsonschema` (Draft 2020-12) to produce errors a person can act on. Both are
built once per process from the same schema and passed around in a `SchemaSet`.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

from .vendor import LOCK_FILE, SCHEMA_FILE

OVERLAY_FILE = "overlay.yaml"
SPEC_SCHEMA_FILE = "spec.schema.json"


def default_schema_dir() -> Path:
    """The schemas shipped in the package, or those of the checkout when running from source."""
    packaged = resources.files("specc") / "schemas"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "schemas"


class SchemaError(Exception):
    """The schema files are missing or broken (an installation problem, not a user's spec)."""


def apply_overlay(defs_schema: dict[str, Any], overlay: list[dict[str, Any]]) -> dict[str, Any]:
    """Apply overlay entries (`set`, `merge`, `remove` at a JSON pointer) to a copy of the schema."""
    schema = copy.deepcopy(defs_schema)
    for entry in overlay:
        op = next((name for name in ("set", "merge", "remove") if name in entry), None)
        if op is None:
            raise SchemaError(f"overlay entry without set/merge/remove: {entry}")
        parts = [part.replace("~1", "/").replace("~0", "~") for part in entry[op].strip("/").split("/")]
        parent = schema
        for part in parts[:-1]:
            if part not in parent:
                raise SchemaError(f"overlay pointer {entry[op]} does not exist in the vendored schema")
            parent = parent[part]
        last = parts[-1]
        if op == "set":
            parent[last] = entry["value"]
        elif op == "remove":
            parent.pop(last, None)
        else:
            target = parent.setdefault(last, {})
            _merge_into(target, entry["value"])
    return schema


def _merge_into(target: dict, extra: dict) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge_into(target[key], value)
        else:
            target[key] = value


@dataclass
class SchemaSet:
    """The prepared schemas and validators; build once (`SchemaSet.load()`), pass everywhere."""

    defs: dict[str, Any]
    lock: dict[str, Any]
    digest: str
    _validators: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, schema_dir: Path | None = None) -> SchemaSet:
        folder = schema_dir or default_schema_dir()
        try:
            vendored_text = (folder / SCHEMA_FILE).read_text("utf-8")
            lock = json.loads((folder / LOCK_FILE).read_text("utf-8"))
            overlay_text = (folder / OVERLAY_FILE).read_text("utf-8") if (folder / OVERLAY_FILE).exists() else "[]"
        except OSError as exc:
            raise SchemaError(f"cannot read the vendored schema in {folder}: {exc}") from None
        from .files import LoadError
        from .load import load_yaml_data

        try:
            overlay = load_yaml_data(overlay_text, folder / OVERLAY_FILE, OVERLAY_FILE) or []
            schema = apply_overlay(json.loads(vendored_text), overlay)
        except (LoadError, ValueError) as exc:
            raise SchemaError(f"the schema files in {folder} are broken: {exc}") from None
        digest = hashlib.sha256((vendored_text + "\0" + overlay_text).encode()).hexdigest()
        return cls(defs=schema["$defs"], lock=lock, digest=digest)

    # -------------------------------------------------------------- entry points

    @property
    def entry_points(self) -> dict[str, Any]:
        return self.lock["entry_points"]

    def root_for(self, name: str) -> dict[str, Any]:
        """A standalone Draft 2020-12 schema whose root is the component `name`."""
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": self.defs, "$ref": f"#/$defs/{name}"}

    @cached_property
    def request_name(self) -> str:
        return self.entry_points["request"]

    @cached_property
    def request_properties(self) -> frozenset[str]:
        """Top-level request fields known to the schema or the overlay."""
        return frozenset(self.defs[self.request_name].get("properties", {}))

    def deprecated_request_fields(self) -> frozenset[str]:
        props = self.defs[self.request_name].get("properties", {})
        return frozenset(name for name, sub in props.items() if self._is_deprecated(sub))

    def _is_deprecated(self, sub: dict) -> bool:
        if sub.get("deprecated"):
            return True
        ref = sub.get("$ref")
        return bool(ref and self.defs.get(ref.rsplit("/", 1)[-1], {}).get("deprecated"))

    # -------------------------------------------------------------- validators

    def fast(self, name: str) -> Any:
        """The compiled validator for component `name` (jsonschema-rs)."""
        key = "fast:" + name
        if key not in self._validators:
            import jsonschema_rs

            self._validators[key] = jsonschema_rs.Draft202012Validator(self.root_for(name))
        return self._validators[key]

    def slow(self, name: str) -> Any:
        """The reference validator for component `name` (jsonschema), for readable errors."""
        key = "slow:" + name
        if key not in self._validators:
            import jsonschema

            self._validators[key] = jsonschema.Draft202012Validator(self.root_for(name))
        return self._validators[key]

    def is_valid(self, name: str, instance: Any) -> bool:
        return self.fast(name).is_valid(instance)

    def errors(self, name: str, instance: Any) -> list[SchemaProblem]:
        """Readable problems for `instance`; empty when valid. Uses the fast path first."""
        fast = self.fast(name)
        if fast.is_valid(instance):
            return []
        from .schema_errors import explain, explain_plain

        fast_errors = list(fast.iter_errors(instance))
        plain = explain_plain(self, fast_errors, instance)
        if plain is not None:
            return plain
        return explain(self, self.focused(name, fast_errors, instance), instance)

    def focused(self, name: str, fast_errors: list[Any], instance: Any) -> Any:
        """The slow validator for `name`, told to skip the top-level properties the fast one found valid.

        The pure-Python validator spends milliseconds walking a long conversation to find
        a wrong `temperature`. Properties are validated independently of each other, so
        replacing the subschema of every property without an error by `{}` leaves the
        errors, their order and their wording unchanged. References still resolve against
        the whole document: the validator is evolved from the full one."""
        full = self.slow(name)
        component = self.defs.get(name)
        if not isinstance(instance, dict) or not isinstance(component, dict) or not isinstance(component.get("properties"), dict):
            return full
        failing = {error.instance_path[0] for error in fast_errors if error.instance_path}
        properties = {key: (sub if key in failing else {}) for key, sub in component["properties"].items()}
        return full.evolve(schema={**component, "properties": properties})


@dataclass(frozen=True)
class SchemaProblem:
    """One schema violation: where in the instance, what to say, and whether it is about a key."""

    pointer: tuple
    message: str
    on_key: bool = False
    validator: str = ""


def iter_json_pointers(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from iter_json_pointers(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from iter_json_pointers(item, (*prefix, index))


def spec_schema_document(schemas: SchemaSet) -> dict[str, Any]:
    """`schemas/spec.schema.json`: the spec format (from the pydantic model) with `request`
    resolved against OpenRouter's request schema (vendored + overlay), self-contained for editors."""
    from .model import spec_json_schema

    document = spec_json_schema(f"#/$defs/{schemas.request_name}")
    own_defs = document.pop("$defs", {})
    clash = set(own_defs) & set(schemas.defs)
    if clash:
        raise SchemaError(f"spec model definitions clash with OpenRouter's: {sorted(clash)}")
    ordered = {"$schema": "https://json-schema.org/draft/2020-12/schema",
               "$id": "https://github.com/specc/specc/schemas/spec.schema.json",
               "$comment": "Generated by `specc schema spec` from specc.model.Spec and the vendored schema; do not edit."}
    ordered.update(document)
    ordered["$defs"] = {**own_defs, **schemas.defs}
    return ordered
