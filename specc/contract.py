"""The three checks of `specc test` and the pytest plugin, on one spec and its cassette. Never prints.

1. drift: the spec's compiled body equals a recorded request body (else a compact JSON diff);
2. response: every recorded response fits the vendored schema with specc's overlay (`ChatResult`,
   every SSE chunk against `ChatStreamChunk`, error bodies against the schema for their status);
   an error the API reported after HTTP 200 (an `error` in the body, a mid-stream error event,
   `finish_reason: error`) is not a contract failure but its own check, `api_error`, which fails
   unless `expect: api_error:` states it;
3. expect: the spec's `expect:` block, on the final recorded answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .diagnostics import Span
from .expect import evaluate
from .jsonread import read_json
from .pointers import path_text
from .cassette import Cassette, CassetteError, Interaction, default_cassette_path, load_cassette, scrub_request_body
from .schema import SchemaSet

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


@dataclass
class Check:
    """One named check's result; `span` points into the spec when the problem has a place there."""

    name: str
    ok: bool
    message: str
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "message": self.message}


@dataclass
class SpecOutcome:
    """A spec's checks, and whether it passed, failed, or was skipped (no cassette)."""

    path: str
    status: str
    checks: list[Check] = field(default_factory=list)
    cassette: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "status": self.status, "cassette": self.cassette,
                "checks": [c.to_dict() for c in self.checks]}


def cassette_for(result: Any, spec_file: Path | None = None, variant: Any = None) -> Path:
    """Where the checked spec's cassette lives (its `cassette:` key, else cassettes/<path from the root>);
    with `variant` (a `matrix.CompiledVariant`), that variant's own, beside it.

    `spec_file` is the spec's real path when the result was checked under a display name."""
    from .files import find_project_root

    spec_path = Path(spec_file if spec_file is not None else result.path)
    root = result.document.root if result.document and result.document.root else find_project_root(spec_path.parent)
    path = default_cassette_path(spec_path, Path(root), result.spec.cassette if result.spec else None)
    if variant is None:
        return path
    from .matrix import variant_cassette

    return variant_cassette(path, variant.variant.slug)


def check_variants(result: Any, schemas: SchemaSet, require_cassette: bool = False,
                   cassette_path: Path | None = None) -> list[SpecOutcome]:
    """The outcomes of a checked spec: one, or one per variant of a matrix spec (each against its
    own cassette)."""
    if not result.variants:
        return [check_spec(result, schemas, require_cassette, cassette_path)]
    return [check_spec(result, schemas, require_cassette, None, variant) for variant in result.variants]


def check_spec(result: Any, schemas: SchemaSet, require_cassette: bool = False,
               cassette_path: Path | None = None, variant: Any = None) -> SpecOutcome:
    """Run the three checks for one checked spec (`check.CheckResult`), or for one `variant`
    (a `matrix.CompiledVariant`) of a matrix spec."""
    label = result.path if variant is None else f"{result.path}[{variant.variant.label}]"
    body = result.body if variant is None else variant.body
    if result.has_errors or body is None or result.spec is None:
        errors = [d for d in result.diagnostics if d.severity.value == "error"]
        first = errors[0] if errors else None
        message = (f"the spec has {len(errors)} error(s); first: {first.code} {first.message}" if first
                   else "the spec could not be compiled")
        return SpecOutcome(label, FAILED, [Check("spec", False, message, first.span if first else None)])
    send = f"specc send {result.path}" + (f" --variant '{variant.variant.label}'" if variant is not None else "")
    try:
        path = cassette_path or cassette_for(result, variant=variant)
    except CassetteError as exc:
        return SpecOutcome(label, FAILED, [Check("cassette", False, str(exc))])
    shown = _shown(path)
    if not path.exists():
        check = Check("cassette", not require_cassette, f"no cassette at {shown}; record one with `{send} --record`")
        return SpecOutcome(label, FAILED if require_cassette else SKIPPED, [check], shown)
    try:
        cassette = load_cassette(path)
    except CassetteError as exc:
        return SpecOutcome(label, FAILED, [Check("cassette", False, str(exc))], shown)
    if not cassette.interactions:
        return SpecOutcome(label, FAILED, [Check("cassette", False, f"{shown}: the cassette is empty")], shown)
    drift, matched = check_drift(result, cassette, body, send)
    interactions = matched or cassette.interactions[-1:]
    contract, reported = check_responses(interactions, schemas)
    checks = [drift, contract]
    expected_error = result.spec.expect.api_error if result.spec.expect else None
    after_ok = [error for errors in reported for error in errors if not error.http]
    if after_ok and expected_error is None:
        checks.append(Check("api_error", False, api_error_message(after_ok)))
    final = interactions[-1]
    status, response = answer_of(final)
    final_errors = reported[-1]
    for outcome in evaluate(result.spec.expect, status, response,
                            final_errors[0].to_dict() if final_errors else None):
        checks.append(Check(f"expect.{outcome.name}", outcome.ok, outcome.message,
                            _expect_span(result, outcome.name)))
    return SpecOutcome(label, PASSED if all(c.ok for c in checks) else FAILED, checks, shown)


