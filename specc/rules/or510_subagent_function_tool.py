"""Rule OR510: a subagent given a function tool (or itself) as a tool."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._plugins import server_tools
from ._rule import Finding, Rule, RuleContext, as_list

SUBAGENT = "openrouter:subagent"


class SubagentFunctionTool(Rule):
    """An `openrouter:subagent` whose `parameters.tools` holds a function tool or the subagent tool itself.

    ## Why
    A subagent runs its task on OpenRouter's side, where nobody can execute your client
    functions, so its `tools` may only be OpenRouter server tools (`openrouter:web_search`,
    `openrouter:web_fetch`, ...). A `type: function` entry is rejected, and so is the
    subagent tool listing itself. Keep client functions in the request's top-level
    `tools`, where the main model can call them.

    ## Example
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      tools:
        - type: openrouter:subagent
          parameters:
            model: openai/gpt-5-mini
            tools:
              - type: openrouter:web_search
              - type: function
                function:
                  name: lookup_order
                  parameters: {type: object, properties: {id: {type: string}}}
      messages:
        - role: user
          content: Research the shipping carrier for order 42.
    ```

    ## Fix
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      tools:
        - type: function
          function:
            name: lookup_order
            parameters: {type: object, properties: {id: {type: string}}}
        - type: openrouter:subagent
          parameters:
            model: openai/gpt-5-mini
            tools:
              - type: openrouter:web_search
      messages:
        - role: user
          content: Research the shipping carrier for order 42.
    ```

    ## Source
    OpenAPI schemas `SubagentServerToolConfig.tools` and `SubagentNestedTool` (server tools
    only; function tools and the subagent itself are rejected); OpenRouter subagent guide
    (`guides/features/server-tools/subagent.mdx`).
    """

    code = "OR510"
    name = "subagent-function-tool"
    severity = Severity.ERROR
    request_keys = ("tools",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for k, _tool, params in server_tools(ctx, SUBAGENT):
            for m, nested in enumerate(as_list(params.get("tools"))):
                if not isinstance(nested, dict):
                    continue
                kind = nested.get("type")
                where = f"tools[{k}].parameters.tools[{m}]"
                if kind == "function" or (kind is None and "function" in nested):
                    # Point at `type` when written; an entry without one is where the schema complains too.
                    at = ("tools", k, "parameters", "tools", m)
                    yield Finding((*at, "type") if "type" in nested else at,
                                  f"{where} is a function tool, but a subagent can only use OpenRouter server tools "
                                  "(it runs on OpenRouter's side and cannot call your code): move it to the "
                                  "top-level `tools`")
                elif kind == SUBAGENT:
                    yield Finding(("tools", k, "parameters", "tools", m, "type"),
                                  f"{where} is the subagent tool itself, which a subagent may not list: remove it")
