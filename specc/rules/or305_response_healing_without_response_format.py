"""Rule OR305: the response-healing plugin without a JSON `response_format`."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._limits import enabled_plugins
from ._rule import Finding, Rule, RuleContext

JSON_FORMATS = ("json_schema", "json_object")


class ResponseHealingWithoutResponseFormat(Rule):
    """The `response-healing` plugin on a request that does not ask for JSON.

    ## Why
    Response healing only switches on when the request asks for structured output with
    `response_format` of type `json_schema` or `json_object`. Without one (or with a
    `text` format) the plugin does nothing, so replies that merely look like JSON are
    passed through unrepaired.

    ## Example
    ```yaml
    request:
      model: openai/gpt-5-mini
      plugins:
        - id: response-healing
      messages:
        - role: user
          content: Return the three largest moons of Saturn as a JSON list.
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-5-mini
      plugins:
        - id: response-healing
      response_format:
        type: json_object
      messages:
        - role: user
          content: Return the three largest moons of Saturn as a JSON list.
    ```

    ## Source
    OpenRouter response-healing plugin guide (`guides/features/plugins/response-healing.mdx`).
    """

    code = "OR305"
    name = "response-healing-without-response-format"
    severity = Severity.WARNING
    request_keys = ("plugins",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        response_format = ctx.body.get("response_format")
        kind = response_format.get("type") if isinstance(response_format, dict) else None
        if kind in JSON_FORMATS:
            return
        if response_format is None:
            why = "this request has no `response_format`"
        elif isinstance(kind, str):
            why = f"this request's `response_format` is of type {kind!r}"
        else:
            why = "this request's `response_format` has no valid `type`"
        for index in enabled_plugins(ctx, "response-healing"):
            yield Finding(("plugins", index, "id"),
                          f"the response-healing plugin only acts on `response_format` of type 'json_schema' or "
                          f"'json_object', and {why}: ask for JSON there, or drop the plugin")
