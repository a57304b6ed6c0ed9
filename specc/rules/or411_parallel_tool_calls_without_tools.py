"""Rule OR411: `parallel_tool_calls` on a request without tools."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._rule import Finding, Rule, RuleContext


class ParallelToolCallsWithoutTools(Rule):
    """`parallel_tool_calls` set on a request that offers no `tools`.

    ## Why
    `parallel_tool_calls` says whether the model may call several tools in one turn.
    With no tools in the request there is nothing to call, so the setting does nothing;
    usually the tools were meant to be there (or were lost in an `extends` base).

    ## Example
    ```yaml
    request:
      model: openai/gpt-5-mini
      parallel_tool_calls: false
      messages:
        - role: user
          content: Book a table for two.
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-5-mini
      parallel_tool_calls: false
      tools:
        - type: function
          function:
            name: book_table
            parameters: {type: object, properties: {people: {type: integer}}}
      messages:
        - role: user
          content: Book a table for two.
    ```

    ## Source
    OpenRouter parameters page (`api_reference/parameters.mdx`, parallel_tool_calls).
    """

    code = "OR411"
    name = "parallel-tool-calls-without-tools"
    severity = Severity.WARNING
    request_keys = ("parallel_tool_calls",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        if body.get("parallel_tool_calls") is None:
            return
        tools = body.get("tools")
        if tools is not None and not isinstance(tools, list) or tools:
            return  # tools given (a non-list is a schema error of its own)
        why = "`tools` is empty" if isinstance(tools, list) else "this request has no `tools`"
        yield Finding(("parallel_tool_calls",), f"`parallel_tool_calls` has no effect because {why}: add the tools "
                                                "the model may call, or remove `parallel_tool_calls`", on_key=True)
