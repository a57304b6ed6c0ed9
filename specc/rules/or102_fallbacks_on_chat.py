"""Rule OR102: `fallbacks` (a /api/v1/messages field) in a chat-completions request."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._rule import Finding, Rule, RuleContext


class FallbacksOnChat(Rule):
    """A `fallbacks` field in a chat-completions request.

    ## Why
    `fallbacks` (a list of `{model}` entries) belongs to OpenRouter's Anthropic-style
    `/api/v1/messages` endpoint. Chat completions has no such field, so the list is not
    used: when the first model fails there is no fallback and the request errors. On chat
    completions the fallback models go in `models`, tried in order.

    ## Example
    ```yaml
    request:
      model: anthropic/claude-haiku-4.5
      fallbacks:
        - model: openai/gpt-4o-mini
      messages:
        - role: user
          content: Classify this ticket.
    ```

    ## Fix
    ```yaml
    request:
      model: anthropic/claude-haiku-4.5
      models:
        - anthropic/claude-haiku-4.5
        - openai/gpt-4o-mini
      messages:
        - role: user
          content: Classify this ticket.
    ```

    ## Source
    OpenRouter model fallbacks guide (`guides/routing/model-fallbacks.mdx`, "Limitations");
    OpenAPI `ChatRequest` (has `models`, no `fallbacks`).
    """

    code = "OR102"
    name = "fallbacks-on-chat"
    severity = Severity.WARNING
    request_keys = ("fallbacks",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if "fallbacks" in ctx.body:
            yield Finding(("fallbacks",),
                          "`fallbacks` is a field of the /api/v1/messages endpoint and chat completions does not use "
                          "it: list the fallback models in `models` instead (at most 3)", on_key=True)
