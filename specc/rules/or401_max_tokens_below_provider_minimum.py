"""Rule OR401: output limits below the common provider minimum of 16."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._limits import is_whole
from ._models import enforces_openai_output_minimum, matching_models, requested_models
from ._rule import Finding, Rule, RuleContext

PROVIDER_MINIMUM = 16
LIMIT_FIELDS = ("max_tokens", "max_completion_tokens")


def below_minimum(value: object) -> bool:
    """A whole limit from 1 to 15 (0 and negatives are OR402's business)."""
    return is_whole(value) and 1 <= value < PROVIDER_MINIMUM  # type: ignore[operator]


class MaxTokensBelowProviderMinimum(Rule):
    """`max_tokens` or `max_completion_tokens` below 16 tokens.

    ## Why
    Some providers refuse an output limit below 16 tokens, so a tiny limit makes the
    request fail on those endpoints (or fall back to another provider) rather than return
    a short answer. Real traffic shows both sides: the same `max_tokens: 10` was answered
    by Anthropic, Mistral, Qwen, Google and others, and refused by OpenAI for gpt-4.1.
    Where the request's models are all ones that refuse it, OR413 reports an error
    instead of this warning.

    The deprecation of the name `max_tokens` is advice, not a failure: it is the opt-in
    rule OR412.

    ## Example
    ```yaml
    request:
      model: meta-llama/llama-3.3-70b-instruct
      max_completion_tokens: 8
      messages:
        - role: user
          content: Answer yes or no. Is 17 prime?
    ```

    ## Fix
    ```yaml
    request:
      model: meta-llama/llama-3.3-70b-instruct
      max_completion_tokens: 16
      messages:
        - role: user
          content: Answer yes or no. Is 17 prime?
    ```

    ## Source
    OpenAPI schema `ChatRequest.max_tokens` (notes the minimum of 16 some providers enforce);
    recorded traffic (req_llm `*-usage` exchanges: `max_tokens: 10`, HTTP 200 on most
    models, 400 on openai/gpt-4.1).
    """

    code = "OR401"
    name = "max-tokens-below-provider-minimum"
    severity = Severity.WARNING
    request_keys = LIMIT_FIELDS

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        models = requested_models(body)
        if models and len(matching_models(body, enforces_openai_output_minimum)) == len(models):
            return  # OR413's error
        for field in LIMIT_FIELDS:
            value = body.get(field)
            if below_minimum(value):
                yield Finding((field,), f"`{field}: {value}` is below the minimum of {PROVIDER_MINIMUM} that some "
                                        f"providers enforce, which then reject the request: use at least "
                                        f"{PROVIDER_MINIMUM}")
