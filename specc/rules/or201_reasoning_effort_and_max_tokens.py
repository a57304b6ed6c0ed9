"""Rule OR201: both a reasoning effort and a reasoning token budget."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._rule import Finding, Rule, RuleContext, as_dict


class ReasoningEffortAndMaxTokens(Rule):
    """`reasoning.max_tokens` together with `reasoning.effort` (or top-level `reasoning_effort`).

    ## Why
    A reasoning budget is given either as an effort level (OpenAI style) or as a number
    of tokens (Anthropic style), never both: OpenRouter converts one into the other for
    models that only understand one form, and with both set the request is rejected or
    one of them silently loses. Pick one.

    ## Example
    ```yaml
    request:
      model: anthropic/claude-haiku-4.5
      reasoning:
        effort: high
        max_tokens: 4000
      messages:
        - role: user
          content: Plan a three-day trip to Lisbon.
    ```

    ## Fix
    ```yaml
    request:
      model: anthropic/claude-haiku-4.5
      reasoning:
        max_tokens: 4000
      messages:
        - role: user
          content: Plan a three-day trip to Lisbon.
    ```

    ## Source
    OpenRouter reasoning tokens guide (`guides/best-practices/reasoning-tokens.mdx`, the config
    block: one of effort or max_tokens); agent-skills `references/reasoning.md`.
    """

    code = "OR201"
    name = "reasoning-effort-and-max-tokens"
    severity = Severity.ERROR
    checks_partial_specs = True  # judges values written, never what is missing
    request_keys = ("reasoning",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        reasoning = as_dict(ctx.body.get("reasoning"))
        budget = reasoning.get("max_tokens")
        if budget is None:
            return
        if reasoning.get("effort") is not None:
            effort = f"`reasoning.effort` ({reasoning['effort']!r})"
        elif ctx.body.get("reasoning_effort") is not None:
            effort = f"`reasoning_effort` ({ctx.body['reasoning_effort']!r})"
        else:
            return
        yield Finding(("reasoning", "max_tokens"),
                      f"`reasoning.max_tokens` ({budget!r}) and {effort} are alternatives: keep only one",
                      on_key=True)
