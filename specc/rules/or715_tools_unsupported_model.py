"""Rule OR715: `tools` sent to a model the catalog lists without tool support."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._catalog import cited, known_models
from ._messages import has_tools
from ._models import describe
from ._rule import Finding, Rule, RuleContext


class ToolsUnsupportedModel(Rule):
    """`tools` sent to a model whose supported parameters do not include `tools`.

    ## Why
    OpenRouter routes a request with `tools` only to endpoints that support tool calling;
    when the model has none, the request fails with "No endpoints found that support
    tool use" (404), and as a `models[]` fallback the model can never be used. The
    catalog's `supported_parameters` says which models take tools.

    Real traffic: OpenRouter answers such a request with HTTP 404 ("No endpoints found
    that support tool use"). The catalog's `supported_parameters` change as providers come
    and go: a June 2026 snapshot lists no tool support for models (hermes-4,
    mistral-small-3.1) that a provider served with tools in 2025, so keep the catalog fresh.

    ## Example
    ```yaml
    request:
      model: perplexity/sonar-pro-search
      tools:
        - type: function
          function:
            name: get_weather
            parameters: {type: object, properties: {city: {type: string}}}
      messages:
        - role: user
          content: What is the weather in Paris?
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o
      tools:
        - type: function
          function:
            name: get_weather
            parameters: {type: object, properties: {city: {type: string}}}
      messages:
        - role: user
          content: What is the weather in Paris?
    ```

    ## Source
    OpenRouter models API (`supported_parameters`); tool-calling guide
    (`guides/features/tool-calling.mdx`).
    """

    code = "OR715"
    name = "tools-unsupported-model"
    severity = Severity.ERROR
    needs_catalog = True
    request_keys = ("tools",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.catalog is None:  # only run with a catalog (the checker skips it otherwise)
            return
        if not has_tools(ctx.body):
            return
        lacking = [raw for raw, model in known_models(ctx.catalog, ctx.body) if model.supports("tools") is False]
        if lacking:
            yield Finding(("tools",), f"{describe(lacking)} does not support tool calling (`tools` is not in its "
                                      f"supported parameters {cited(ctx.catalog)}): use a model that does, or "
                                      "drop `tools`", on_key=True)
