"""Rule OR107: a `provider.max_price` no endpoint of any requested model is within."""

from __future__ import annotations

from typing import Iterator

from ..catalog import TOKENS_PER_PRICE_UNIT, price_per_token
from ..diagnostics import Severity
from ._catalog import all_known, cited, reachable_endpoints
from ._models import provider_preferences
from ._rule import Finding, Rule, RuleContext, as_dict

# max_price field -> how many catalog price units one max_price unit is (prompt/completion are per million tokens).
CAPPED = {"prompt": TOKENS_PER_PRICE_UNIT, "completion": TOKENS_PER_PRICE_UNIT, "request": 1, "image": 1, "audio": 1}


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:  # an int past float's range: as good as no cap at all
            return float("inf") if value > 0 else float("-inf")
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _within(pricing: dict[str, str], caps: dict[str, float]) -> bool:
    """True unless a known price is over its cap (a dynamic or absent price may be within)."""
    for key, cap in caps.items():
        price = price_per_token(pricing.get(key)) if key in pricing else None
        if price is not None and price * CAPPED[key] > cap + 1e-12:
            return False
    return True


def _cheapest(offers: list[dict[str, str]], caps: dict[str, float]) -> str:
    parts = []
    for key in caps:
        prices = [p for offer in offers if (p := price_per_token(offer.get(key))) is not None]
        if prices:
            unit = "/M tokens" if CAPPED[key] == TOKENS_PER_PRICE_UNIT else f" per {key}"
            parts.append(f"{key} ${min(prices) * CAPPED[key]:.4g}{unit}")
    return ", ".join(parts)


class MaxPriceUnsatisfiable(Rule):
    """`provider.max_price` below the price of every endpoint the request can reach.

    ## Why
    `provider.max_price` is a hard filter, not a preference: OpenRouter only uses
    endpoints priced at or under it (USD per million tokens for `prompt` and
    `completion`, per request or image for `request` and `image`). When no endpoint of
    any requested model is cheap enough, every request fails. The catalog's prices (per
    endpoint when pulled with `--endpoints`) show whether any endpoint fits.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o
      provider:
        max_price: {prompt: 1, completion: 2}
      messages:
        - role: user
          content: Hello
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o
      provider:
        max_price: {prompt: 3, completion: 12}
      messages:
        - role: user
          content: Hello
    ```

    ## Source
    OpenRouter provider selection guide (`guides/routing/provider-selection.mdx`, "Max Price");
    OpenAPI `ProviderPreferences.max_price`.
    """

    code = "OR107"
    name = "max-price-unsatisfiable"
    severity = Severity.ERROR
    needs_catalog = True
    request_keys = ("provider",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.catalog is None:  # only run with a catalog (the checker skips it otherwise)
            return
        max_price = as_dict(provider_preferences(ctx.body).get("max_price"))
        caps = {key: number for key in CAPPED if (number := _number(max_price.get(key))) is not None}
        known = all_known(ctx.catalog, ctx.body) if caps else None
        if not known:
            return
        described = []
        for raw, model in known:
            endpoints = reachable_endpoints(model, ctx.body)
            offers = [e.pricing for e in endpoints] if endpoints else [model.pricing]
            if any(_within(offer, caps) for offer in offers):
                return
            where = f"{len(endpoints)} endpoint{'s' if len(endpoints) != 1 else ''}" if endpoints else "model price"
            described.append(f"{raw!r} ({where}) costs at least {_cheapest(offers, caps)}")
        shown = ", ".join(f"{key} ${cap:g}" for key, cap in caps.items())
        yield Finding(("provider", "max_price"), f"no endpoint is within `max_price` ({shown}): "
                                                 f"{'; '.join(described)} {cited(ctx.catalog)}; every request would "
                                                 "fail: raise the cap or choose a cheaper model")
