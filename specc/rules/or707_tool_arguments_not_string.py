"""Rule OR707: tool-call arguments written as an object instead of a JSON string."""

from __future__ import annotations

import json
from typing import Iterator

from ..diagnostics import Edit, Fix, Severity
from ..secrets import looks_like_secret
from ._rule import Finding, Rule, RuleContext, as_dict


class ToolArgumentsNotString(Rule):
    """`function.arguments` of an assistant tool call that is not a JSON-encoded string.

    ## Why
    In the chat-completions format a tool call's `arguments` is a *string* holding JSON,
    exactly as the model produced it, not a parsed object. YAML makes it easy to write
    the arguments as a mapping; the API then rejects the message. Quote the JSON instead
    (the fix does this for you).

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
            - id: call_1
              type: function
              function:
                name: get_weather
                arguments: {city: Paris}
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
    agent-skills `references/tool-calling.md`; OpenRouter tool-calling guide
    (`guides/features/tool-calling.mdx`, whose example passes the arguments as a string);
    OpenAPI schema `ChatToolCall.function.arguments` (`type: string`).
    """

    code = "OR707"
    name = "tool-arguments-not-string"
    severity = Severity.ERROR
    fixable = True
    request_keys = ("messages",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for i, k, call in ctx.conversation.tool_calls:
            function = as_dict(call.get("function"))
            if "arguments" not in function or isinstance(function["arguments"], str):
                continue
            arguments = function["arguments"]
            pointer = ("messages", i, "tool_calls", k, "function", "arguments")
            kind = {dict: "an object", list: "a list", bool: "a boolean", type(None): "null"}.get(
                type(arguments), "a number")
            fix, example = None, "e.g. '{\"city\": \"Paris\"}'"
            if isinstance(arguments, (dict, list)):
                # Encoding the parsed value back to JSON keeps its meaning exactly.
                encoded = json.dumps(arguments, ensure_ascii=False)
                fix = Fix("encode the arguments as a JSON string", (Edit("set", pointer, encoded),))
                if len(encoded) <= 60 and not looks_like_secret(encoded):
                    example = f"write {encoded!r}"
            yield Finding(pointer, f"tool call arguments are {kind}; `function.arguments` must be a "
                          f"JSON-encoded string: {example}", fix=fix)
