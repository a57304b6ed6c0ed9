"""Rule OR119: a `provider.max_price` that rules out every endpoint able to stay under `expect.usage.max_cost`."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._catalog import all_known, cited
from ._rule import Finding, Rule, RuleContext


class MaxPriceRulesOutMaxCost(Rule):
    """`provider.max_price` excludes the only endpoints whose cost can stay under `expect.usage.max_cost`.

    ## Why
    `provider.max_price` caps each price separately (prompt, completion, request, image),
    so a cap on one price can exclude the endpoint that is cheapest for *this* request: a
    long prompt costs most at the prompt price, whatever the completion price is. When
    the endpoints the cap leaves all cost more for the prompt alone than
    `expect.usage.max_cost`, while an excluded one would not, the request's own routing
    makes its expectation impossible: every send fails it. (When the cap excludes every
    endpoint, OR107 reports that instead.) Prompt tokens are estimated low, as for OR118.

    ## Example
    ```yaml
    request:
      model: deepseek/deepseek-v4.1-flash
      models: [mistralai/mistral-small-3.2-24b-instruct]
      provider:
        max_price: {completion: 0.5}
      messages:
        - role: system
          content: You are a careful translator. Translate the user's text into German, keep product names in English, and keep the formatting of lists and headings exactly as written.
        - role: user
          content: Open Settings, then Backups, and choose Restore to bring back a folder you deleted in the last thirty days. Restored folders keep their sharing settings, but links you sent before the deletion stop working and must be sent again.
    expect:
      usage:
        max_cost: 0.000004
    ```

    ## Fix
    ```yaml
    request:
      model: deepseek/deepseek-v4.1-flash
      models: [mistralai/mistral-small-3.2-24b-instruct]
      provider:
        max_price: {completion: 1}
      messages:
        - role: system
          content: You are a careful translator. Translate the user's text into German, keep product names in English, and keep the formatting of lists and headings exactly as written.
        - role: user
          content: Open Settings, then Backups, and choose Restore to bring back a folder you deleted in the last thirty days. Restored folders keep their sharing settings, but links you sent before the deletion stop working and must be sent again.
    expect:
      usage:
        max_cost: 0.000004
    ```

    ## Source
    OpenRouter provider selection guide (`guides/routing/provider-selection.mdx`, "Max Price");
    models API pricing; specc's `expect.usage.max_cost`.
    """

    code = "OR119"
    name = "max-price-rules-out-max-cost"
    severity = Severity.ERROR
    needs_catalog = True
    request_keys = ("provider",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        from ..cost import cheapest_row, low_bounds, max_cost_of, usd

        max_cost = max_cost_of(ctx.spec)
        if ctx.catalog is None or max_cost is None or not all_known(ctx.catalog, ctx.body):
            return
        capped, uncapped = low_bounds(ctx.body, ctx.catalog)
        kept, freed = cheapest_row(capped), cheapest_row(uncapped)
        if (kept is None or freed is None or capped.least is None or uncapped.least is None  # OR107: none left
                or capped.least <= max_cost or uncapped.least > max_cost):
            return
        freed_at = f"{freed.requested}{' on ' + freed.provider if freed.provider else ''}"
        yield Finding(("provider", "max_price"),
                      f"`provider.max_price` leaves only endpoints whose prompt alone (~{capped.prompt.tokens:,} "
                      f"tokens, estimated low) costs at least {usd(capped.least)}, above `expect.usage.max_cost` "
                      f"{usd(max_cost)}; it excludes {freed_at}, where it costs {usd(freed.least)} {cited(ctx.catalog)}: "
                      "loosen the cap or the expectation")
