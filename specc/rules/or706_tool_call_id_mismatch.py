"""Rule OR706: a tool result whose `tool_call_id` matches none of the calls it answers."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ..suggest import did_you_mean
from ._messages import role, tool_call_ids
from ._rule import Finding, Rule, RuleContext


class ToolCallIdMismatch(Rule):
    """A tool result whose `tool_call_id` is not the id of a call in the assistant turn before it.

    ## Why
    The API pairs each `role: tool` message with the call it answers through
    `tool_call_id`, which must repeat one of the `tool_calls[].id` values of the
    assistant message that made the calls. An id that matches nothing (a typo, an id
    invented by the client, a stale id from an earlier turn) leaves a call without a result
    and a result without a call, and the request is rejected.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o-mini
      tools:
        - type: function
          function:
            name: get_weather
            parameters: {type: object, properties: {city: {type: string}}}
      messages:
        - role: user
          content: What is the weather in Paris?
        - role: assistant
          content: null
          tool_calls:
            - id: call_abc123
              type: function
              function:
                name: get_weather
                arguments: '{"city": "Paris"}'
        - role: tool
          tool_call_id: call_1
          content: '{"temp_c": 18}'
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o-mini
      tools:
        - type: function
          function:
            name: get_weather
            parameters: {type: object, properties: {city: {type: string}}}
      messages:
        - role: user
          content: What is the weather in Paris?
        - role: assistant
          content: null
          tool_calls:
            - id: call_abc123
              type: function
              function:
                name: get_weather
                arguments: '{"city": "Paris"}'
        - role: tool
          tool_call_id: call_abc123
          content: '{"temp_c": 18}'
    ```

    ## Source
    agent-skills `references/tool-calling.md`; OpenRouter tool-calling guide
    (`guides/features/tool-calling.mdx`, the tool result carries the call's id).
    """

    code = "OR706"
    name = "tool-call-id-mismatch"
    severity = Severity.ERROR
    request_keys = ("messages",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if "tool" not in ctx.conversation.roles:
            return  # no tool result whose id could mismatch
        caller = None  # (index, ids) of the nearest earlier non-tool message
        for i, message in ctx.conversation.messages:
            if role(message) != "tool":
                caller = (i, tool_call_ids(message))
                continue
            answered = message.get("tool_call_id")
            # No caller at all is OR705's finding; an absent or non-string id is the schema's.
            if caller is None or not caller[1] or not isinstance(answered, str) or answered in caller[1]:
                continue
            known = ", ".join(repr(x) for x in caller[1])
            hint = did_you_mean(answered, caller[1]) or f"; use one of its ids: {known}"
            yield Finding(("messages", i, "tool_call_id"),
                          f"tool_call_id {answered!r} matches no tool call of messages[{caller[0]}], the "
                          f"assistant turn it answers{hint}")
