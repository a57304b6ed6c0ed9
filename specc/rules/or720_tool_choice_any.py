"""Rule OR720: `tool_choice: any`, Anthropic's spelling, which does not force a tool call."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Edit, Fix, Severity
from ._rule import Finding, Rule, RuleContext


class ToolChoiceAny(Rule):
    """`tool_choice: any` instead of the OpenAI-compatible `required`.

    ## Why
    `any` is how Anthropic's own API says "call one of the tools". OpenRouter speaks the
    OpenAI-compatible dialect, where that is `required`. The live API accepts `any` without
    an error, but a recorded request with `tool_choice: any` and one tool was answered with a
    plain question back to the user and no tool call: the intent was lost on the way. Use
    `required`, which every provider that supports forced tool use understands.

    ## Example
    ```yaml
    request:
      model: google/gemini-2.0-flash-001
      tool_choice: any
      tools:
        - type: function
          function: {name: get_weather, parameters: {type: object}}
      messages:
        - role: user
          content: What is the weather?
    ```

    ## Fix
    ```yaml
    request:
      model: google/gemini-2.0-flash-001
      tool_choice: required
      tools:
        - type: function
          function: {name: get_weather, parameters: {type: object}}
      messages:
        - role: user
          content: What is the weather?
    ```

    ## Source
    OpenAPI schema `ChatToolChoice` (`none`, `auto`, `required` or a named tool); recorded
    traffic: `activeagents-activeagent__test_agent_common_format_tool_choice_required__0`
    (HTTP 200, `finish_reason: stop`, no tool call).
    """

    code = "OR720"
    name = "tool-choice-any"
    severity = Severity.WARNING
    fixable = True
    request_keys = ("tool_choice",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.body.get("tool_choice") != "any":
            return
        yield Finding(("tool_choice",),
                      "`tool_choice: any` is Anthropic's spelling: OpenRouter accepts it but a recorded answer made "
                      "no tool call; use `required` to force one",
                      fix=Fix("use `required`", (Edit("set", ("tool_choice",), "required"),)))
