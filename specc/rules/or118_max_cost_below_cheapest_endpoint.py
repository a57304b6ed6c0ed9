"""Rule OR118: an `expect.usage.max_cost` that even the cheapest reachable endpoint cannot stay under."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._catalog import all_known, cited
from ._rule import Finding, Rule, RuleContext


class MaxCostBelowCheapestEndpoint(Rule):
    """`expect.usage.max_cost` below what the prompt alone costs on every endpoint the request can reach.

    ## Why
    `expect.usage.max_cost` fails the send (and the contract test) when `usage.cost` is
    above it. Before anything is sent, the catalog's prices and an estimate of the prompt's
    tokens show the least the request can cost: the prompt alone (no completion) on its
    cheapest reachable endpoint, over `model`, the `models[]` fallbacks and the endpoints
    `provider` allows. When even that is above the cap, every send fails the expectation.
    The estimate is taken low (half the `specc cost` figure; see the README's "Cost bound"
    for how far off it can be), so this is a warning: it can still be wrong for a
    provider whose tokenizer counts far fewer tokens.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o
      messages:
        - role: system
          content: You are a careful translator. Translate the user's text into German, keep product names in English, and keep the formatting of lists and headings exactly as written.
        - role: user
          content: Open Settings, then Backups, and choose Restore to bring back a folder you deleted in the last thirty days. Restored folders keep their sharing settings, but links you sent before the deletion stop working and must be sent again.
    expect:
      usage:
        max_cost: 0.0001
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o-mini
      messages:
        - role: system
          content: You are a careful translator. Translate the user's text into German, keep product names in English, and keep the formatting of lists and headings exactly as written.
        - role: user
          content: Open Settings, then Backups, and choose Restore to bring back a folder you deleted in the last thirty days. Restored folders keep their sharing settings, but links you sent before the deletion stop working and must be sent again.
    expect:
      usage:
        max_cost: 0.0001
    ```

    ## Source
    OpenRouter models API pricing (`GET /api/v1/models`, `/models/{author}/{slug}/endpoints`);
    `usage.cost` in the chat-completions response; specc's `expect.usage.max_cost`.
    """

    code = "OR118"
    name = "max-cost-below-cheapest-endpoint"
    severity = Severity.WARNING
    needs_catalog = True
    request_keys = ("model", "models")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        from ..cost import cheapest_row, low_bounds, max_cost_of, usd

        max_cost = max_cost_of(ctx.spec)
        if ctx.catalog is None or max_cost is None or not all_known(ctx.catalog, ctx.body):
            return
        capped, uncapped = low_bounds(ctx.body, ctx.catalog)
        cheapest = cheapest_row(capped)
        if capped.least is None or cheapest is None or capped.least <= max_cost:
            return
        if uncapped.least is not None and uncapped.least <= max_cost:
            return  # `provider.max_price` is what rules the cheap endpoints out: OR119's error
        where = f"{cheapest.requested} on {cheapest.provider}" if cheapest.provider else f"{cheapest.requested} (list price)"
        yield Finding(("expect", "usage", "max_cost"),
                      f"`expect.usage.max_cost` {usd(max_cost)} is below the least this request can cost: the prompt "
                      f"alone (~{capped.prompt.tokens:,} tokens, estimated low) costs {usd(cheapest.least)} on its "
                      f"cheapest reachable endpoint, {where} {cited(ctx.catalog)}; every send would fail the "
                      "expectation: raise the cap, shorten the prompt or choose a cheaper model", in_spec=True)
