"""Rule OR413: an output limit below 16 on OpenAI models that refuse it."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import describe, enforces_openai_output_minimum, matching_models, noun, requested_models
from ._rule import Finding, Rule, RuleContext
from .or401_max_tokens_below_provider_minimum import LIMIT_FIELDS, PROVIDER_MINIMUM, below_minimum


class MaxTokensBelowOpenaiMinimum(Rule):
    """`max_tokens` or `max_completion_tokens` below 16 sent to OpenAI models from gpt-4.1 on.

    ## Why
    OpenAI refuses an output limit below 16 tokens on these models: OpenRouter passes the
    limit on, and the request fails with HTTP 400 ("integer below minimum value. Expected
    a value >= 16"). The rule fires when every requested model (`model` and `models[]`)
    is an OpenAI model of the gpt-4.1 generation or later (`gpt-4.1*`, `gpt-5*`, any
    variant suffix or preset); with another model left to fall back to, OR401 warns instead.

    Real traffic: `max_tokens: 10` was refused on openai/gpt-4.1 and openai/gpt-4.1-mini,
    and accepted on openai/gpt-4o-mini, so the older generation is left out.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4.1-mini
      max_tokens: 10
      messages:
        - role: user
          content: Say hi.
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4.1-mini
      max_tokens: 16
      messages:
        - role: user
          content: Say hi.
    ```

    ## Source
    Recorded traffic: req_llm `openai_gpt_4_1-usage` and `openai_gpt_4_1_mini-usage` (HTTP 400
    from OpenAI), `openai_gpt_4o_mini-usage` (HTTP 200).
    """

    code = "OR413"
    name = "max-tokens-below-openai-minimum"
    severity = Severity.ERROR
    request_keys = LIMIT_FIELDS

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        models = requested_models(body)
        refusing = matching_models(body, enforces_openai_output_minimum)
        if not models or len(refusing) != len(models):
            return
        for field in LIMIT_FIELDS:
            value = body.get(field)
            if below_minimum(value):
                yield Finding((field,), f"`{field}: {value}` is below {PROVIDER_MINIMUM}, which OpenAI refuses for "
                                        f"{noun('model', refusing)} {describe(refusing)} (HTTP 400): use at least "
                                        f"{PROVIDER_MINIMUM}")
