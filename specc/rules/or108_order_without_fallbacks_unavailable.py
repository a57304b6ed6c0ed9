"""Rule OR108: `allow_fallbacks: false` with provider lists that do not serve the model."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._catalog import cited, known_models
from ._models import provider_preferences
from ._rule import Finding, Rule, RuleContext, as_list


class OrderWithoutFallbacksUnavailable(Rule):
    """With `allow_fallbacks: false`, none of `provider.order`/`only` serves a requested model.

    ## Why
    `allow_fallbacks: false` makes OpenRouter try only the providers listed in
    `provider.order` (and `only`). When none of them serves the model, nothing is tried
    and the request fails, with no retry elsewhere. The catalog's endpoints (pulled with
    `specc models pull --endpoints`) list the providers that serve each model; this rule
    needs them and is silent for models whose endpoints were not pulled.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o
      provider:
        order: [anthropic]
        allow_fallbacks: false
      messages:
        - role: user
          content: Hello
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o
      provider:
        order: [azure, openai]
        allow_fallbacks: false
      messages:
        - role: user
          content: Hello
    ```

    ## Source
    OpenRouter provider selection guide (`guides/routing/provider-selection.mdx`, disabling
    fallbacks); OpenAPI `ProviderPreferences.allow_fallbacks`; the endpoints API
    (`GET /api/v1/models/{author}/{slug}/endpoints`).
    """

    code = "OR108"
    name = "order-without-fallbacks-unavailable"
    severity = Severity.ERROR
    needs_catalog = True
    request_keys = ("provider",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.catalog is None:  # only run with a catalog (the checker skips it otherwise)
            return
        provider = provider_preferences(ctx.body)
        if provider.get("allow_fallbacks") is not False:
            return
        lists = [(key, [n for n in as_list(provider.get(key)) if isinstance(n, str)]) for key in ("order", "only")]
        lists = [(key, names) for key, names in lists if names]
        if not lists:
            return
        pointer = ("provider", lists[0][0])
        listed = [name for _, names in lists for name in names]
        for raw, model in known_models(ctx.catalog, ctx.body):
            if not model.endpoints:
                continue
            if any(e.serves_for(name) for e in model.endpoints for name in listed):
                continue
            serving = ", ".join(sorted({e.tag or e.provider for e in model.endpoints}))
            yield Finding(pointer, f"with `allow_fallbacks: false` only {', '.join(repr(n) for n in listed)} "
                                   f"may serve {raw!r}, and none does (its endpoints: {serving} {cited(ctx.catalog)}): "
                                   "list one of those providers or allow fallbacks")
