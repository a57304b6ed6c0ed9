"""The `expect:` block of a spec: assertions on a response, checked on every live send and replay.

The models here are the spec format (they publish into `schemas/spec.schema.json`);
`evaluate` checks one (assembled) response against them and returns one
`Outcome` per assertion, by name, passed or not. Never prints.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass
from typing import Any, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .jsonread import read_json
from .pointers import path_text

DEFAULT_STATUS = 200


def _regex_compiles(value: Optional[str]) -> Optional[str]:
    if value is not None:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
    return value


class ExpectContent(BaseModel):
    """Assertions on the assistant's text."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    contains: Union[str, list[str], None] = Field(
        None, description="Text (or texts) the content must contain, case-sensitive.")
    regex: Optional[str] = Field(None, description="A Python regular expression the content must match (search).")
    json_schema: Optional[dict[str, Any]] = Field(
        None, description="The content must parse as JSON valid against this JSON Schema (inline or !file).")

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: Optional[str]) -> Optional[str]:
        return _regex_compiles(value)


class ExpectUsage(BaseModel):
    """Upper bounds on the response's `usage`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_prompt_tokens: Optional[int] = Field(None, ge=0, description="usage.prompt_tokens at most this.")
    max_completion_tokens: Optional[int] = Field(None, ge=0, description="usage.completion_tokens at most this.")
    max_total_tokens: Optional[int] = Field(None, ge=0, description="usage.total_tokens at most this.")
    max_cost: Optional[float] = Field(None, ge=0, description="usage.cost (USD) at most this.")


class ExpectApiError(BaseModel):
    """An error the API is expected to report (inside HTTP 200, mid-stream, or as an error status's body).

    `{}` accepts any reported error; `code` and `message` narrow it down."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Union[int, str, None] = Field(None, description="The error's `code` (OpenRouter uses HTTP-like numbers, e.g. 502).")
    message: Optional[str] = Field(
        None, description="A Python regular expression the error's `message` must match (search).")

    @field_validator("message")
    @classmethod
    def _compiles(cls, value: Optional[str]) -> Optional[str]:
        return _regex_compiles(value)


class Expect(BaseModel):
    """What the response must look like. Every assertion is optional; `status` defaults to 200."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Optional[int] = Field(None, ge=100, le=599, description="The HTTP status (default 200).")
    finish_reason: Union[str, list[str], None] = Field(
        None, description="The first choice's finish_reason, or a list of acceptable ones.")
    model: Union[str, list[str], None] = Field(
        None, description="Glob(s) the model that served the answer must match (catches a silent fallback).")
    provider: Union[str, list[str], None] = Field(
        None, description="Glob(s) the provider that served the answer must match.")
    content: Optional[ExpectContent] = Field(None, description="Assertions on the assistant's text.")
    tool_calls: Optional[list[str]] = Field(
        None, description="The names of the tool calls, in order ([] means: no tool call).")
    usage: Optional[ExpectUsage] = Field(None, description="Token and cost bounds.")
    api_error: Optional[ExpectApiError] = Field(
        None, description="The API reports an error (an `error` object in a 200 body, a mid-stream error event, "
        "finish_reason `error`, or an error status's body): keeps a recorded error exchange as a passing test.")


@dataclass(frozen=True)
class Outcome:
    """One assertion's result."""

    name: str
    ok: bool
    message: str


def _as_list(value: Union[str, list[str], None]) -> list[str]:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def evaluate(expect: Expect | None, status: int | None, response: dict[str, Any] | None,
             api_error: dict[str, Any] | None = None) -> list[Outcome]:
    """Check `response` (a chat.completion, or a stream assembled into one) against `expect`.

    `api_error` is the error the API reported in that answer (`code`, `message`), if any."""
    expect = expect or Expect()
    response = response if isinstance(response, dict) else {}
    choices: list[Any] = response["choices"] if isinstance(response.get("choices"), list) else []
    choice: dict[str, Any] = choices[0] if choices and isinstance(choices[0], dict) else {}
    message: dict[str, Any] = choice["message"] if isinstance(choice.get("message"), dict) else {}
    outcomes: list[Outcome] = []

    wanted_status = expect.status if expect.status is not None else DEFAULT_STATUS
    outcomes.append(Outcome("status", status == wanted_status, f"HTTP {status}, expected {wanted_status}"
                            + ("" if expect.status is not None else " (the default)")))
    if expect.finish_reason is not None:
        wanted = _as_list(expect.finish_reason)
        got = choice.get("finish_reason")
        outcomes.append(Outcome("finish_reason", got in wanted, f"finish_reason {got!r}, expected "
                                + (repr(wanted[0]) if len(wanted) == 1 else f"one of {wanted}")))
    for name in ("model", "provider"):
        patterns = _as_list(getattr(expect, name))
        if patterns:
            got = response.get(name)
            ok = isinstance(got, str) and any(fnmatch.fnmatchcase(got, p) for p in patterns)
            outcomes.append(Outcome(name, ok, f"{name} {got!r}, expected {' or '.join(map(repr, patterns))}"))
    if expect.content is not None:
        outcomes.extend(_content(expect.content, message.get("content")))
    if expect.tool_calls is not None:
        calls: list[Any] = message["tool_calls"] if isinstance(message.get("tool_calls"), list) else []
        names = [((c or {}).get("function") or {}).get("name") for c in calls if isinstance(c, dict)]
        outcomes.append(Outcome("tool_calls", names == expect.tool_calls,
                                f"tool calls {names}, expected {expect.tool_calls}"))
    if expect.usage is not None:
        outcomes.extend(_usage(expect.usage, response.get("usage")))
    if expect.api_error is not None:
        outcomes.append(_api_error(expect.api_error, api_error))
    return outcomes


def _api_error(expect: ExpectApiError, reported: dict[str, Any] | None) -> Outcome:
    name = "api_error"
    if reported is None:
        return Outcome(name, False, "the API reported no error, expected one")
    code, message = reported.get("code"), str(reported.get("message") or "")
    shown = message if len(message) <= 120 else message[:117] + "..."
    misses = []
    if expect.code is not None and str(code) != str(expect.code):  # 502 and "502" are the same code
        misses.append(f"code {code!r}, expected {expect.code!r}")
    if expect.message is not None and re.search(expect.message, message) is None:
        misses.append(f"message does not match /{expect.message}/")
    if misses:
        return Outcome(name, False, f"the API reported an error ({'; '.join(misses)}): {shown!r}")
    return Outcome(name, True, f"the API reported the expected error: code {code!r}: {shown!r}")


def _content(expect: ExpectContent, content: Any) -> list[Outcome]:
    text = content if isinstance(content, str) else ""
    shown = text if len(text) <= 120 else text[:117] + "..."
    out = []
    for needle in _as_list(expect.contains):
        out.append(Outcome("content.contains", needle in text, f"content {'contains' if needle in text else 'lacks'} "
                           f"{needle!r}: {shown!r}"))
    if expect.regex is not None:
        found = re.search(expect.regex, text) is not None
        out.append(Outcome("content.regex", found, f"content {'matches' if found else 'does not match'} "
                           f"/{expect.regex}/: {shown!r}"))
    if expect.json_schema is not None:
        out.append(_json_schema(expect.json_schema, text))
    return out


def _json_schema(schema: dict[str, Any], text: str) -> Outcome:
    import jsonschema

    name = "content.json_schema"
    try:
        value = read_json(text)
    except ValueError as exc:
        return Outcome(name, False, f"content is not JSON ({exc})")
    try:
        validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
        validator_class.check_schema(schema)
    except jsonschema.SchemaError as exc:
        return Outcome(name, False, f"the expected schema itself is invalid: {exc.message}")
    errors = sorted(validator_class(schema).iter_errors(value), key=lambda e: list(e.absolute_path))
    if not errors:
        return Outcome(name, True, "content is JSON valid against the schema")
    first = errors[0]
    where = path_text(tuple(first.absolute_path)) or "(root)"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return Outcome(name, False, f"content JSON does not fit the schema at {where}: {first.message}{more}")


def _usage(expect: ExpectUsage, usage: Any) -> list[Outcome]:
    usage = usage if isinstance(usage, dict) else {}
    out = []
    for bound, field_name in (("max_prompt_tokens", "prompt_tokens"), ("max_completion_tokens", "completion_tokens"),
                              ("max_total_tokens", "total_tokens"), ("max_cost", "cost")):
        limit = getattr(expect, bound)
        if limit is None:
            continue
        got = usage.get(field_name)
        if not isinstance(got, (int, float)) or isinstance(got, bool):
            out.append(Outcome(f"usage.{bound}", False, f"usage.{field_name} is missing from the response"))
        else:
            out.append(Outcome(f"usage.{bound}", got <= limit, f"usage.{field_name} {got}, at most {limit}"))
    return out
