"""Rule OR103: the deprecated `route` field."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Edit, Fix, Severity
from ._rule import Finding, Rule, RuleContext

# `route` value -> the `provider.sort.partition` that replaces it.
PARTITION_FOR_ROUTE = {"fallback": "model", "sort": "none"}


class RouteDeprecated(Rule):
    """The deprecated top-level `route` field.

    ## Why
    `route` is kept only for old clients; its job moved to `provider.sort.partition`.
    `route: fallback` becomes `partition: model` (endpoints are grouped per model, so the
    fallback models are tried in order) and `route: sort` becomes `partition: none`
    (endpoints of all the models are sorted together). Deprecated fields can stop working
    without notice, so write the new form.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o-mini
      models: [openai/gpt-4o-mini, anthropic/claude-haiku-4.5]
      route: fallback
      messages:
        - role: user
          content: Hello
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o-mini
      models: [openai/gpt-4o-mini, anthropic/claude-haiku-4.5]
      provider:
        sort:
          partition: model
      messages:
        - role: user
          content: Hello
    ```

    ## Source
    OpenAPI schemas `DeprecatedRoute` and `ProviderSortConfig`; OpenRouter provider selection
    guide (`guides/routing/provider-selection.mdx`).
    """

    code = "OR103"
    name = "route-deprecated"
    severity = Severity.WARNING
    fixable = True
    request_keys = ("route",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        if "route" not in body:
            return
        route = body["route"]
        if route is not None and not (isinstance(route, str) and route in PARTITION_FOR_ROUTE):
            return  # an invalid value is a schema error (S101); a warning here would replace it
        if route is None:
            message = "`route` is deprecated (and empty here): remove it; `provider.sort.partition` replaces it"
        else:
            partition = PARTITION_FOR_ROUTE[route]
            message = (f"`route: {route}` is deprecated: write `provider.sort: {{partition: {partition}}}` "
                       "instead")
        yield Finding(("route",), message, on_key=True, fix=self._fix(body, route, PARTITION_FOR_ROUTE.get(route or "")))

    @staticmethod
    def _fix(body: dict, route, partition: str | None) -> Fix | None:
        """Only when certain: a known value (or null) and no `provider.sort` to merge with."""
        if route is None:
            return Fix("remove the empty `route`", (Edit("delete", ("route",)),))
        provider = body.get("provider")
        if partition is None or provider is not None and not isinstance(provider, dict):
            return None
        if isinstance(provider, dict) and provider.get("sort") is not None:
            return None
        return Fix(f"replace `route: {route}` with `provider.sort.partition: {partition}`",
                   (Edit("delete", ("route",)), Edit("set", ("provider", "sort"), {"partition": partition})))
