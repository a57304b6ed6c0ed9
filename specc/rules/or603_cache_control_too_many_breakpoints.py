"""Rule OR603: more than four explicit cache breakpoints for a Claude model."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import describe, is_anthropic, matching_models
from ._plugins import block_breakpoints, ordinal, path_text
from ._rule import Finding, Rule, RuleContext

MAX_BREAKPOINTS = 4


class CacheControlTooManyBreakpoints(Rule):
    """More than 4 per-block cache breakpoints in a request for a Claude model.

    ## Why
    Anthropic accepts at most four explicit cache breakpoints per request, counted over
    tools, system prompt and messages; a fifth makes the request fail. Breakpoints are
    the per-block `cache_control` markers on content parts and tools, and also the
    OpenAI-style `prompt_cache_breakpoint` markers, which OpenRouter turns into
    `cache_control` for Claude. Keep breakpoints for the few large, stable blocks (tool
    definitions, long documents), placed at the end of each reusable prefix.

    ## Example
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      messages:
        - role: system
          content:
            - {type: text, text: "<style guide>", cache_control: {type: ephemeral}}
            - {type: text, text: "<product manual>", cache_control: {type: ephemeral}}
            - {type: text, text: "<pricing table>", cache_control: {type: ephemeral}}
        - role: user
          content:
            - {type: text, text: "<ticket history>", cache_control: {type: ephemeral}}
            - {type: text, text: "<customer profile>", cache_control: {type: ephemeral}}
            - {type: text, text: Draft a reply to the latest ticket.}
    ```

    ## Fix
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      messages:
        - role: system
          content:
            - {type: text, text: "<style guide>"}
            - {type: text, text: "<product manual>"}
            - {type: text, text: "<pricing table>", cache_control: {type: ephemeral}}
        - role: user
          content:
            - {type: text, text: "<ticket history>"}
            - {type: text, text: "<customer profile>", cache_control: {type: ephemeral}}
            - {type: text, text: Draft a reply to the latest ticket.}
    ```

    ## Source
    OpenRouter prompt caching guide (`guides/best-practices/prompt-caching.mdx`, Anthropic
    explicit breakpoints and the note on `prompt_cache_breakpoint` conversion);
    agent-skills `references/prompt-caching.md`.
    """

    code = "OR603"
    name = "cache-control-too-many-breakpoints"
    severity = Severity.ERROR
    request_keys = ("tools", "messages")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        claude = matching_models(ctx.body, is_anthropic)
        if not claude:
            return
        breakpoints = block_breakpoints(ctx)
        if len(breakpoints) <= MAX_BREAKPOINTS:
            return
        extra = breakpoints[MAX_BREAKPOINTS]
        where = path_text(extra.pointer[:-1])
        yield Finding(extra.pointer, f"{len(breakpoints)} cache breakpoints, but {describe(claude)} on Anthropic "
                      f"allows at most {MAX_BREAKPOINTS} per request; this is the {ordinal(MAX_BREAKPOINTS + 1)} "
                      f"(at {where}): keep breakpoints only at the end of the large, stable blocks", on_key=True)
