"""OpenRouter's schema: the vendored document plus specc's overlay, and validation against it.

Validation has a fast path and a slow path. A compiled validator (jsonschema-rs)
answers valid/invalid in microseconds; only an invalid body is validated again
with `jsonschema` (Draft 2020-12) to produce errors a person can act on. Both are
built once per process from the same schema and passed around in a `SchemaSet`.
"""

from __future__ import annotations

from .errors import SpeccError

import copy
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from .vendor import LOCK_FILE, SCHEMA_FILE

if TYPE_CHECKING:
    from .schema_errors import SchemaProblem

OVERLAY_FILE = "overlay.yaml"
SPEC_SCHEMA_FILE = "spec.schema.json"


def default_schema_dir() -> Path:
    """The schemas shipped in the package, or those of the checkout when running from source.

    Found beside this file rather than through `importlib.resources`, whose imports (zipfile,
    tempfile...) were 10 ms of a one-file lint (issue 21): specc is always installed as files."""
    packaged = Path(__file__).parent / "schemas"  # what `resources.files("specc") / "schemas"` gave
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "schemas"


class SchemaError(SpeccError):
    """The schema files are missing or broken (an installation problem, not a user's spec)."""


OVERLAY_OPS = ("set", "merge", "append", "remove")


def apply_overlay(defs_schema: dict[str, Any], overlay: list[dict[str, Any]], strict: bool = True,
                  skipped: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Apply overlay entries (`set`, `merge`, `append`, `remove` at a JSON pointer) to a copy of the schema.

    `strict=False` (specc's overlay on a schema vendored from another upstream version) skips an
    entry whose pointer the schema lacks instead of failing; `skipped` collects those entries.

    Only the mappings on the way to a patched place are copied; the rest of the copy is shared
    with `defs_schema`, which is never changed. (A deep copy of the 95 KB schema, twice, was
    8 ms of every lint run, issue 21.)"""
    schema = dict(defs_schema)
    owned = _Owned(schema)
    for entry in overlay:
        if not isinstance(entry, dict):
            raise SchemaError(f"overlay entry is not a mapping: {entry!r}")
        op = next((name for name in OVERLAY_OPS if name in entry), None)
        if op is None:
            raise SchemaError(f"overlay entry without {'/'.join(OVERLAY_OPS)}: {entry}")
        try:
            _apply_entry(schema, entry, op, owned)
        except SchemaError:
            if strict:
                raise
            if skipped is not None:
                skipped.append(entry)
    return schema


def entry_pointer(entry: dict[str, Any]) -> str:
    """The JSON pointer an overlay entry patches."""
    op = next((name for name in OVERLAY_OPS if name in entry), None)
    return str(entry[op]) if op else ""


class _Owned:
    """The mappings of an overlaid schema that are its own copies (safe to change), by identity;
    every other mapping in it is shared with the schema it was made from."""

    def __init__(self, root: dict[str, Any]) -> None:
        self._copies = {id(root): root}  # holding the copies keeps their ids from being reused

    def child(self, parent: dict[str, Any], key: str) -> Any:
        """`parent[key]`, copied into `parent` first when it is a shared mapping."""
        value = parent[key]
        if isinstance(value, dict) and id(value) not in self._copies:
            value = parent[key] = dict(value)
            self._copies[id(value)] = value
        return value


def _apply_entry(schema: dict[str, Any], entry: dict[str, Any], op: str, owned: _Owned) -> None:
    if not isinstance(entry[op], str):
        raise SchemaError(f"overlay pointer {entry[op]!r} is not a string")
    parts = [part.replace("~1", "/").replace("~0", "~") for part in entry[op].strip("/").split("/")]
    parent = schema
    for part in parts[:-1]:
        if not isinstance(parent, dict) or part not in parent:
            raise SchemaError(f"overlay pointer {entry[op]} does not exist in the vendored schema")
        parent = owned.child(parent, part)
    if not isinstance(parent, dict):
        raise SchemaError(f"overlay pointer {entry[op]} does not exist in the vendored schema")
    last = parts[-1]
    if op == "set":
        parent[last] = copy.deepcopy(entry["value"])
    elif op == "remove":
        parent.pop(last, None)
    elif op == "append":  # more alternatives for an upstream list, which stays upstream's
        if not isinstance(parent.get(last), list):
            raise SchemaError(f"overlay pointer {entry[op]} is not a list in the vendored schema")
        parent[last] = [*parent[last], *(copy.deepcopy(v) for v in entry["value"] if v not in parent[last])]
    else:
        parent.setdefault(last, {})
        target = owned.child(parent, last)
        if not isinstance(target, dict) or not isinstance(entry.get("value"), dict):
            raise SchemaError(f"overlay merge at {entry[op]} needs mappings on both sides")
        _merge_into(target, copy.deepcopy(entry["value"]), owned)


def _merge_into(target: dict[str, Any], extra: dict[str, Any], owned: _Owned) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge_into(owned.child(target, key), value, owned)
        else:
            target[key] = value


TEAM_OVERLAY_DEFAULT = "specc-overlay.yaml"


@dataclass
class SchemaLayers:
    """What a schema in use is made of: the vendored schema and its lock, specc's overlay (always
    applied, wherever the vendored schema lives) and the team's own overlay (applied after)."""

    vendored: dict[str, Any]
    lock: dict[str, Any]
    folder: Path
    specc_overlay: list[dict[str, Any]]
    team_overlay: list[dict[str, Any]]
    team_overlay_path: Path | None
    digest_of: str  # what `digest` hashes: the texts of the vendored schema and of both overlays
    packaged: bool

    @cached_property
    def digest(self) -> str:
        """The sha256 that tells this schema in use from any other. Hashed on first use: lint never
        asks, and importing hashlib (OpenSSL) was 4 ms of a one-file lint (issue 21)."""
        import hashlib

        return hashlib.sha256(self.digest_of.encode()).hexdigest()

    def applied(self, skipped: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """The vendored schema with both overlays applied. specc's own entries that do not fit a
        schema vendored from another upstream version are skipped (and listed in `skipped`);
        the team's entries are the team's to keep right, so they must fit."""
        try:
            schema = apply_overlay(self.vendored, self.specc_overlay, strict=self.packaged, skipped=skipped)
            return apply_overlay(schema, self.team_overlay)
        except SchemaError as exc:
            raise SchemaError(f"{self.folder}: {exc}") from None

    def with_vendored(self, vendored: dict[str, Any], lock: dict[str, Any]) -> SchemaLayers:
        """The same overlays over another vendored schema (`specc schema diff`'s new one)."""
        from dataclasses import replace

        text = json.dumps(vendored, sort_keys=True)
        return replace(self, vendored=vendored, lock=lock, digest_of=text + "\0" + self.digest, packaged=False)


def read_overlay(path: Path) -> tuple[list[dict[str, Any]], str]:
    """The entries of an overlay file and its text; `SchemaError` (naming the file) when broken."""
    from .files import LoadError
    from .load import load_yaml_data

    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"cannot read the overlay {path}: {exc}") from None
    try:
        entries = load_yaml_data(text, path, path.name) or []
    except LoadError as exc:
        raise SchemaError(f"the overlay {path} is broken: {exc}") from None
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise SchemaError(f"the overlay {path} must be a list of entries (mappings)")
    return entries, text


def load_layers(schema_dir: Path | None = None, team_overlay: Path | None = None) -> SchemaLayers:
    """Read the vendored schema in `schema_dir` (default: the packaged one), specc's overlay and the
    team's overlay file (when `team_overlay` names one that exists)."""
    packaged_dir = default_schema_dir()
    folder = schema_dir or packaged_dir
    try:
        vendored_text = (folder / SCHEMA_FILE).read_text("utf-8")
        lock = json.loads((folder / LOCK_FILE).read_text("utf-8"))
        vendored = json.loads(vendored_text)
    except OSError as exc:
        raise SchemaError(f"cannot read the vendored schema in {folder}: {exc}") from None
    except ValueError as exc:
        raise SchemaError(f"the schema files in {folder} are broken: {exc}") from None
    if not isinstance(vendored, dict) or not isinstance(vendored.get("$defs"), dict) or not isinstance(lock, dict):
        raise SchemaError(f"the schema files in {folder} are broken: no $defs or no lock")
    # specc's overlay is specc's knowledge: it comes with specc, never from the team's schema folder.
    specc_path = packaged_dir / OVERLAY_FILE
    specc_overlay, specc_text = read_overlay(specc_path) if specc_path.exists() else ([], "")
    team_entries: list[dict[str, Any]] = []
    team_text = ""
    if team_overlay is not None and team_overlay.is_file():
        team_entries, team_text = read_overlay(team_overlay)
    digest_of = "\0".join((vendored_text, specc_text, team_text))
    packaged = folder.resolve() == packaged_dir.resolve()
    return SchemaLayers(vendored=vendored, lock=lock, folder=folder, specc_overlay=specc_overlay,
                        team_overlay=team_entries, team_overlay_path=team_overlay if team_entries or (
                            team_overlay is not None and team_overlay.is_file()) else None,
                        digest_of=digest_of, packaged=packaged)


@dataclass
class SchemaSet:
    """The prepared schemas and validators; build once (`SchemaSet.load()`), pass everywhere."""

    defs: dict[str, Any]
    lock: dict[str, Any]
    layers: SchemaLayers = field(repr=False)  # what it was made from (`digest` identifies them)
    _validators: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def digest(self) -> str:
        return self.layers.digest

    @classmethod
    def load(cls, schema_dir: Path | None = None, team_overlay: Path | None = None) -> SchemaSet:
        """The vendored schema in `schema_dir` (default: the packaged one) with specc's overlay on top,
        then the team's own overlay file (`team_overlay`, when it exists)."""
        layers = load_layers(schema_dir, team_overlay)
        return cls.from_layers(layers)

    @classmethod
    def from_layers(cls, layers: SchemaLayers) -> SchemaSet:
        """Apply the overlays of `layers` to its vendored schema."""
        schema = layers.applied()
        return cls(defs=schema["$defs"], lock=layers.lock, layers=layers)

    # -------------------------------------------------------------- entry points

    @property
    def entry_points(self) -> dict[str, Any]:
        entry_points: dict[str, Any] = self.lock["entry_points"]
        return entry_points

    def root_for(self, name: str) -> dict[str, Any]:
        """A standalone Draft 2020-12 schema whose root is the component `name`."""
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": self.defs, "$ref": f"#/$defs/{name}"}

    @cached_property
    def request_name(self) -> str:
        name: str = self.entry_points["request"]
        return name

    @cached_property
    def request_properties(self) -> frozenset[str]:
        """Top-level request fields known to the schema or the overlay."""
        return frozenset(self.defs[self.request_name].get("properties", {}))

    def deprecated_request_fields(self) -> frozenset[str]:
        props = self.defs[self.request_name].get("properties", {})
        return frozenset(name for name, sub in props.items() if self._is_deprecated(sub))

    def _is_deprecated(self, sub: dict[str, Any]) -> bool:
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
        return bool(self.fast(name).is_valid(instance))

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


def iter_json_pointers(value: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from iter_json_pointers(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from iter_json_pointers(item, (*prefix, index))


# ---------------------------------------------------------------------------- status (issue 18)


def is_retirable(vendored: dict[str, Any], entry: dict[str, Any]) -> bool:
    """Whether the vendored schema already says what `entry` adds: applying it changes nothing.

    Only the component the entry's pointer names is copied and compared, so checking every
    entry of the overlay costs a few copies of small components, not of the whole schema."""
    pointer = entry_pointer(entry)
    parts = pointer.strip("/").split("/")
    if len(parts) < 2 or parts[0] != "$defs":
        return False
    name = parts[1].replace("~1", "/").replace("~0", "~")
    component = vendored.get("$defs", {}).get(name)
    if component is None:
        return False
    before = {"$defs": {name: component}}
    try:
        after = apply_overlay(before, [entry])
    except SchemaError:
        return False
    return after == before


def schema_age_days(lock: dict[str, Any], today: Any = None) -> int | None:
    """Days since the vendored schema's lock date (None when the lock has no readable date)."""
    import datetime as _dt

    try:
        date = _dt.date.fromisoformat(str(lock.get("date")))
    except ValueError:
        return None
    return ((today or _dt.date.today()) - date).days


def schema_notes(schemas: SchemaSet, config: Any, today: Any = None) -> list[str]:
    """What a lint run says once about the schema: a warning when it is older than `schema-max-age-days`."""
    limit = getattr(config, "schema_max_age_days", None)
    age = schema_age_days(getattr(schemas, "lock", None) or {}, today)
    if limit is None or age is None or age <= limit:
        return []
    return [f"warning: the vendored OpenRouter schema is {age} days old (vendored {schemas.lock.get('date')}; "
            f"schema-max-age-days = {limit}): run `specc schema diff SOURCE`, then `specc schema vendor SOURCE`"]


def schema_status(layers: SchemaLayers, today: Any = None) -> dict[str, Any]:
    """Which schema is in use and what the overlays do to it, as plain data (`specc schema status`)."""
    skipped: list[dict[str, Any]] = []
    layers.applied(skipped)
    skipped_ids = {id(entry) for entry in skipped}

    def describe(entry: dict[str, Any], origin: str) -> dict[str, Any]:
        why = " ".join(str(entry.get("why", "")).split())
        return {"origin": origin, "op": next(op for op in OVERLAY_OPS if op in entry),
                "pointer": entry_pointer(entry), "why": why,
                "applies": id(entry) not in skipped_ids,
                "retirable": is_retirable(layers.vendored, entry)}

    entries = [describe(entry, "specc") for entry in layers.specc_overlay]
    entries += [describe(entry, "team") for entry in layers.team_overlay]
    lock = layers.lock
    return {
        "schema": "packaged" if layers.packaged else "project",
        "folder": str(layers.folder),
        "source": lock.get("source"),
        "date": lock.get("date"),
        "age_days": schema_age_days(lock, today),
        "sha256": lock.get("sha256"),
        "api_version": lock.get("api_version"),
        "team_overlay": str(layers.team_overlay_path) if layers.team_overlay_path else None,
        "entries": entries,
    }


def project_layers(config: Any) -> SchemaLayers:
    """The schema layers a project's `[tool.specc]` (`schema-dir`, `overlay`) puts in use."""
    from .config import project_path

    folder = project_path(config, config.schema_dir)
    overlay = project_path(config, config.overlay)
    return load_layers(Path(folder) if folder else None, Path(overlay) if overlay else None)


def render_status(status: dict[str, Any]) -> str:
    """`specc schema status` as text."""
    age = status["age_days"]
    lines = [
        f"schema:    {status['schema']} ({status['folder']})",
        f"source:    {status['source']}",
        f"date:      {status['date']}" + (f" ({age} days old)" if age is not None else ""),
        f"sha256:    {status['sha256']}",
    ]
    entries = status["entries"]
    for origin, label in (("specc", "specc's overlay"), ("team", "team overlay")):
        mine = [entry for entry in entries if entry["origin"] == origin]
        if origin == "team" and status["team_overlay"] is None:
            lines.append("team overlay: none")
            continue
        applying = sum(entry["applies"] for entry in mine)
        where = f" {status['team_overlay']}" if origin == "team" else ""
        lines.append(f"{label}{where}: {len(mine)} entries, {applying} applying")
        for entry in mine:
            if not entry["applies"]:
                lines.append(f"  not applying (the pointer is not in this schema): {entry['op']} {entry['pointer']}")
    retirable = [entry for entry in entries if entry["retirable"]]
    lines.append(f"retirable: {len(retirable)} (the vendored schema already says what they add)")
    for entry in retirable:
        lines.append(f"  {entry['origin']}: {entry['op']} {entry['pointer']}  # {entry['why'][:80]}")
    return "\n".join(lines) + "\n"
