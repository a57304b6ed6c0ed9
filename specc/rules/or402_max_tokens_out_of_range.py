"""Rule OR402: an output token limit that is not a whole number of at least 1."""

from __future__ import annotations

import math
from typing import Iterator

from ..diagnostics import Severity
from ._limits import is_number, is_whole, shown
from ._rule import Finding, Rule, RuleContext

LIMIT_FIELDS = ("max_tokens", "max_completion_tokens")


class MaxTokensOutOfRange(Rule):
    """`max_tokens` / `max_completion_tokens` below 1, or not a whole number.

    ## Why
    The output limit counts tokens the model may generate: it must be a whole number of
    at least 1 (and below the model's context length). Zero, a negative number, a
    fraction or a string is refused with a 400 instead of meaning "no limit"; to leave
    the limit to the model, leave the field out.

    ## Example
    ```yaml
    request:
      model: openai/gpt-5-mini
      max_completion_tokens: 0
      messages:
        - role: user
          content: Write a haiku about rain.
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-5-mini
      max_completion_tokens: 200
      messages:
        - role: user
          content: Write a haiku about rain.
    ```

    ## Source
    OpenRouter API overview and parameters pages (`api_reference/overview.mdx`,
    `api_reference/parameters.mdx`, max_tokens: range from 1 to the context length).
    """

    code = "OR402"
    name = "max-tokens-out-of-range"
    severity = Severity.ERROR
    checks_partial_specs = True  # judges values written, never what is missing
    request_keys = LIMIT_FIELDS

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for field in LIMIT_FIELDS:
            value = ctx.body.get(field)
            if value is None:
                continue  # absent or null: no limit
            if not is_number(value):
                yield Finding((field,), f"`{field}` must be a whole number of tokens (at least 1), not {shown(value)}: "
                                        "write a number, or leave the field out for the model's default")
            elif not is_whole(value):
                hint = f"write a whole number such as {max(1, int(value))}" if math.isfinite(value) else "write one"
                yield Finding((field,), f"`{field}` must be a whole number of tokens, not {value!r}: {hint}")
            elif value < 1:
                yield Finding((field,), f"`{field}` is {value!r}, but the output limit must be at least 1 token: "
                                        "set a positive limit, or leave the field out for the model's default")
