"""Rule OR512: `strict` function tools for Claude without the structured-outputs beta header."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import describe, is_anthropic, matching_models
from ._plugins import header
from ._rule import Finding, Rule, RuleContext, as_dict

BETA_HEADER = "x-anthropic-beta"
STRUCTURED_OUTPUTS_BETA = "structured-outputs-2025-11-13"


class StrictToolAnthropicWithoutBetaHeader(Rule):
    """A `strict: true` function tool for a Claude model without the structured-outputs beta header.

    ## Why
    Strict tool use (arguments validated against the tool's JSON schema) is a beta feature
    on Anthropic. OpenRouter passes `strict` on to Claude only when the request carries the
    header `x-anthropic-beta` with the value `structured-outputs-2025-11-13`; without it,
    OpenRouter removes `strict` and the request goes through as if it had never been set,
    so arguments are not guaranteed to match the schema. Add the header to the spec's
    `headers:` (several betas may be listed, comma-separated).

    ## Example
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      tools:
        - type: function
          function:
            name: create_ticket
            strict: true
            parameters:
              type: object
              properties: {title: {type: string}}
              required: [title]
              additionalProperties: false
      messages:
        - role: user
          content: Open a ticket for the failed nightly export.
    ```

    ## Fix
    ```yaml
    headers:
      x-anthropic-beta: structured-outputs-2025-11-13
    request:
      model: anthropic/claude-sonnet-4.5
      tools:
        - type: function
          function:
            name: create_ticket
            strict: true
            parameters:
              type: object
              properties: {title: {type: string}}
              required: [title]
              additionalProperties: false
      messages:
        - role: user
          content: Open a ticket for the failed nightly export.
    ```

    ## Source
    OpenRouter provider selection guide (`guides/routing/provider-selection.mdx`,
    "Anthropic Beta Features").
    """

    code = "OR512"
    name = "strict-tool-anthropic-without-beta-header"
    severity = Severity.WARNING
    request_keys = ("tools",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        strict = strict_functions(ctx)
        if not strict:
            return  # cheaper to know than the models below
        claude = matching_models(ctx.body, is_anthropic)
        if not claude or has_structured_outputs_beta(ctx.spec):
            return
        hint = ""
        if header(ctx.spec, "anthropic-beta") is not None:
            hint = " (OpenRouter reads `x-anthropic-beta`, not `anthropic-beta`)"
        for k, function in strict:
            yield Finding(("tools", k, "function", "strict"),
                          f"{describe(claude)} gets `strict` on tool {function.get('name', f'tools[{k}]')!r} only "
                          f"with the header `{BETA_HEADER}: {STRUCTURED_OUTPUTS_BETA}`; without it OpenRouter "
                          f"drops `strict`: add it under the spec's `headers:`{hint}")


def strict_functions(ctx: RuleContext) -> list[tuple[int, dict]]:
    """`(index, function)` of the function tools that set `strict: true`."""
    found = []
    for k, tool in ctx.tools:
        function = as_dict(tool.get("function"))
        if tool.get("type") == "function" and function.get("strict") is True:
            found.append((k, function))
    return found


def has_structured_outputs_beta(spec) -> bool:
    value = header(spec, BETA_HEADER) or ""
    return STRUCTURED_OUTPUTS_BETA in (beta.strip().lower() for beta in value.split(","))
