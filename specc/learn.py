"""`specc schema learn [CASSETTES...]`: overlay entries proposed from what the live API accepted and sent.

Only exchanges the API answered with 2xx count: the request body (the API accepted it) and the
response body or every stream chunk (the API sent it). Each is walked along the schema in use;
where a value does not fit, the smallest patch that admits it is proposed at the schema's JSON
pointer: a value appended to an `enum`, a type added to `type` (`null` for a nullable), a name
dropped from `required`, a new optional property typed by what was seen, an alternative appended
to an `anyOf`/`oneOf`. Patches at the same pointer are merged so one entry admits all its
evidence; every proposal lists that evidence (file and interaction index).

Recorded exchanges come from vcrpy cassettes (`*.yaml`) or from a corpus folder laid out as
`requests/<name>.json` + `responses/<name>.json` (the shared corpus's format).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from .schema import OVERLAY_OPS, SchemaError, entry_pointer

MAX_EVIDENCE = 5  # evidence listed per proposal; the count says how many exchanges needed it


@dataclass
class Exchange:
    """One recorded request and its answer, and where it was recorded."""

    where: str            # "cassettes/x.yaml#0" or "corpus:<name>"
    status: int
    request: Any
    response: Any         # the JSON body (None for a stream)
    chunks: list[Any]     # a stream's data chunks


@dataclass
class Proposal:
    """One overlay entry to add: the op at a pointer, its value, and the exchanges that need it."""

    op: str
    pointer: str
    value: Any
    side: str                                     # request | response
    why: str
    evidence: list[str] = field(default_factory=list)
    count: int = 0

    def to_entry(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"why": self.why, "evidence": self.evidence[:MAX_EVIDENCE], self.op: self.pointer}
        if self.op != "remove":
            entry["value"] = self.value
        return entry


# ---------------------------------------------------------------------------- reading exchanges


def read_exchanges(paths: Iterable[Path]) -> Iterator[Exchange | str]:
    """Exchanges from cassette files, folders of them, or corpus folders; a str is a problem to report."""
    for path in paths:
        if path.is_dir() and (path / "requests").is_dir() and (path / "responses").is_dir():
            yield from _corpus(path)
        elif path.is_dir():
            for found in sorted(path.rglob("*.y*ml")):
                yield from _cassette(found)
        elif path.is_file():
            yield from _cassette(path)
        else:
            yield f"{path}: no such file or folder"


def _corpus(folder: Path) -> Iterator[Exchange | str]:
    for response_file in sorted((folder / "responses").glob("*.json")):
        name = response_file.stem
        try:
            answer = json.loads(response_file.read_text("utf-8"))
            request = json.loads((folder / "requests" / f"{name}.json").read_text("utf-8"))
        except (OSError, ValueError) as exc:
            yield f"{response_file}: unreadable: {exc}"
            continue
        if not isinstance(answer, dict) or not isinstance(answer.get("status"), int):
            yield f"{response_file}: not a recorded response"
            continue
        body = str(answer.get("body") or "")
        if answer.get("stream"):
            yield Exchange(str(response_file), answer["status"], request, None, _stream_chunks(body.encode()))
        else:
            yield Exchange(str(response_file), answer["status"], request, _json_or_none(body), [])


def _cassette(path: Path) -> Iterator[Exchange | str]:
    from .cassette import CassetteError, load_cassette

    try:
        cassette = load_cassette(path)
    except CassetteError as exc:
        yield str(exc)
        return
    for index, item in enumerate(cassette.interactions):
        where = f"{path}#{index}"
        if item.is_stream:
            yield Exchange(where, item.status, item.request_json(), None, _stream_chunks(item.body))
        else:
            yield Exchange(where, item.status, item.request_json(), _json_or_none(item.body.decode("utf-8", "replace")), [])


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _stream_chunks(raw: bytes) -> list[Any]:
    from .sse import Chunk, SSEParser, StreamError

    parser = SSEParser()
    events = parser.feed(raw) + parser.close()
    # a mid-stream error event that is still a chunk (it has `choices`) is what the API sends too
    return [event.data if isinstance(event, Chunk) else event.chunk for event in events
            if isinstance(event, Chunk) or (isinstance(event, StreamError) and "choices" in event.chunk)]


# ---------------------------------------------------------------------------- walking values along the schema


class _Learner:
    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self.proposals: dict[tuple[str, str], Proposal] = {}
        self._validators: dict[str, Any] = {}

    def fits(self, schema: dict[str, Any], value: Any, pointer: str) -> bool:
        validator = self._validators.get(pointer)
        if validator is None:
            import jsonschema_rs

            validator = jsonschema_rs.Draft202012Validator({"$defs": self.defs, **schema})
            self._validators[pointer] = validator
        return validator.is_valid(value)

    def learn(self, value: Any, component: str, side: str, where: str) -> None:
        pointer = f"/$defs/{component}"
        schema = self.defs[component]
        if not self.fits(schema, value, pointer):
            self._walk(value, schema, pointer, side, where, 0)

    def _propose(self, op: str, pointer: str, value: Any, side: str, why: str, where: str) -> None:
        key = (op, pointer)
        proposal = self.proposals.get(key)
        if proposal is None:
            proposal = self.proposals[key] = Proposal(op, pointer, value, side, why)
        elif op == "append":
            proposal.value = [*proposal.value, *(v for v in value if v not in proposal.value)]
        elif op == "set" and isinstance(proposal.value, list) and isinstance(value, list):
            # `required` keeps only what every exchange had; `type` gains every type seen
            proposal.value = ([v for v in proposal.value if v in value] if pointer.endswith("/required")
                              else [*proposal.value, *(v for v in value if v not in proposal.value)])
        elif op == "set" and pointer.rsplit("/", 2)[-2:-1] == ["properties"]:
            proposal.value = _widen(proposal.value, value)
        if where not in proposal.evidence:
            proposal.evidence.append(where)
            proposal.count += 1

    def _walk(self, value: Any, schema: Any, pointer: str, side: str, where: str, depth: int) -> None:
        if depth > 60 or not isinstance(schema, dict):
            return
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref[len("#/$defs/"):]
            target = self.defs.get(name)
            if isinstance(target, dict) and not self.fits(target, value, "/$defs/" + name):
                self._walk(value, target, "/$defs/" + name, side, where, depth + 1)
            return
        for key in ("anyOf", "oneOf"):
            alternatives = schema.get(key)
            if isinstance(alternatives, list):  # the schema's own keywords still apply beside them
                self._alternatives(value, alternatives, f"{pointer}/{key}", side, where, depth)
        for index, sub in enumerate(schema.get("allOf") or []):
            if not self.fits(sub, value, f"{pointer}/allOf/{index}"):
                self._walk(value, sub, f"{pointer}/allOf/{index}", side, where, depth + 1)
        if "enum" in schema and value not in schema["enum"]:
            if _type_admits(schema.get("type"), value):
                self._propose("append", f"{pointer}/enum", [value], side, "values the document's enum lacks seen", where)
                return
        if "type" in schema and not _type_admits(schema["type"], value):
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            self._propose("set", f"{pointer}/type", [*types, _json_type(value)], side,
                          f"types besides {types} seen", where)
            if "enum" in schema and value not in schema["enum"]:
                self._propose("append", f"{pointer}/enum", [value], side, "values the document's enum lacks seen", where)
            return
        if "const" in schema and value != schema["const"]:
            return  # a const is an identity (an `object` tag, a discriminator): never widened from traffic
        if isinstance(value, dict):
            self._object(value, schema, pointer, side, where, depth)
        elif isinstance(value, list) and isinstance(schema.get("items"), dict):
            for item in value:
                if not self.fits(schema["items"], item, f"{pointer}/items"):
                    self._walk(item, schema["items"], f"{pointer}/items", side, where, depth + 1)

    def _object(self, value: dict, schema: dict, pointer: str, side: str, where: str, depth: int) -> None:
        required = schema.get("required")
        if isinstance(required, list):
            missing = [name for name in required if name not in value]
            if missing:
                self._propose("set", f"{pointer}/required", [name for name in required if name in value], side,
                              "required by the document, absent in real traffic", where)
        properties = schema.get("properties") or {}
        for name, item in value.items():
            if name in properties:
                sub = properties[name]
                if isinstance(sub, dict) and not self.fits(sub, item, f"{pointer}/properties/{name}"):
                    self._walk(item, sub, f"{pointer}/properties/{name}", side, where, depth + 1)
            elif schema.get("additionalProperties") is False and "properties" in schema:
                self._propose("set", f"{pointer}/properties/{name}", _shape(item), side,
                              "a field unknown to the document seen", where)
            elif isinstance(schema.get("additionalProperties"), dict):
                sub = schema["additionalProperties"]
                if not self.fits(sub, item, f"{pointer}/additionalProperties"):
                    self._walk(item, sub, f"{pointer}/additionalProperties", side, where, depth + 1)

    def _alternatives(self, value: Any, alternatives: list, pointer: str, side: str, where: str, depth: int) -> None:
        if any(isinstance(alt, dict) and self.fits(alt, value, f"{pointer}/{i}") for i, alt in enumerate(alternatives)):
            return
        # The alternative of the value's own type (looking through references) is the one to widen.
        typed = [i for i, alt in enumerate(alternatives) if _type_admits(self._type_of(alt), value)]
        if len(typed) == 1:
            self._walk(value, alternatives[typed[0]], f"{pointer}/{typed[0]}", side, where, depth + 1)
            return
        if not typed:
            self._propose("append", pointer, [_shape(value)], side, "a shape none of the alternatives admits seen", where)
        # several alternatives of the value's type and none fits: too ambiguous to widen one of them

    def _type_of(self, schema: Any, depth: int = 0) -> Any:
        if not isinstance(schema, dict) or depth > 10:
            return None
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return self._type_of(self.defs.get(ref[len("#/$defs/"):]), depth + 1)
        if "type" in schema:
            return schema["type"]
        if "const" in schema:
            return _json_type(schema["const"])
        if "enum" in schema:
            return sorted({_json_type(v) for v in schema["enum"]})
        return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _type_admits(types: Any, value: Any) -> bool:
    if types is None:
        return True
    names = types if isinstance(types, list) else [types]
    kind = _json_type(value)
    return kind in names or (kind == "integer" and "number" in names)


def _shape(value: Any) -> dict[str, Any]:
    """The narrowest schema naming what was seen: its type, with an object's fields typed one level."""
    kind = _json_type(value)
    if kind == "object" and value:
        return {"type": "object", "properties": {k: {"type": _json_type(v)} for k, v in value.items()}}
    return {"type": kind}


