"""Rule OR717: a system or developer message to a Gemma model."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._messages import role
from ._models import describe, is_gemma, matching_models
from ._rule import Finding, Rule, RuleContext


class SystemMessageToGemma(Rule):
    """A `system` or `developer` message sent to a `google/gemma-*` model.

    ## Why
    Gemma has no system role. Some providers fold the instructions into the first user
    turn; Google AI Studio refuses them with HTTP 400 ("Developer instruction is not
    enabled"), and it is the provider that serves Gemma's `:free` variants. Whether the
    request works depends on which provider serves it, so put the instructions at the
    start of the first `user` message instead.

    A warning, not an error: in real traffic the same system message to gemma-3-12b-it,
    gemma-3-27b-it and gemma-3n-e4b-it was accepted (HTTP 200); only gemma-3n-e4b-it:free,
    served by Google AI Studio, was refused.

    ## Example
    ```yaml
    request:
      model: google/gemma-3n-e4b-it:free
      messages:
        - role: system
          content: Answer in one word.
        - role: user
          content: What colour is the sky?
    ```

    ## Fix
    ```yaml
    request:
      model: google/gemma-3n-e4b-it:free
      messages:
        - role: user
          content: "Answer in one word. What colour is the sky?"
    ```

    ## Source
    Recorded traffic: req_llm `google_gemma_3n_e4b_it_free-streaming` (HTTP 400 from Google
    AI Studio) and the `google_gemma_3*-streaming` exchanges (HTTP 200).
    """

    code = "OR717"
    name = "system-message-to-gemma"
    severity = Severity.WARNING
    request_keys = ("messages",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        gemmas = matching_models(ctx.body, is_gemma)
        if not gemmas:
            return
        for i, message in ctx.conversation.with_role("system", "developer"):
            yield Finding(("messages", i, "role"), f"Gemma has no `{role(message)}` role ({describe(gemmas)}): "
                          "some providers (Google AI Studio) refuse it with HTTP 400; "
                          "put the instructions in the first `user` message")
            return
