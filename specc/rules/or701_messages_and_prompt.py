"""Rule OR701: `prompt` and `messages` in the same request."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._rule import Finding, Rule, RuleContext


class MessagesAndPrompt(Rule):
    """`prompt` and `messages` in the same request.

    ## Why
    A chat-completions request carries its input either as a `messages` conversation or
    as a single text-completion `prompt`, never both. OpenRouter rejects a body that has
    both, so the request fails before any model sees it.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o-mini
      prompt: Write a haiku about autumn.
      messages:
        - role: user
          content: Write a haiku about autumn.
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o-mini
      messages:
        - role: user
          content: Write a haiku about autumn.
    ```

    ## Source
    OpenRouter API reference overview (`api_reference/overview.mdx`: the body takes messages or
    prompt); agent-skills `SKILL.md`, "Common pitfalls".
    """

    code = "OR701"
    name = "messages-and-prompt"
    severity = Severity.ERROR
    request_keys = ("prompt",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if "prompt" in ctx.body and "messages" in ctx.body:
            yield Finding(("prompt",), "`prompt` and `messages` are mutually exclusive: send the conversation "
                          "in `messages` and remove `prompt` (or keep only `prompt` for a text completion)",
                          on_key=True)