def _widen(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """One schema admitting what both `_shape`s admit."""
    if old == new:
        return old
    old_types = old["type"] if isinstance(old.get("type"), list) else [old.get("type")]
    new_types = new["type"] if isinstance(new.get("type"), list) else [new.get("type")]
    types = [*old_types, *(t for t in new_types if t not in old_types)]
    merged: dict[str, Any] = {"type": types[0] if len(types) == 1 else types}
    if "properties" in old or "properties" in new:
        merged["properties"] = {**old.get("properties", {}), **new.get("properties", {})}
    return merged


# ---------------------------------------------------------------------------- the whole run


@dataclass
class LearnResult:
    proposals: list[Proposal]
    exchanges: int        # 2xx exchanges read
    refused: int          # exchanges skipped: the API did not answer 2xx
    problems: list[str]


def learn(exchanges: Iterable[Exchange | str], defs: dict[str, Any], entry_points: dict[str, Any]) -> LearnResult:
    """Proposals from `exchanges` against the schema `defs` (vendored, with the overlays in use)."""
    learner = _Learner(defs)
    read = refused = 0
    problems: list[str] = []
    for exchange in exchanges:
        if isinstance(exchange, str):
            problems.append(exchange)
            continue
        if not 200 <= exchange.status < 300:
            refused += 1  # never learn from what the API refused (or could not judge)
            continue
        read += 1
        if isinstance(exchange.request, dict):
            learner.learn(exchange.request, entry_points["request"], "request", exchange.where)
        if isinstance(exchange.response, dict) and exchange.response.get("error") is None:
            learner.learn(exchange.response, entry_points["response"], "response", exchange.where)
        for chunk in exchange.chunks:
            if isinstance(chunk, dict) and "choices" in chunk:
                learner.learn(chunk, entry_points["stream_chunk"], "response", exchange.where)
    proposals = sorted(learner.proposals.values(), key=lambda p: (p.side != "request", p.pointer))
    for proposal in proposals:
        proposal.why = f"{proposal.why} in {proposal.count} 2xx exchange(s) (specc schema learn)"
    return LearnResult(proposals, read, refused, problems)


def overlay_yaml(proposals: list[Proposal]) -> str:
    """The proposals as overlay entries (the same format as specc's overlay.yaml), request side first."""
    from io import StringIO

    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = None
    yaml.width = 120
    stream = StringIO()
    yaml.dump([proposal.to_entry() for proposal in proposals], stream)
    return stream.getvalue() if proposals else "[]\n"


def merge_into_overlay(existing: list[dict[str, Any]], proposals: list[Proposal]) -> list[dict[str, Any]]:
    """The team overlay with the proposals added; a proposal for a pointer and op already there is left out."""
    taken = {(next((op for op in OVERLAY_OPS if op in entry), ""), entry_pointer(entry)) for entry in existing}
    return [*existing, *(p.to_entry() for p in proposals if (p.op, p.pointer) not in taken)]


__all__ = ["Exchange", "LearnResult", "Proposal", "SchemaError", "learn", "merge_into_overlay", "overlay_yaml",
           "read_exchanges"]
