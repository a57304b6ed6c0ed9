"""Rule OR601: automatic caching (top-level `cache_control`) for a model outside the Claude family."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import describe, is_anthropic, parse_model
from ._plugins import concrete_models, served_by_alibaba, top_level_cache_control
from ._rule import Finding, Rule, RuleContext


class CacheControlTopLevelUnsupportedProvider(Rule):
    """A top-level `cache_control` (automatic caching) on a request for a non-Claude model.

    ## Why
    A `cache_control` at the top of the request turns on Anthropic's automatic caching:
    the breakpoint is placed on the last cacheable block and moves forward as the
    conversation grows. Only routes serving Claude understand it; everywhere else the
    field does nothing, so the prompt is not cached the way the spec suggests (most other
    providers cache automatically or need per-block `cache_control`, which is the
    portable form).

    The sources disagree on exactly which Claude routes qualify: OpenRouter's caching
    guide lists Anthropic, Google Vertex AI, Azure, Amazon Bedrock (translated into a
    trailing breakpoint) and Claude Platform on AWS, while the agent-skills reference says
    Anthropic direct only, with Bedrock and Vertex excluded. The rule does not take sides
    on the route: it fires only for requested models (primary or `models[]` fallback) that
    are not Claude models at all; a router such as `openrouter/auto`, whose pick is not
    known in advance, is not reported. Alibaba-served models have their own rule,
    `cache-control-top-level-alibaba`.

    ## Example
    ```yaml
    request:
      model: openai/gpt-5-mini
      cache_control: {type: ephemeral}
      messages:
        - role: system
          content: You are a support assistant for Acme's billing product.
        - role: user
          content: Why was I charged twice?
    ```

    ## Fix
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      cache_control: {type: ephemeral}
      messages:
        - role: system
          content: You are a support assistant for Acme's billing product.
        - role: user
          content: Why was I charged twice?
    ```

    ## Source
    OpenRouter prompt caching guide (`guides/best-practices/prompt-caching.mdx`, Anthropic
    section on automatic caching); agent-skills `references/prompt-caching.md` and `SKILL.md`.
    """

    code = "OR601"
    name = "cache-control-top-level-unsupported-provider"
    severity = Severity.WARNING
    request_keys = ("cache_control",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        if not top_level_cache_control(body):
            return
        others = [raw for raw in concrete_models(body)
                  if not is_anthropic(parse_model(raw)) and not served_by_alibaba(body, raw)]
        if others:
            yield Finding(("cache_control",), f"top-level `cache_control` (automatic caching) only works on Claude "
                          f"routes and has no effect for {describe(others)}: mark large blocks with per-block "
                          "`cache_control` instead, or rely on that provider's automatic caching", on_key=True)
