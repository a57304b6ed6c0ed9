"""Rule OR503: web search given both an allow-list and a block-list of domains."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._plugins import web_searches
from ._rule import Finding, Rule, RuleContext


class WebSearchDomainsBoth(Rule):
    """Web search configured with both included and excluded domains.

    ## Why
    The domain allow-list (`include_domains` on the `web` plugin, `allowed_domains` on
    the `openrouter:web_search` tool) and the block-list (`exclude_domains` /
    `excluded_domains`) are alternatives. The OpenAPI schema says one cannot be used with
    the other; Parallel, Firecrawl, Anthropic's and xAI's native search treat them as
    mutually exclusive, and Perplexity silently keeps only the allow-list. So one list is
    dropped, or the search runs unfiltered, depending on which engine happens to serve it.

    A warning, not an error: the live API accepts a request with both lists (HTTP 200),
    and OpenRouter's own web-search guide shows `include_domains` together with
    `exclude_domains`; what is lost depends on the engine, nothing is refused.

    Exa is the one engine documented to combine both lists, so the rule stays silent when
    `engine: exa` is written explicitly. Pick one list: an allow-list already excludes
    everything not on it.

    ## Example
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      tools:
        - type: openrouter:web_search
          parameters:
            allowed_domains: [arxiv.org, nature.com]
            excluded_domains: [reddit.com]
      messages:
        - role: user
          content: Find recent papers on protein folding.
    ```

    ## Fix
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      tools:
        - type: openrouter:web_search
          parameters:
            allowed_domains: [arxiv.org, nature.com]
      messages:
        - role: user
          content: Find recent papers on protein folding.
    ```

    ## Source
    OpenAPI schemas `WebSearchConfig` and `ChatWebSearchShorthand` (`allowed_domains` /
    `excluded_domains`); OpenRouter web search guide (`guides/features/plugins/web-search.mdx`,
    "Domain Filtering" and its engine table).
    """

    code = "OR503"
    name = "web-search-domains-both"
    severity = Severity.WARNING
    request_keys = ("plugins", "tools")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for search in web_searches(ctx):
            if search.engine == "exa" or not (search.includes() and search.excludes()):
                continue
            yield Finding(search.written_at(search.exclude_key),
                          f"{search.label} sets both `{search.include_key}` and `{search.exclude_key}`, which "
                          f"cannot be combined (most engines reject it, Perplexity drops `{search.exclude_key}`): "
                          f"keep only one list, or set `engine: exa`, the one engine that takes both",
                          on_key=True)
