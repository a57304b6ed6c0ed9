"""Rule OR702: An empty `messages` array."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._rule import Finding, Rule, RuleContext


class MessagesEmpty(Rule):
    """An empty `messages` array.

    ## Why
    `messages` must hold at least one message. An empty list gives the model nothing to
    answer, and the API rejects the request as invalid.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o-mini
      messages: []
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o-mini
      messages:
        - role: user
          content: Summarise today's release notes.
    ```

    ## Source
    OpenAPI schema `ChatRequest.messages` (`minItems: 1`).
    """

    code = "OR702"
    name = "messages-empty"
    severity = Severity.ERROR
    request_keys = ("messages",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.body.get("messages") == []:
            instead = ("remove `messages` and keep `prompt`" if "prompt" in ctx.body
                       else "add at least one message, e.g. `{role: user, content: ...}`")
            yield Finding(("messages",), f"`messages` is empty: {instead}")
