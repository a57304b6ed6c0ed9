"""Rule OR506: an X-search filter with both allowed and excluded handles."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._plugins import nonempty_list, path_text, x_search_filters
from ._rule import Finding, Rule, RuleContext


class XHandlesBoth(Rule):
    """An X (Twitter) search filter that lists both `allowed_x_handles` and `excluded_x_handles`.

    ## Why
    On xAI models, web search can also search X, narrowed by a filter: the legacy top-level
    `x_search_filter`, or `x_search` on the `web` plugin or in the `openrouter:web_search`
    tool's `parameters`. Its two handle lists are alternatives. A filter holding both fails
    validation, and you do not get the narrowed search you asked for: earlier versions of
    the guide say the filter is dropped and an unfiltered search runs, the current one says
    the request is rejected with 400. Keep one list.

    ## Example
    ```yaml
    request:
      model: x-ai/grok-4.1-fast
      tools:
        - type: openrouter:web_search
          parameters:
            x_search:
              allowed_x_handles: [OpenRouterAI]
              excluded_x_handles: [spam_account]
      messages:
        - role: user
          content: What are people saying about OpenRouter?
    ```

    ## Fix
    ```yaml
    request:
      model: x-ai/grok-4.1-fast
      tools:
        - type: openrouter:web_search
          parameters:
            x_search:
              allowed_x_handles: [OpenRouterAI]
      messages:
        - role: user
          content: What are people saying about OpenRouter?
    ```

    ## Source
    OpenRouter web search guide (`guides/features/plugins/web-search.mdx`, X search filter
    parameters).
    """

    code = "OR506"
    name = "x-handles-both"
    severity = Severity.WARNING
    request_keys = ("x_search_filter", "plugins", "tools")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for pointer, filter_ in x_search_filters(ctx):
            if nonempty_list(filter_, "allowed_x_handles") and nonempty_list(filter_, "excluded_x_handles"):
                where = path_text(pointer)
                yield Finding((*pointer, "excluded_x_handles"),
                              f"`{where}` sets both `allowed_x_handles` and `excluded_x_handles`, which are "
                              "mutually exclusive: the filter fails validation and the narrowed X search does not "
                              "run; keep only one of the two lists", on_key=True)
