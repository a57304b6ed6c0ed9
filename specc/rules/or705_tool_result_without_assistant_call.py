"""Rule OR705: a tool result that does not follow an assistant tool call."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._messages import role, tool_calls
from ._rule import Finding, Rule, RuleContext


class ToolResultWithoutAssistantCall(Rule):
    """A `role: tool` message that does not follow an assistant message with `tool_calls`.

    ## Why
    A tool result answers a specific call the model made. The assistant message holding
    that `tool_calls` entry has to be in the history, directly before its results (other
    results of the same turn may sit between them). When a client forgets to append the
    assistant turn, providers that pair calls with results, such as Anthropic, reject the
    request.

    ## Example
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      tools:
        - type: function
          function:
            name: get_weather
            parameters: {type: object, properties: {city: {type: string}}}
      messages:
        - role: user
          content: What is the weather in Paris?
        - role: tool
          tool_call_id: call_1
          content: '{"temp_c": 18}'
    ```

    ## Fix
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      tools:
        - type: function
          function:
            name: get_weather
            parameters: {type: object, properties: {city: {type: string}}}
      messages:
        - role: user
          content: What is the weather in Paris?
        - role: assistant
          content: ""
          tool_calls:
            - id: call_1
              type: function
              function:
                name: get_weather
                arguments: '{"city": "Paris"}'
        - role: tool
          tool_call_id: call_1
          content: '{"temp_c": 18}'
    ```

    ## Source
    agent-skills `SKILL.md`, "Common pitfalls" (dropping the assistant tool-call message breaks
    Anthropic models).
    """

    code = "OR705"
    name = "tool-result-without-assistant-call"
    severity = Severity.ERROR
    request_keys = ("messages",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if "tool" not in ctx.conversation.roles:
            return  # no tool result to place
        previous = None  # the nearest earlier message that is not a tool result
        for i, message in ctx.conversation.messages:
            if role(message) != "tool":
                previous = (i, message)
                continue
            if previous is not None and tool_calls(previous[1]):
                continue
            if previous is None:
                where = "it is the first message"
            else:
                where = f"messages[{previous[0]}] before it has role {role(previous[1])!r} and no `tool_calls`"
            yield Finding(("messages", i, "role"),
                          f"tool result messages[{i}] does not follow an assistant tool call: {where}; "
                          "put the assistant message with the matching `tool_calls` directly before its results")
