"""Rule OR511: more than one unnamed advisor, or two advisors with the same name."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._plugins import server_tools
from ._rule import Finding, Rule, RuleContext

ADVISOR = "openrouter:advisor"


class AdvisorTwoUnnamed(Rule):
    """Two `openrouter:advisor` tools without a `name`, or two with the same name.

    ## Why
    Each advisor entry becomes one tool the model can call, told apart by its `name`. One
    entry may leave `name` out and becomes the default advisor; a second unnamed entry (or
    a name used twice, compared after trimming spaces) leaves two tools with the same
    identity, and the request is rejected. Give every advisor after the first a distinct
    `name`.

    ## Example
    ```yaml
    request:
      model: openai/gpt-5-mini
      tools:
        - type: openrouter:advisor
          parameters:
            model: anthropic/claude-opus-4.6
        - type: openrouter:advisor
          parameters:
            model: openai/gpt-5.2
      messages:
        - role: user
          content: Draft a migration plan and check it with an expert.
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-5-mini
      tools:
        - type: openrouter:advisor
          parameters:
            model: anthropic/claude-opus-4.6
        - type: openrouter:advisor
          parameters:
            name: second_opinion
            model: openai/gpt-5.2
      messages:
        - role: user
          content: Draft a migration plan and check it with an expert.
    ```

    ## Source
    OpenAPI schemas `AdvisorServerTool_OpenRouter` (at most one entry without `name`) and
    `AdvisorServerToolConfig.name` (names unique, trimmed); OpenRouter advisor guide
    (`guides/features/server-tools/advisor.mdx`).
    """

    code = "OR511"
    name = "advisor-two-unnamed"
    severity = Severity.ERROR
    request_keys = ("tools",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        first_unnamed: int | None = None
        named: dict[str, int] = {}
        for k, _tool, params in server_tools(ctx, ADVISOR):
            name = params.get("name")
            if not isinstance(name, str) or not name.strip():
                if first_unnamed is None:
                    first_unnamed = k
                    continue
                yield Finding(("tools", k, "type"), f"tools[{k}] is a second `openrouter:advisor` without a `name` "
                              f"(tools[{first_unnamed}] is already the default advisor): give it a unique `name`")
            elif name.strip() in named:
                yield Finding(("tools", k, "parameters", "name"), f"advisor name {name.strip()!r} in tools[{k}] is "
                              f"already used by tools[{named[name.strip()]}]; advisor names must be unique")
            else:
                named[name.strip()] = k
