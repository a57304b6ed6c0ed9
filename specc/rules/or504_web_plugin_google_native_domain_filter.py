"""Rule OR504: Google's native web search asked to filter domains."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import describe, is_gemini, matching_models
from ._plugins import gemini_version, web_searches
from ._rule import Finding, Rule, RuleContext


class WebPluginGoogleNativeDomainFilter(Rule):
    """Domain filters on web search forced to `engine: native` for a Gemini model.

    ## Why
    Google's built-in search cannot filter by domain. With the default engine OpenRouter
    notices the filters and searches with Exa instead, but `engine: native` pins the
    request to Google's search and the API answers 400. Remove `engine: native` (or pick
    an engine that filters, such as `exa`), or drop the domain lists.

    For the `web` plugin this holds for any Gemini model. The `openrouter:web_search`
    tool falls back to Exa on models without native search, so there the rule only fires
    for Gemini 3 and later, the Gemini models with native search.

    ## Example
    ```yaml
    request:
      model: google/gemini-3-flash-preview
      plugins:
        - id: web
          engine: native
          include_domains: [docs.python.org]
      messages:
        - role: user
          content: What is new in the latest Python release?
    ```

    ## Fix
    ```yaml
    request:
      model: google/gemini-3-flash-preview
      plugins:
        - id: web
          engine: exa
          include_domains: [docs.python.org]
      messages:
        - role: user
          content: What is new in the latest Python release?
    ```

    ## Source
    OpenRouter web search guide (`guides/features/plugins/web-search.mdx`, native provider
    behaviour for Google) and the web search server tool guide
    (`guides/features/server-tools/web-search.mdx`, domain filtering table).
    """

    code = "OR504"
    name = "web-plugin-google-native-domain-filter"
    severity = Severity.ERROR
    request_keys = ("plugins", "tools")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for search in web_searches(ctx):
            if search.engine != "native":
                continue
            lists = [key for key, value in ((search.include_key, search.includes()),
                                            (search.exclude_key, search.excludes())) if value]
            if not lists:
                continue
            if search.is_plugin:
                gemini = matching_models(ctx.body, is_gemini)
            else:  # the tool falls back to Exa on Gemini models without native search
                gemini = matching_models(ctx.body, lambda m: (gemini_version(m) or (0, 0)) >= (3, 0))
            if not gemini:
                continue
            written = ", ".join(f"`{key}`" for key in lists)
            yield Finding(search.written_at("engine"),
                          f"{describe(gemini)} has no domain filtering in Google's native search, so {search.label} "
                          f"with `engine: native` and domain filters ({written}) is rejected with 400: remove "
                          "`engine: native` (OpenRouter then filters with Exa) or use another engine such as 'exa'")
