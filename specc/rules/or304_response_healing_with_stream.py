"""Rule OR304: the response-healing plugin on a streamed request."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._limits import enabled_plugins, streams
from ._rule import Finding, Rule, RuleContext


class ResponseHealingWithStream(Rule):
    """The `response-healing` plugin together with `stream: true`.

    ## Why
    Response healing repairs malformed JSON after the whole reply is known. A streamed
    reply reaches the client chunk by chunk, so the plugin leaves it untouched: broken
    JSON arrives broken, exactly as without the plugin. (It also cannot invent the end of
    JSON that was cut off by the token limit.)

    ## Example
    ```yaml
    request:
      model: openai/gpt-5-mini
      stream: true
      plugins:
        - id: response-healing
      response_format:
        type: json_object
      messages:
        - role: user
          content: Return the three largest moons of Saturn as JSON.
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
          content: Return the three largest moons of Saturn as JSON.
    ```

    ## Source
    OpenRouter response-healing plugin guide (`guides/features/plugins/response-healing.mdx`, Limitations).
    """

    code = "OR304"
    name = "response-healing-with-stream"
    severity = Severity.WARNING
    request_keys = ("plugins",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not streams(ctx.body):
            return
        for index in enabled_plugins(ctx, "response-healing"):
            yield Finding(("plugins", index, "id"),
                          "the response-healing plugin does not repair streamed responses and this request sets "
                          "`stream: true`: drop `stream` to get healed JSON, or drop the plugin")
