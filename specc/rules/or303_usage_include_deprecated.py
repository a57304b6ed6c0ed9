"""Rule OR303: the deprecated `usage: {include: ...}` switch."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Edit, Fix, Severity
from ._limits import delete_in
from ._rule import Finding, Rule, RuleContext


class UsageIncludeDeprecated(Rule):
    """`usage.include`, the deprecated usage-accounting switch.

    ## Why
    Older OpenRouter clients asked for token counts and cost with `usage: {include: true}`.
    Every response now carries the full usage object, so the switch is deprecated and
    does nothing; it is not even part of the request schema any more, and may be
    refused once it is removed for good.

    ## Example
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      usage:
        include: true
      messages:
        - role: user
          content: Summarise the release notes.
    ```

    ## Fix
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      messages:
        - role: user
          content: Summarise the release notes.
    ```

    ## Source
    Usage accounting notes in the OpenRouter API skill (`SKILL.md`, `references/usage-and-limits.md`);
    absent from the OpenAPI schema `ChatRequest`; still sent by real clients (recorded traffic).
    """

    code = "OR303"
    name = "usage-include-deprecated"
    severity = Severity.WARNING
    fixable = True
    request_keys = ("usage",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        usage = ctx.body.get("usage")
        if not isinstance(usage, dict) or "include" not in usage:
            return
        target = delete_in(usage, "usage", "include")
        what = "`usage`" if len(target) == 1 else "`usage.include`"
        yield Finding(("usage", "include"),
                      "`usage.include` is deprecated: every response already includes token counts and cost "
                      "(`usage` in the reply), so remove it", on_key=True,
                      fix=Fix(f"remove {what}", (Edit("delete", target),)))
