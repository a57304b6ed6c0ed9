"""Rule OR111: a `:nitro`/`:floor` suffix and a `provider.sort` that disagree."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import model_fields, parse_model, provider_sort
from ._rule import Finding, Rule, RuleContext

# Routing suffix -> the provider sort it stands for.
SORT_FOR_SUFFIX = {"nitro": "throughput", "floor": "price"}
# The documented sort orders (`ProviderSort`); anything else is left to the schema error.
VALID_SORTS = ("price", "throughput", "latency", "exacto")


class SuffixConflictsWithProviderSort(Rule):
    """A `:nitro` or `:floor` model suffix together with a different `provider.sort`.

    ## Why
    `:nitro` is shorthand for sorting providers by throughput and `:floor` for sorting by
    price. A `provider.sort` that asks for another order contradicts the suffix, and only
    one of them can win, so the request is not routed the way one of the two settings
    says. Keep one: the suffix or the explicit sort.

    ## Example
    ```yaml
    request:
      model: meta-llama/llama-3.3-70b-instruct:nitro
      provider:
        sort: price
      messages:
        - role: user
          content: Hello
    ```

    ## Fix
    ```yaml
    request:
      model: meta-llama/llama-3.3-70b-instruct
      provider:
        sort: price
      messages:
        - role: user
          content: Hello
    ```

    ## Source
    OpenRouter model variants (`guides/routing/model-variants/nitro.mdx`, `floor.mdx`) and
    provider selection guide (`guides/routing/provider-selection.mdx`); OpenAPI
    `ProviderPreferences.sort`, `ProviderSortConfig`.
    """

    code = "OR111"
    name = "suffix-conflicts-with-provider-sort"
    severity = Severity.WARNING
    request_keys = ("provider",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        sort = provider_sort(ctx.body)
        if sort is None:
            return
        sort_pointer, sort_by = sort
        if sort_by not in VALID_SORTS:
            return  # an invalid sort is a schema error (S101); a warning here would replace it
        for _, raw in model_fields(ctx.body):
            for suffix in parse_model(raw).suffixes:
                wanted = SORT_FOR_SUFFIX.get(suffix)
                if wanted and sort_by != wanted:
                    yield Finding(sort_pointer,
                                  f"{raw!r} sorts providers by {wanted} (`:{suffix}`), but `provider.sort` asks for "
                                  f"{sort_by!r}: drop the suffix or the sort")