def api_error_message(errors: list[ApiError]) -> str:
    """The `api_error` check's message: the API's own report, kept apart from contract failures."""
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    stated = "{}" if first.code is None else f"{{code: {json.dumps(first.code)}}}"
    return (f"the API reported an error: {first.describe()}{more}; the recorded answer is an error, not a "
            f"completion; to keep it as a test of that error, state it: `expect: {{api_error: {stated}}}` "
            f"(`code` and/or a `message` pattern)")


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _expect_span(result: Any, name: str) -> Span | None:
    if not result.spec.expect or result.document is None:
        return None
    pointer = ("expect", *name.split("."))
    try:
        return result.document.span_of(pointer)
    except Exception:  # a default assertion (status) has no place in the spec
        return None


# ---------------------------------------------------------------------------- drift


def check_drift(result: Any, cassette: Cassette, body: Any = None, send: str | None = None) -> tuple[Check, list[Interaction]]:
    """Does a recorded request carry the spec's compiled body (or `body`, a variant's)? Else: what
    changed, as a compact diff; `send` is the command that sends it (a variant's names it)."""
    body = result.body if body is None else body
    send = send or f"specc send {result.path}"
    compiled = json.loads(scrub_request_body(json.dumps(body).encode("utf-8")))
    matched = [i for i in cassette.interactions if _same_json(i.request_json(), compiled)]
    if matched:
        return Check("drift", True, f"the compiled body equals the recorded request ({_shown(cassette.path)})"), matched
    recorded = cassette.interactions[-1].request_json()
    if recorded is None:
        return Check("drift", False, "the recorded request body is not JSON; re-record the cassette"), []
    changes = json_diff(recorded, compiled)
    span = None
    if changes and result.document is not None:
        try:
            span = result.document.span_of(("request", *_existing(body, changes[0][1])))
        except Exception:
            span = None
    lines = [f"the spec no longer compiles to the recorded request ({_shown(cassette.path)}); "
             f"re-record on purpose with `{send} --record=all`:"]
    lines += ["  " + line for line in format_diff(changes)]
    return Check("drift", False, "\n".join(lines), span), []


def _same_json(left: Any, right: Any) -> bool:
    from .compile import canonical_json

    return canonical_json(left) == canonical_json(right)  # True and 1 are equal in Python, not in JSON


def _existing(value: Any, pointer: tuple) -> tuple:
    out = []
    for step in pointer:
        inside_list = isinstance(value, list) and isinstance(step, int) and step < len(value)
        if isinstance(value, dict) and step in value or inside_list:
            value = value[step]
            out.append(step)
        else:
            break
    return tuple(out)


def json_diff(old: Any, new: Any, pointer: tuple = ()) -> list[tuple[str, tuple, Any, Any]]:
    """(op, pointer, old, new) for every change: `~` changed, `+` added, `-` removed."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in old:
            if key not in new:
                out.append(("-", (*pointer, key), old[key], None))
            else:
                out.extend(json_diff(old[key], new[key], (*pointer, key)))
        out.extend(("+", (*pointer, key), None, new[key]) for key in new if key not in old)
        return out
    if isinstance(old, list) and isinstance(new, list):
        out = []
        for index in range(max(len(old), len(new))):
            if index >= len(new):
                out.append(("-", (*pointer, index), old[index], None))
            elif index >= len(old):
                out.append(("+", (*pointer, index), None, new[index]))
            else:
                out.extend(json_diff(old[index], new[index], (*pointer, index)))
        return out
    if _same_json(old, new):
        return []
    return [("~", pointer, old, new)]


def format_diff(changes: Iterable[tuple[str, tuple, Any, Any]], limit: int = 20) -> list[str]:
    """One line per change: `~ request.messages[1].content: "...old..." -> "...new..."`."""
    lines = []
    changes = list(changes)
    for op, pointer, old, new in changes[:limit]:
        where = path_text(("request", *pointer))
        if op == "~" and isinstance(old, str) and isinstance(new, str):
            old_text, new_text = _changed_window(old, new)
            lines.append(f"~ {where}: {old_text} -> {new_text}")
        elif op == "~":
            lines.append(f"~ {where}: {_short(old)} -> {_short(new)}")
        elif op == "+":
            lines.append(f"+ {where}: {_short(new)}")
        else:
            lines.append(f"- {where}: {_short(old)}")
    if len(changes) > limit:
        lines.append(f"... and {len(changes) - limit} more change(s)")
    return lines


def _short(value: Any, width: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[:width - 3] + "..."


def _changed_window(old: str, new: str, context: int = 24) -> tuple[str, str]:
    """The two strings cut to the words that differ, with a little context, as JSON strings."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    begin = max(0, start - context)
    while begin > 0 and not old[begin - 1].isspace():  # start the excerpt at a word
        begin -= 1
    tail = max(0, end - context)  # characters left out at the end, the same in both strings
    while tail > 0 and not old[len(old) - tail].isspace():
        tail -= 1

    def cut(text: str) -> str:
        stop = len(text) - tail
        return ("..." if begin else "") + json.dumps(text[begin:stop], ensure_ascii=False) + ("..." if tail else "")

    return cut(old), cut(new)


