"""Rule OR401: the deprecated `max_tokens`, and output limits below the common provider minimum of 16."""

from __future__ import annotations

from ..diagnostics import Edit, Fix, Severity
from ._limits import is_whole
from ._rule import Finding, Rule, RuleContext

PROVIDER_MINIMUM = 16


class MaxTokensBelowProviderMinimum(Rule):
    """`max_tokens` (deprecated for `max_completion_tokens`) and output limits below 16 tokens.

    ## Why
    `max_tokens` is the deprecated name of the output limit; `max_completion_tokens` is
    the current one and the one new models document. Whatever the name, some providers
    refuse a limit below 16 tokens, so a tiny limit makes the request fail on those
    endpoints (or fall back to another provider) rather than return a short answer.

    ## Example
    ```yaml
    request:
      model: meta-llama/llama-3.3-70b-instruct
      max_tokens: 8
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
    OpenAPI schema `ChatRequest.max_tokens` (deprecated in favour of `max_completion_tokens`; notes
    the minimum of 16 some providers enforce).
    """

    code = "OR401"
    name = "max-tokens-below-provider-minimum"
    severity = Severity.WARNING
    fixable = True
    request_keys = ("max_tokens", "max_completion_tokens")

    def check(self, ctx: RuleContext):
        body = ctx.body
        if "max_tokens" in body:
            yield self._deprecated(body)
        value = body.get("max_completion_tokens")
        if is_whole(value) and 1 <= value < PROVIDER_MINIMUM:
            yield Finding(("max_completion_tokens",), _below_minimum("max_completion_tokens", value))

    @staticmethod
    def _deprecated(body: dict) -> Finding:
        value = body["max_tokens"]
        message = "`max_tokens` is deprecated: "
        fix = None
        if "max_completion_tokens" in body:
            message += "this request also has `max_completion_tokens`, so keep the limit there and remove `max_tokens`"
        else:
            message += "rename it to `max_completion_tokens`"
            fix = Fix("rename `max_tokens` to `max_completion_tokens`",
                      (Edit("rename", ("max_tokens",), "max_completion_tokens"),))
        if is_whole(value) and 1 <= value < PROVIDER_MINIMUM:
            message += f"; also, {_below_minimum('max_tokens', value)}"
        return Finding(("max_tokens",), message, on_key=True, fix=fix)


def _below_minimum(field: str, value) -> str:
    return (f"`{field}: {value}` is below the minimum of {PROVIDER_MINIMUM} that some providers enforce, which "
            f"then reject the request: use at least {PROVIDER_MINIMUM}")
