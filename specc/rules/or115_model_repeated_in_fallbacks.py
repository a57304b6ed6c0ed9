"""Rule OR115: the same model twice in `models[]`, or the primary model repeated there."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._rule import Finding, Rule, RuleContext, as_list


class ModelRepeatedInFallbacks(Rule):
    """A model listed twice in `models`, or the primary `model` repeated in `models`.

    ## Why
    `models` is the ordered list of models to try when one fails. A model that is
    already in the list (or is the primary `model`) has just failed when its turn comes
    again, so the repeat only adds latency and takes one of the three places in the list
    that a different fallback could use.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o-mini
      models:
        - anthropic/claude-haiku-4.5
        - openai/gpt-4o-mini
      messages:
        - role: user
          content: Hello
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o-mini
      models:
        - anthropic/claude-haiku-4.5
        - google/gemini-2.5-flash
      messages:
        - role: user
          content: Hello
    ```

    ## Source
    OpenRouter model fallbacks guide (`guides/routing/model-fallbacks.mdx`); OpenAPI
    `ChatRequest.models`.
    """

    code = "OR115"
    name = "model-repeated-in-fallbacks"
    severity = Severity.WARNING
    request_keys = ("models",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        primary = ctx.body.get("model")
        seen: dict[str, int] = {}
        for index, item in enumerate(as_list(ctx.body.get("models"))):
            if not isinstance(item, str) or not item.strip():
                continue
            key = item.strip().lower()
            if key in seen:
                yield Finding(("models", index), f"`models[{index}]` repeats {item!r}, already `models[{seen[key]}]`: "
                                                 "remove it or list a different fallback")
                continue
            seen[key] = index
            # A list that starts with the primary model is the documented form; a later copy is a repeat.
            if isinstance(primary, str) and key == primary.strip().lower() and index > 0:
                yield Finding(("models", index), f"`models[{index}]` repeats the primary model {item!r}: remove it "
                                                 "or list a different fallback")
