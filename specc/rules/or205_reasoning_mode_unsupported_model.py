"""Rule OR205: `reasoning.mode` / `reasoning.context` for a model other than OpenAI GPT-5.6+."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import ModelId, at_least, describe, gpt_version, matching_models
from ._rule import Finding, Rule, RuleContext, as_dict

MINIMUM_GPT = (5, 6)


def _lacks_mode(model: ModelId) -> bool:
    """A known model id that is not OpenAI GPT-5.6 or later (bare presets are unknown)."""
    return bool(model.author) and not at_least(gpt_version(model), MINIMUM_GPT)


class ReasoningModeUnsupportedModel(Rule):
    """`reasoning.mode` or `reasoning.context` for a model that is not OpenAI GPT-5.6 or later.

    ## Why
    The reasoning `mode` (e.g. pro mode) and `context` (how earlier reasoning is carried
    between turns) settings exist only for OpenAI's GPT-5.6 and later. OpenRouter sends
    them only to providers that honour them; for any other model they are dropped, so
    the request runs without the mode you asked for. In `models[]` it also means the
    fallbacks behave differently from the primary model.

    ## Example
    ```yaml
    request:
      model: openai/gpt-5
      reasoning:
        effort: high
        mode: pro
      messages:
        - role: user
          content: Review this contract clause for risks.
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-5.6
      reasoning:
        effort: high
        mode: pro
      messages:
        - role: user
          content: Review this contract clause for risks.
    ```

    ## Source
    OpenRouter reasoning tokens guide (`guides/best-practices/reasoning-tokens.mdx`, "Reasoning
    Mode" and "Reasoning Context Mode").
    """

    code = "OR205"
    name = "reasoning-mode-unsupported-model"
    severity = Severity.WARNING
    request_keys = ("reasoning",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        reasoning = as_dict(ctx.body.get("reasoning"))
        for field in ("mode", "context"):
            if reasoning.get(field) is None:
                continue
            models = matching_models(ctx.body, _lacks_mode)
            if models:
                yield Finding(("reasoning", field),
                              f"`reasoning.{field}` only works on OpenAI GPT-5.6 and later, so it is dropped for "
                              f"{describe(models)}: remove it or use openai/gpt-5.6 or later", on_key=True)
