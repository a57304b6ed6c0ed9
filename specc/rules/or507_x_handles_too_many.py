"""Rule OR507: an X-search handle list longer than 20."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._plugins import path_text, x_search_filters
from ._rule import Finding, Rule, RuleContext

MAX_HANDLES = 20


class XHandlesTooMany(Rule):
    """An X (Twitter) search filter with more than 20 handles in one list.

    ## Why
    `allowed_x_handles` and `excluded_x_handles` each take at most 20 handles. A longer
    list makes the filter invalid, so the X search you configured does not run as written
    (see `x-handles-both` for what happens to an invalid filter). Trim the list, or split
    the question across requests.

    ## Example
    ```yaml
    request:
      model: x-ai/grok-4.1-fast
      tools:
        - type: openrouter:web_search
          parameters:
            x_search:
              allowed_x_handles: [h01, h02, h03, h04, h05, h06, h07, h08, h09, h10,
                                  h11, h12, h13, h14, h15, h16, h17, h18, h19, h20, h21]
      messages:
        - role: user
          content: Summarise today's posts from our partner accounts.
    ```

    ## Fix
    ```yaml
    request:
      model: x-ai/grok-4.1-fast
      tools:
        - type: openrouter:web_search
          parameters:
            x_search:
              allowed_x_handles: [h01, h02, h03, h04, h05, h06, h07, h08, h09, h10,
                                  h11, h12, h13, h14, h15, h16, h17, h18, h19, h20]
      messages:
        - role: user
          content: Summarise today's posts from our partner accounts.
    ```

    ## Source
    OpenRouter web search guide (`guides/features/plugins/web-search.mdx`, X search filter
    parameters: at most 20 handles per list).
    """

    code = "OR507"
    name = "x-handles-too-many"
    severity = Severity.WARNING
    request_keys = ("x_search_filter", "plugins", "tools")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for pointer, filter_ in x_search_filters(ctx):
            for key in ("allowed_x_handles", "excluded_x_handles"):
                handles = filter_.get(key)
                if isinstance(handles, list) and len(handles) > MAX_HANDLES:
                    where = path_text((*pointer, key))
                    yield Finding((*pointer, key), f"`{where}` lists {len(handles)} handles; at most "
                                  f"{MAX_HANDLES} are allowed, otherwise the filter is invalid: keep the "
                                  f"{MAX_HANDLES} that matter most")
