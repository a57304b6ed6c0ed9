"""Rule OR403: `max_tokens` plus the prompt over the context length of every reachable model."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._catalog import all_known, cited, estimated_prompt_tokens, reachable_endpoints
from ._plugins import enabled, plugins
from ._rule import Finding, Rule, RuleContext


def _limits(model, body) -> list[tuple[str, int]]:
    """(where, context length) for each place the request can run this model."""
    endpoints = reachable_endpoints(model, body)
    if endpoints:
        return [(e.provider, e.context_length) for e in endpoints if e.context_length]
    lengths = [n for n in (model.context_length, model.top_provider_context_length) if n]
    return [("model", max(lengths))] if lengths else []


class MaxTokensExceedsContext(Rule):
    """`max_tokens` plus the prompt exceed the context length of every model and endpoint the request can reach.

    ## Why
    The completion budget and the prompt share the model's context window. When
    `max_tokens` (or `max_completion_tokens`) plus the prompt is over the context length
    of every model and provider the request can use, every request fails with a context
    length error, unless the `context-compression` plugin shortens the prompt. The
    prompt's size is a deliberately low estimate (5 characters a token), so the rule only
    fires when the request cannot fit.

    ## Example
    ```yaml
    request:
      model: openai/gpt-3.5-turbo
      max_tokens: 20000
      messages:
        - role: user
          content: Summarize our meeting notes.
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-3.5-turbo
      max_tokens: 2000
      messages:
        - role: user
          content: Summarize our meeting notes.
    ```

    ## Source
    OpenRouter parameters page (`api_reference/parameters.mdx`, max_tokens); message
    transforms (`guides/features/message-transforms.mdx`); recorded traffic
    `crmne-ruby_llm/..._handles_context_length_exceeded_errors.yml` (400).
    """

    code = "OR403"
    name = "max-tokens-exceeds-context"
    severity = Severity.ERROR
    needs_catalog = True
    request_keys = ("max_tokens", "max_completion_tokens")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.catalog is None:  # only run with a catalog (the checker skips it otherwise)
            return
        body = ctx.body
        key = next((k for k in ("max_tokens", "max_completion_tokens")
                    if isinstance(body.get(k), int) and not isinstance(body.get(k), bool)), None)
        if key is None or any(enabled(p) for _, p in plugins(ctx, "context-compression")):
            return
        known = all_known(ctx.catalog, body)
        if not known:
            return
        prompt = estimated_prompt_tokens(body)
        needed = body[key] + prompt
        limits = []
        for raw, model in known:
            places = _limits(model, body)
            if not places or any(length >= needed for _, length in places):
                return  # some model or endpoint has room (or the catalog cannot say)
            limits.append(f"{raw!r} {max(length for _, length in places):,}")
        yield Finding((key,), f"`{key}: {body[key]}` plus about {prompt:,} prompt tokens needs {needed:,} tokens, "
                              f"more than the context length of every model the request can reach "
                              f"({', '.join(limits)} {cited(ctx.catalog)}): lower `{key}` or enable the "
                              "`context-compression` plugin")
