"""Rule OR605: `prompt_cache_options` on a request for a model other than OpenAI GPT-5.6+."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Edit, Fix, Severity
from ._models import describe, parse_model, requested_models
from ._plugins import concrete_models, openai_explicit_caching
from ._rule import Finding, Rule, RuleContext


class PromptCacheOptionsNonOpenai(Rule):
    """`prompt_cache_options` for a model that is not OpenAI GPT-5.6 or newer.

    ## Why
    `prompt_cache_options` (explicit mode and its `ttl`) is OpenAI's request-level
    cache control, and only GPT-5.6 and newer support it. OpenRouter does not translate it
    for other providers, so for any other model (or an older GPT) it does nothing. The
    same goes for lifetimes: block-level markers are converted between providers, but
    their TTLs are not (a `prompt_cache_breakpoint` reaches Anthropic or Google as a default
    5-minute `cache_control`). Use per-block `cache_control` for Claude, Gemini and Qwen.
    When no requested model supports it, the fix deletes the setting.

    ## Example
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      prompt_cache_options: {mode: explicit, ttl: 30m}
      messages:
        - role: user
          content:
            - type: text
              text: "<shared reference prefix>"
              prompt_cache_breakpoint: {mode: explicit}
            - type: text
              text: Answer using the reference above.
    ```

    ## Fix
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      messages:
        - role: user
          content:
            - type: text
              text: "<shared reference prefix>"
              cache_control: {type: ephemeral, ttl: 1h}
            - type: text
              text: Answer using the reference above.
    ```

    ## Source
    OpenAPI schema `PromptCacheOptions` (GPT-5.6 and newer only); OpenRouter prompt
    caching guide (`guides/best-practices/prompt-caching.mdx`, OpenAI explicit caching).
    """

    code = "OR605"
    name = "prompt-cache-options-non-openai"
    severity = Severity.WARNING
    fixable = True
    request_keys = ("prompt_cache_options",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        if body.get("prompt_cache_options") is None:
            return
        models = concrete_models(body)
        others = [raw for raw in models if not openai_explicit_caching(parse_model(raw))]
        if not others:
            return
        fix = None
        if len(others) == len(models) == len(requested_models(body)):  # nobody reads it: deleting changes nothing
            fix = Fix("delete `prompt_cache_options`, which no requested model supports",
                      (Edit("delete", ("prompt_cache_options",)),))
        yield Finding(("prompt_cache_options",), f"`prompt_cache_options` only works on OpenAI GPT-5.6 and newer "
                      f"and is ignored for {describe(others)}: use per-block `cache_control` (with its own `ttl`) "
                      "for other providers", on_key=True, fix=fix)
