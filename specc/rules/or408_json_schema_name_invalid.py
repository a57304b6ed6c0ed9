"""Rule OR408: a `response_format.json_schema.name` outside `[a-zA-Z0-9_-]{1,64}`."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._limits import NAME_MAX_LENGTH, name_problem, suggest_name
from ._rule import Finding, Rule, RuleContext, as_dict


class JsonSchemaNameInvalid(Rule):
    """A structured-output schema name with characters other than letters, digits, `_` and `-`, or over 64 long.

    ## Why
    The name of a `json_schema` response format obeys the same rule as function names:
    letters, digits, underscores and dashes only, at most 64 characters. Spaces, dots
    or a long descriptive sentence make the request fail validation.

    ## Example
    ```yaml
    request:
      model: openai/gpt-5-mini
      provider:
        require_parameters: true
      response_format:
        type: json_schema
        json_schema:
          name: Person record
          schema: {type: object, properties: {name: {type: string}}, required: [name]}
      messages:
        - role: user
          content: Extract the person from "Ada Lovelace, born 1815".
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-5-mini
      provider:
        require_parameters: true
      response_format:
        type: json_schema
        json_schema:
          name: person_record
          schema: {type: object, properties: {name: {type: string}}, required: [name]}
      messages:
        - role: user
          content: Extract the person from "Ada Lovelace, born 1815".
    ```

    ## Source
    OpenAPI schema `ChatJsonSchemaConfig.name` (same character set and 64-character limit as tool names).
    """

    code = "OR408"
    name = "json-schema-name-invalid"
    severity = Severity.ERROR
    checks_partial_specs = True  # judges values written, never what is missing
    request_keys = ("response_format",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        response_format = as_dict(ctx.body.get("response_format"))
        if response_format.get("type") != "json_schema":
            return
        name = as_dict(response_format.get("json_schema")).get("name")
        problem = name_problem(name) if isinstance(name, str) else None
        if isinstance(name, str) and problem:
            yield Finding(("response_format", "json_schema", "name"),
                          f"`response_format.json_schema.name` {name!r} {problem}; names may use only letters, "
                          f"digits, '_' and '-', at most {NAME_MAX_LENGTH} characters: use {suggest_name(name)!r}")
