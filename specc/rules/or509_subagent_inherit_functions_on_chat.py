"""Rule OR509: subagent function inheritance, which only the Responses API supports."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._plugins import server_tools
from ._rule import Finding, Rule, RuleContext

RESPONSES_ONLY = ("inherit_functions", "inherited_function_names")


class SubagentInheritFunctionsOnChat(Rule):
    """`inherit_functions` / `inherited_function_names` on an `openrouter:subagent` tool in a chat request.

    ## Why
    Letting a subagent inherit the request's client functions is an experimental feature
    of the Responses API (`/api/v1/responses`). Chat completions does not support it and
    answers 400 when either setting is present. On chat completions the subagent can only
    use OpenRouter server tools, listed in its own `parameters.tools`.

    ## Example
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
            inherit_functions: true
      messages:
        - role: user
          content: Check order 42 and research its shipping carrier.
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
          content: Check order 42 and research its shipping carrier.
    ```

    ## Source
    OpenAPI schema `SubagentServerToolConfig` (`inherit_functions`,
    `inherited_function_names`: Responses API only); OpenRouter subagent guide
    (`guides/features/server-tools/subagent.mdx`).
    """

    code = "OR509"
    name = "subagent-inherit-functions-on-chat"
    severity = Severity.ERROR
    request_keys = ("tools",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for k, _tool, params in server_tools(ctx, "openrouter:subagent"):
            for key in RESPONSES_ONLY:
                if key not in params or params[key] is None:
                    continue
                yield Finding(("tools", k, "parameters", key),
                              f"tools[{k}] (`openrouter:subagent`) sets `{key}`, which only the Responses API "
                              "supports; chat completions rejects it with 400: remove it and give the subagent "
                              "server tools in `parameters.tools` instead", on_key=True)
