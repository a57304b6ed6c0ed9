"""Rule OR602: automatic caching requested for a model Alibaba serves."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import describe, requested_models
from ._plugins import block_breakpoints, served_by_alibaba, top_level_cache_control
from ._rule import Finding, Rule, RuleContext


class CacheControlTopLevelAlibaba(Rule):
    """A top-level `cache_control` for a model Alibaba serves, with no per-block breakpoints.

    ## Why
    Alibaba caches only what is marked explicitly: a `cache_control: {type: ephemeral}`
    on the content blocks to cache, as with Anthropic's explicit breakpoints. The top-level
    `cache_control` (automatic caching) is not enough there, so without a per-block marker
    nothing is cached and every request pays full input price. This concerns Qwen models
    and anything routed to the Alibaba provider (such as DeepSeek there).

    ## Example
    ```yaml
    request:
      model: qwen/qwen3-coder-plus
      cache_control: {type: ephemeral}
      messages:
        - role: user
          content:
            - type: text
              text: Use the reference below when answering.
            - type: text
              text: "<large reference document>"
            - type: text
              text: Summarise the main implementation details.
    ```

    ## Fix
    ```yaml
    request:
      model: qwen/qwen3-coder-plus
      messages:
        - role: user
          content:
            - type: text
              text: Use the reference below when answering.
            - type: text
              text: "<large reference document>"
              cache_control: {type: ephemeral}
            - type: text
              text: Summarise the main implementation details.
    ```

    ## Source
    OpenRouter prompt caching guide (`guides/best-practices/prompt-caching.mdx`, Alibaba
    section).
    """

    code = "OR602"
    name = "cache-control-top-level-alibaba"
    severity = Severity.WARNING
    request_keys = ("cache_control",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        if not top_level_cache_control(body):
            return
        alibaba = [raw for raw in requested_models(body) if served_by_alibaba(body, raw)]
        marked = [b for b in block_breakpoints(ctx, include_tools=False) if b.pointer[-1] == "cache_control"]
        if alibaba and not marked:
            yield Finding(("cache_control",), f"{describe(alibaba)} on Alibaba caches only blocks marked with "
                          "per-block `cache_control`; the top-level `cache_control` alone caches nothing: add "
                          "`cache_control: {type: ephemeral}` to the large content blocks", on_key=True)
