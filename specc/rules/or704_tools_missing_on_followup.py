"""Rule OR704: a tool loop turn that does not send `tools`."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._messages import role, tool_calls
from ._rule import Finding, Rule, RuleContext


class ToolsMissingOnFollowup(Rule):
    """A conversation with tool calls or tool results that does not send `tools`.

    ## Why
    OpenRouter is stateless: every turn of a tool loop is a new request. A follow-up
    turn that carries the assistant's `tool_calls` or the `role: tool` results but drops
    the `tools` array is accepted, yet the model answering it has no tools to call: it
    cannot take the next step of the loop, and some models answer the tool history
    differently without the definitions. Send the same `tools` on every turn, including
    the one that returns the results.

    A warning, not an error: in real traffic the live API answered 56 such follow-ups
    (tool results sent back without `tools`) with HTTP 200, across 56 different models
    and their providers (Anthropic, OpenAI, Google, xAI, Mistral, Z.ai, ...; the req_llm
    `tool_round_trip_2` recordings). Nothing in the traffic shows a refusal.

    ## Example
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
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

    ## Fix
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      tools:
        - type: function
          function:
            name: get_weather
            description: Current weather for a city.
            parameters:
              type: object
              properties:
                city: {type: string}
              required: [city]
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
    OpenRouter tool-calling guide (`guides/features/tool-calling.mdx`, the note after step 3);
    agent-skills `SKILL.md`, "Common pitfalls"; severity from recorded traffic (req_llm
    `*-tool_round_trip_2` exchanges, all HTTP 200).
    """

    code = "OR704"
    name = "tools-missing-on-followup"
    severity = Severity.WARNING
    request_keys = ("messages",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        tools = body.get("tools")
        if isinstance(tools, list) and tools:
            return
        if tools is not None and not isinstance(tools, list):
            return  # the schema reports a `tools` of the wrong type
        conversation = ctx.conversation
        if "tool" not in conversation.roles and not conversation.tool_calls:
            return  # no tool loop in this conversation
        for i, message in conversation.messages:
            if role(message) == "tool":
                what, pointer, on_key = "a tool result (`role: tool`)", ("messages", i, "role"), False
            elif tool_calls(message):
                what, pointer, on_key = "assistant `tool_calls`", ("messages", i, "tool_calls"), True
            else:
                continue
            missing = "`tools` is empty" if tools == [] else "the request sends no `tools`"
            yield Finding(pointer, f"messages[{i}] carries {what} but {missing}: send the same `tools` array "
                          "on every turn of a tool loop", on_key=on_key)
            return
