"""Rule OR114: `:online` together with a `web` plugin or the web-search server tool."""

from __future__ import annotations

from ..diagnostics import Severity
from ._models import model_fields, parse_model
from ._rule import Finding, Rule, RuleContext, as_list

WEB_SEARCH_TOOL = "openrouter:web_search"


def web_search_requests(body: dict) -> list[str]:
    """What else in the request asks for web search, for the message."""
    found = []
    for plugin in as_list(body.get("plugins")):
        if isinstance(plugin, dict) and plugin.get("id") == "web" and plugin.get("enabled") is not False:
            found.append("the `web` plugin")
            break
    for tool in as_list(body.get("tools")):
        if isinstance(tool, dict) and tool.get("type") == WEB_SEARCH_TOOL:
            found.append(f"the `{WEB_SEARCH_TOOL}` tool")
            break
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

    def check(self, ctx: RuleContext):
        others = web_search_requests(ctx.body)
        if not others:
            return
        for pointer, raw in model_fields(ctx.body):
            if "online" in parse_model(raw).suffixes:
                verb = "asks" if len(others) == 1 else "ask"
                yield Finding(pointer, f"{raw!r} already searches the web (`:online`), and "
                                       f"{' and '.join(others)} {verb} for web search again: keep only one")
