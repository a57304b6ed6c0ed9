"""Rule OR719: `provider.require_parameters` with a parameter no requested model supports."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._catalog import DROPPABLE_PARAMETERS, all_known, cited, well_typed
from ._models import describe, requires_parameters
from ._rule import Finding, Rule, RuleContext


class RequiredParameterUnsupported(Rule):
    """`provider.require_parameters: true` with a parameter that no requested model supports.

    ## Why
    With `require_parameters: true` OpenRouter routes only to endpoints that honour every
    parameter of the request. When the catalog lists none of the requested models with
    that parameter, no endpoint qualifies and the request fails with HTTP 404 ("No
    endpoints found that can handle the requested parameters"), the same routing filter
    that answers `tools` to a model without tool support with "No endpoints found that
    support tool use" (404s in recorded traffic). Drop the parameter, or pick a model
    whose `supported_parameters` list it.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o
      provider:
        require_parameters: true
      top_k: 40
      messages:
        - role: user
          content: Write a haiku about autumn.
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o
      provider:
        require_parameters: true
      temperature: 0.8
      messages:
        - role: user
          content: Write a haiku about autumn.
    ```

    ## Source
    OpenRouter provider routing (`guides/routing/provider-selection.mdx`, `require_parameters`);
    models API (`supported_parameters`); recorded 404 no-endpoint exchanges.
    """

    code = "OR719"
    name = "required-parameter-unsupported"
    severity = Severity.ERROR
    needs_catalog = True
    request_keys = ("provider",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.catalog is None or not requires_parameters(ctx.body):
            return
        known = all_known(ctx.catalog, ctx.body)
        if not known:
            return  # a model the catalog does not know might take it
        for param in DROPPABLE_PARAMETERS:
            if not well_typed(param, ctx.body.get(param)):
                continue
            if all(model.supports(param) is False for _, model in known):
                yield Finding((param,), f"`{param}` is not in the supported parameters of "
                                        f"{describe(raw for raw, _ in known)} {cited(ctx.catalog)}, and "
                                        "`provider.require_parameters: true` routes only to endpoints that take it: "
                                        "no endpoint is left (HTTP 404); drop it or pick a model that supports it",
                              on_key=True)
