"""Rule OR204: switching reasoning off for a model that always reasons."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import describe, is_openai_reasoning, matching_models
from ._rule import Finding, Rule, RuleContext, as_dict


def reasoning_switched_off(body: dict) -> tuple[tuple, str] | None:
    """Where the request turns reasoning off, and how it says so (None when it does not)."""
    reasoning = as_dict(body.get("reasoning"))
    if reasoning.get("effort") == "none":
        return ("reasoning", "effort"), "`reasoning.effort: none`"
    if body.get("reasoning_effort") == "none":
        return ("reasoning_effort",), "`reasoning_effort: none`"
    if reasoning.get("enabled") is False:
        return ("reasoning", "enabled"), "`reasoning.enabled: false`"
    return None


class ReasoningNoneOnMandatory(Rule):
    """Reasoning switched off (`effort: none`, `enabled: false`) for a model that must reason.

    ## Why
    Some models cannot answer without reasoning; their `reasoning.mandatory` is true in
    the model list. OpenAI's o-series (o1, o3, o4-mini, ...) is the clear case: asked for
    effort `none`, OpenAI answers 400 `Unsupported value: 'none'`. From the model id alone
    this rule knows the o-series (newer GPT-5 models do accept `none`); with a model
    catalog loaded it also follows each model's `reasoning.mandatory`. To cut cost or
    latency on such models, ask for the lowest effort they accept (`low`, or `minimal`
    where offered), or use a model without mandatory reasoning.

    ## Example
    ```yaml
    request:
      model: openai/o3
      reasoning:
        effort: none
      messages:
        - role: user
          content: What is 17 * 23?
    ```

    ## Fix
    ```yaml
    request:
      model: openai/o3
      reasoning:
        effort: low
      messages:
        - role: user
          content: What is 17 * 23?
    ```

    ## Source
    OpenRouter reasoning tokens guide (`guides/best-practices/reasoning-tokens.mdx`, discovering
    per-model reasoning options); recorded traffic
    `pydantic-ai/test_openrouter_thinking_false_on_always_on_route.yaml` (400 from OpenAI for
    `openai/o3`).
    """

    code = "OR204"
    name = "reasoning-none-on-mandatory"
    severity = Severity.ERROR
    request_keys = ("reasoning", "reasoning_effort")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        switched_off = reasoning_switched_off(ctx.body)
        if switched_off is None:
            return
        models = matching_models(ctx.body, is_openai_reasoning)
        if models:
            pointer, how = switched_off
            verbs = "has mandatory reasoning and rejects" if len(models) == 1 else "have mandatory reasoning and reject"
            yield Finding(pointer, f"{describe(models)} {verbs} {how}: ask for a low effort instead (e.g. `low`), "
                                   "or use a model whose reasoning can be turned off")
        if ctx.catalog is not None:  # the catalog names more models whose reasoning is mandatory
            from ._catalog import mandatory_reasoning_findings

            yield from mandatory_reasoning_findings(ctx.catalog, ctx.body, switched_off, skip=models)