# ---------------------------------------------------------------------------- response contract


@dataclass(frozen=True)
class ApiError:
    """An error the API reported: the body of an HTTP error status (`http`), or, after HTTP 200, an
    `error` object in the body, a mid-stream error event, or a choice finished with `error`."""

    where: str
    code: Any
    message: str
    metadata: dict[str, Any] | None = None
    http: bool = False

    def describe(self) -> str:
        metadata = f" (metadata {json.dumps(self.metadata, ensure_ascii=False)})" if self.metadata else ""
        return f"{self.where}: code {self.code!r}: {self.message!r}{metadata}"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


def check_responses(interactions: list[Interaction], schemas: SchemaSet) -> tuple[Check, list[list[ApiError]]]:
    """Every given interaction's response against the vendored response schemas (with the overlay).

    Returns the contract check and, per interaction, the errors the API reported in it: a
    reported error is not a contract failure; `check_spec` judges it on its own."""
    problems: list[str] = []
    notes: list[str] = []
    reported: list[list[ApiError]] = []
    for number, item in enumerate(interactions, 1):
        prefix = f"response {number}: " if len(interactions) > 1 else ""
        found, note, errors = _check_one(item, schemas)
        problems += [prefix + p for p in found]
        notes.append(prefix + note)
        reported.append(errors)
    if problems:
        shown = problems[:8] + ([f"... and {len(problems) - 8} more"] if len(problems) > 8 else [])
        return Check("response", False, "\n".join(shown)), reported
    return Check("response", True, "; ".join(notes)), reported


def _check_one(item: Interaction, schemas: SchemaSet) -> tuple[list[str], str, list[ApiError]]:
    entry = schemas.entry_points
    if item.status >= 400:
        name = entry.get("errors", {}).get(str(item.status))
        value, why = _json_body(item.body)
        if why:
            return [f"HTTP {item.status} error body: {why}"], "", []
        errors = [_api_error(f"HTTP {item.status}", value, http=True)] if isinstance(value, dict) else []
        if name is None:
            return [], f"HTTP {item.status} (no documented error schema for this status; body not checked)", errors
        return (_problems(schemas, name, value, f"HTTP {item.status} error body"), f"HTTP {item.status} body fits {name}",
                errors)
    if item.is_stream:
        return _check_stream(item, schemas, entry["stream_chunk"])
    value, why = _json_body(item.body)
    if why:
        return [f"body: {why}"], "", []
    if isinstance(value, dict) and value.get("error") is not None:
        return (_problems(schemas, ERROR_REPORT, value, "body"), f"the body is an error report ({ERROR_REPORT})",
                [_api_error(f"an error inside HTTP {item.status}", value)])
    errors = _choice_errors(value, f"HTTP {item.status}")
    return _problems(schemas, entry["response"], value, "body"), f"body fits {entry['response']}", errors


ERROR_REPORT = "ChatErrorReport"  # defined by the overlay: `{"error": {...}}` after HTTP 200


def _api_error(where: str, value: dict[str, Any], http: bool = False) -> ApiError:
    error = value.get("error")
    if not isinstance(error, dict):
        return ApiError(where, None, "" if error is None else str(error), None, http)
    metadata = error.get("metadata")
    message = error.get("message")
    return ApiError(where, error.get("code"), "" if message is None else str(message),
                    metadata if isinstance(metadata, dict) else None, http)


