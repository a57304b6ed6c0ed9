"""Rule OR109: sampling parameters the requested model's family does not take."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._catalog import DROPPABLE_PARAMETERS, unsupported_param_findings
from ._models import ModelId, describe, is_openai, is_openai_api_model, matching_models, noun, requires_parameters
from ._rule import Finding, Rule, RuleContext

# Parameters OpenAI's API does not have; OpenRouter drops them on the way (open-weight gpt-oss,
# hosted by other providers, is not affected).
NOT_ON_OPENAI = ("top_k", "min_p", "top_a", "repetition_penalty")
# Parameters only OpenAI models honour.
OPENAI_ONLY = ("logit_bias",)


def _not_openai(model: ModelId) -> bool:
    """A concrete non-OpenAI model (routers like openrouter/auto and bare presets are unknown)."""
    return bool(model.author) and model.author != "openrouter" and not is_openai(model)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class UnsupportedParamSilentlyIgnored(Rule):
    """A parameter the requested model does not support, without `provider.require_parameters`.

    ## Why
    OpenRouter forwards only the parameters a model's endpoint understands and drops the
    rest without an error: `top_k`, `min_p`, `top_a` and `repetition_penalty` never reach
    OpenAI models, and `logit_bias` only works on OpenAI models. The request succeeds, but
    with sampling you did not ask for. Remove the parameter, or set
    `provider.require_parameters: true` so only endpoints that honour every parameter are
    used (the request then fails loudly if there is none).

    It stays a warning on by default although it fires on more than 10% of the requests
    the live API accepted in recorded traffic: those requests succeeded, but with a
    sampling setting (`top_k`, `seed`, `logit_bias`, ...) the serving endpoint dropped, which
    is the silent degradation this rule exists to show, not advice.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o-mini
      top_k: 40
      messages:
        - role: user
          content: Write a haiku about autumn.
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o-mini
      temperature: 0.8
      messages:
        - role: user
          content: Write a haiku about autumn.
    ```

    ## Source
    OpenRouter API overview (`api_reference/overview.mdx`, "Non-standard parameters") and
    parameters page (`api_reference/parameters.mdx`); agent-skills `SKILL.md`.
    """

    code = "OR109"
    name = "unsupported-param-silently-ignored"
    severity = Severity.WARNING
    request_keys = (*NOT_ON_OPENAI, *OPENAI_ONLY, *DROPPABLE_PARAMETERS)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        if requires_parameters(body):
            return
        flagged: set[str] = set()  # parameters reported from the model names, so the catalog does not repeat them
        # Only well-typed values: a wrong type is a schema error (S101) that this warning would replace.
        for param in NOT_ON_OPENAI:
            value = body.get(param)
            models = matching_models(body, is_openai_api_model) if _is_number(value) else []
            if models:
                flagged.add(param)
                yield self._finding(param, models, "OpenAI")
        for param in OPENAI_ONLY:
            value = body.get(param)
            models = matching_models(body, _not_openai) if isinstance(value, dict) and value else []
            if models:
                flagged.add(param)
                yield self._finding(param, models, "non-OpenAI")
        if ctx.catalog is not None:  # the catalog knows the parameters of models the names above cannot tell
            yield from unsupported_param_findings(ctx.catalog, body, skip=flagged)

    @staticmethod
    def _finding(param: str, models: list[str], family: str) -> Finding:
        return Finding((param,), f"`{param}` is not supported by {family} {noun('model', models)} {describe(models)} "
                                 "and is silently dropped: remove it, or set `provider.require_parameters: true` to "
                                 "use only endpoints that honour it", on_key=True)
