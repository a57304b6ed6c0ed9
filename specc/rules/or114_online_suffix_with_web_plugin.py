"""Rule OR114: `:online` together with a `web` plugin or the web-search server tool."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import model_fields, parse_model
from ._rule import Finding, Rule, RuleContext

WEB_SEARCH_TOOL = "openrouter:web_search"


def web_search_requests(ctx: RuleContext) -> list[str]:
    """What else in the request asks for web search, for the message."""
    found = []
    if any(plugin.get("id") == "web" and plugin.get("enabled") is not False for _, plugin in ctx.plugins):
        found.append("the `web` plugin")
    if any(tool.get("type") == WEB_SEARCH_TOOL for _, tool in ctx.tools):
        found.append(f"the `{WEB_SEARCH_TOOL}` tool")
    return found


class OnlineSuffixWithWebPlugin(Rule):
    """A `:online` model together with a `web` plugin or `openrouter:web_search` tool.

    ## Why
    `:online` already turns on web search for that model. Adding the `web` plugin or the
    `openrouter:web_search` server tool asks for search a second time: the settings may
    disagree (engine, result count, domains), and you may pay for searches twice. Keep
    one, preferably the server tool (`:online` is deprecated).

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o-mini:online
      tools:
        - type: openrouter:web_search
      messages:
        - role: user
          content: What is new in Rust this month?
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o-mini
      tools:
        - type: openrouter:web_search
      messages:
        - role: user
          content: What is new in Rust this month?
    ```

    ## Source
    OpenRouter docs: `:online` variant (`guides/routing/model-variants/online.mdx`), web
    search plugin (`guides/features/plugins/web-search.mdx`), server tools.
    """

    code = "OR114"
    name = "online-suffix-with-web-plugin"
    severity = Severity.WARNING
    request_keys = ("plugins", "tools")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        others = web_search_requests(ctx)
        if not others:
            return
        for pointer, raw in model_fields(ctx.body):
            if "online" in parse_model(raw).suffixes:
                verb = "asks" if len(others) == 1 else "ask"
                yield Finding(pointer, f"{raw!r} already searches the web (`:online`), and "
                                       f"{' and '.join(others)} {verb} for web search again: keep only one")