def _choice_errors(value: Any, where: str) -> list[ApiError]:
    """The errors reported by choices: an `error` object on the choice, or finish_reason `error`."""
    choices = value.get("choices") if isinstance(value, dict) else None
    if not isinstance(choices, list):
        return []
    found = []
    for index, choice in enumerate(choices):
        if not isinstance(choice, dict):
            continue
        if choice.get("error") is not None:
            found.append(_api_error(f"an error in choice {index} of {where}", choice))
        elif choice.get("finish_reason") == "error":
            found.append(ApiError(f"finish_reason 'error' in choice {index} of {where}", None, ""))
    return found


def _json_body(raw: bytes) -> tuple[Any, str | None]:
    text = raw.decode("utf-8", "replace").strip()  # OpenRouter pads JSON bodies with whitespace
    if not text:
        return None, "empty"
    try:
        return read_json(text), None
    except ValueError as exc:
        return None, f"not JSON ({exc})"


def _problems(schemas: SchemaSet, name: str, value: Any, what: str) -> list[str]:
    out = []
    for problem in schemas.errors(name, value):
        where = path_text(problem.pointer)
        out.append(f"{what} does not fit {name}" + (f" at {where}" if where else "") + f": {problem.message}")
    return out


def _check_stream(item: Interaction, schemas: SchemaSet, chunk_schema: str) -> tuple[list[str], str, list[ApiError]]:
    from .sse import Chunk, Done, Malformed, SSEParser, StreamError

    parser = SSEParser()
    events = [event for piece in item.chunks for event in parser.feed(piece)] + parser.close()
    problems: list[str] = []
    errors: list[ApiError] = []
    chunks = 0
    done = False
    for number, event in enumerate(events, 1):
        if isinstance(event, Done):
            done = True
        elif isinstance(event, Malformed):
            problems.append(f"event {number}: malformed: {event.reason}")
        elif isinstance(event, StreamError):
            shape = chunk_schema if "choices" in event.chunk else ERROR_REPORT
            problems.extend(_problems(schemas, shape, event.chunk, f"event {number}"))
            errors.append(ApiError(f"a mid-stream error after HTTP {item.status} (event {number})", event.code,
                                   event.message, event.metadata))
        elif isinstance(event, Chunk):
            chunks += 1
            problems.extend(_problems(schemas, chunk_schema, event.data, f"chunk {chunks}"))
            errors += _choice_errors(event.data, f"chunk {chunks} after HTTP {item.status}")
    if not done and not errors:  # a stream the API ended with an error has said why it stopped
        problems.append("the stream ends without `data: [DONE]`")
    return problems, f"{chunks} chunk(s) fit {chunk_schema}, {parser.comments} comment line(s), " + (
        "[DONE] received" if done else "ended by the API error"), errors


# ---------------------------------------------------------------------------- the answer


def answer_of(item: Interaction) -> tuple[int, dict[str, Any] | None]:
    """(status, response) as a client sees it: a stream assembled into one chat.completion."""
    if item.is_stream and item.status < 400:
        from .send import StreamAssembler
        from .sse import Chunk, SSEParser, StreamError

        assembler = StreamAssembler()
        parser = SSEParser()
        for event in [e for piece in item.chunks for e in parser.feed(piece)] + parser.close():
            if isinstance(event, Chunk):
                assembler.add(event.data)
            elif isinstance(event, StreamError):
                assembler.add(event.chunk)
        return item.status, assembler.response()
    value, _ = _json_body(item.body)
    return item.status, value if isinstance(value, dict) else None


# ---------------------------------------------------------------------------- orphans


def find_orphans(paths: Iterable[str], claimed: set[Path]) -> list[str]:
    """Cassettes under `<root>/cassettes/` whose spec (same path from the root) would lie in one of the
    folders tested, but does not exist, and that no tested spec names with `cassette:`."""
    from .files import find_project_root

    folders = [Path(p).resolve() for p in paths if Path(p).is_dir()]
    orphans: set[str] = set()
    for folder in folders:
        root = find_project_root(folder)
        store = root / "cassettes"
        if not store.is_dir():
            continue
        for cassette in sorted(store.rglob("*.y*ml")):
            relative = cassette.relative_to(store)
            if any(part.startswith(".") for part in relative.parts) or cassette.resolve() in claimed:
                continue
            spec = root / relative
            if folder in spec.parents and not spec.exists():
                orphans.add(_shown(cassette))
    return sorted(orphans)
