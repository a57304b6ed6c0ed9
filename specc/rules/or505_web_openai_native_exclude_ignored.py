"""Rule OR505: an excluded-domains list that OpenAI's native web search ignores."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import describe, matching_models
from ._plugins import NATIVE_OR_DEFAULT_ENGINES, openai_native_search, web_searches
from ._rule import Finding, Rule, RuleContext


class WebOpenaiNativeExcludeIgnored(Rule):
    """Excluded domains on web search that OpenAI's native search will silently ignore.

    ## Why
    For OpenAI models with built-in search (GPT-4.1 and later, o3, o4-mini) OpenRouter
    uses OpenAI's own search unless another engine is named, and OpenAI's search honours
    only an allow-list: `exclude_domains` / `excluded_domains` is dropped without an
    error, so results from the domains you meant to block still come back. Name an engine
    that honours the block-list (`exa`, `parallel`, `firecrawl`, `perplexity`) or express
    the filter as an allow-list.

    Older OpenAI models without native search (such as GPT-4o) fall back to Exa, which
    does exclude, so the rule stays silent for them.

    ## Example
    ```yaml
    request:
      model: openai/gpt-5.2
      tools:
        - type: openrouter:web_search
          parameters:
            excluded_domains: [reddit.com, quora.com]
      messages:
        - role: user
          content: How do I rotate an API key safely?
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-5.2
      tools:
        - type: openrouter:web_search
          parameters:
            engine: exa
            excluded_domains: [reddit.com, quora.com]
      messages:
        - role: user
          content: How do I rotate an API key safely?
    ```

    ## Source
    OpenRouter web search guide (`guides/features/plugins/web-search.mdx`, native provider
    behaviour for OpenAI) and server tool guide (`guides/features/server-tools/web-search.mdx`,
    domain filtering table); agent-skills `references/web-search.md`.
    """

    code = "OR505"
    name = "web-openai-native-exclude-ignored"
    severity = Severity.WARNING
    request_keys = ("plugins", "tools")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        searches = web_searches(ctx)
        if not searches:
            return  # cheaper to know than the models below
        openai = matching_models(ctx.body, openai_native_search)
        if not openai:
            return
        for search in searches:
            if search.engine not in NATIVE_OR_DEFAULT_ENGINES or not search.excludes():
                continue
            engine = "`engine: native`" if search.engine == "native" else "the default engine"
            yield Finding(search.written_at(search.exclude_key),
                          f"{describe(openai)} searches with OpenAI's native search under {engine}, which "
                          f"silently ignores `{search.exclude_key}` in {search.label}: set `engine` to 'exa' "
                          f"(or 'parallel', 'firecrawl', 'perplexity') or use `{search.include_key}` instead",
                          on_key=True)
