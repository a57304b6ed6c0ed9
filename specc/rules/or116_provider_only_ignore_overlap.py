"""Rule OR116: a provider both allowed (`only`/`order`) and excluded (`ignore`)."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import provider_preferences
from ._rule import Finding, Rule, RuleContext, as_list


class ProviderOnlyIgnoreOverlap(Rule):
    """A provider named in `provider.ignore` and also in `provider.only` or `provider.order`.

    ## Why
    `ignore` removes providers from routing; `only` restricts routing to its providers and
    `order` asks for its providers first. A provider in both lists is a contradiction:
    whichever list wins, one of them is not applied, and with `only` the routing can be
    left with no provider at all, so the request fails. Names compare case-insensitively.

    ## Example
    ```yaml
    request:
      model: meta-llama/llama-3.3-70b-instruct
      provider:
        only: [DeepInfra, Together]
        ignore: [deepinfra]
      messages:
        - role: user
          content: Hello
    ```

    ## Fix
    ```yaml
    request:
      model: meta-llama/llama-3.3-70b-instruct
      provider:
        only: [Together]
      messages:
        - role: user
          content: Hello
    ```

    ## Source
    OpenRouter provider selection guide (`guides/routing/provider-selection.mdx`: order, only,
    ignore); OpenAPI `ProviderPreferences`.
    """

    code = "OR116"
    name = "provider-only-ignore-overlap"
    severity = Severity.ERROR
    checks_partial_specs = True  # judges values written, never what is missing
    request_keys = ("provider",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        provider = provider_preferences(ctx.body)
        ignored = as_list(provider.get("ignore"))
        if not ignored:
            return
        for index, name in enumerate(ignored):
            if not isinstance(name, str):
                continue
            for field in ("only", "order"):
                match = next((other for other in as_list(provider.get(field))
                              if isinstance(other, str) and other.strip().lower() == name.strip().lower()), None)
                if match is not None:
                    yield Finding(("provider", "ignore", index),
                                  f"provider {name!r} is in `provider.ignore` and also in `provider.{field}` "
                                  f"(as {match!r}): remove it from one of the lists")
                    break
