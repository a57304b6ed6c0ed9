"""Rule OR106: the deprecated `auto-router` option `cost_quality_tradeoff`."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._rule import Finding, Rule, RuleContext, as_list


class AutoRouterCostQualityTradeoff(Rule):
    """`cost_quality_tradeoff` in an `auto-router` plugin (deprecated, integer 0-10).

    ## Why
    The Auto Router's `cost_quality_tradeoff` knob is deprecated and only takes an integer
    from 0 to 10; anything else is refused. Its replacement, `cost_tier` (`low`, `medium`,
    `high`, `xhigh`, `max`), wins when both are present, so a request carrying both does
    not do what the number says. Use `cost_tier` alone.

    ## Example
    ```yaml
    request:
      model: openrouter/auto
      plugins:
        - id: auto-router
          cost_quality_tradeoff: 15
      messages:
        - role: user
          content: Hello
    ```

    ## Fix
    ```yaml
    request:
      model: openrouter/auto
      plugins:
        - id: auto-router
          cost_tier: medium
      messages:
        - role: user
          content: Hello
    ```

    ## Source
    OpenAPI `AutoRouterPlugin` (`cost_quality_tradeoff`: deprecated, minimum 0, maximum 10;
    `cost_tier`).
    """

    code = "OR106"
    name = "auto-router-cost-quality-tradeoff"
    severity = Severity.ERROR
    request_keys = ("plugins",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for index, plugin in enumerate(as_list(ctx.body.get("plugins"))):
            if not (isinstance(plugin, dict) and plugin.get("id") == "auto-router"
                    and "cost_quality_tradeoff" in plugin):
                continue
            value = plugin["cost_quality_tradeoff"]
            in_range = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10
            if not in_range:
                problem = f"must be an integer from 0 to 10 (got {value!r}) and is deprecated"
            elif "cost_tier" in plugin:
                problem = (f"is ignored because `cost_tier` ({plugin['cost_tier']!r}) takes precedence, "
                           "and is deprecated")
            else:
                problem = "is deprecated"
            yield Finding(("plugins", index, "cost_quality_tradeoff"),
                          f"auto-router `cost_quality_tradeoff` {problem}: use `cost_tier` "
                          "(low, medium, high, xhigh or max) instead")
