"""Rule OR713: `tool_choice` without any `tools`."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._messages import has_tools
from ._rule import Finding, Rule, RuleContext, as_dict


class ToolChoiceWithoutTools(Rule):
    """A `tool_choice` other than `none` in a request that sends no `tools`.

    ## Why
    `tool_choice` tells the model how to use the tools listed in `tools`: `auto`,
    `required`, or one named function. Without a `tools` array there is nothing to
    choose from, and OpenAI-compatible providers reject the request (`required` or a named
    function can never be satisfied). Send the tools, or drop `tool_choice`.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o-mini
      tool_choice: required
      messages:
        - role: user
          content: What is the weather in Paris?
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o-mini
      tool_choice: required
      tools:
        - type: function
          function:
            name: get_weather
            parameters: {type: object, properties: {city: {type: string}}}
      messages:
        - role: user
          content: What is the weather in Paris?
    ```

    ## Source
    OpenAPI schemas `ChatToolChoice` and `ChatRequest.tools`; OpenRouter tool-calling guide
    (`guides/features/tool-calling.mdx`); the OpenAI-compatible parameters page
    (`api_reference/parameters.mdx`, tool_choice).
    """

    code = "OR713"
    name = "tool-choice-without-tools"
    severity = Severity.ERROR
    request_keys = ("tool_choice",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        if "tool_choice" not in body or has_tools(body):
            return
        choice = body["tool_choice"]
        if choice is None or choice == "none":
            return
        if isinstance(choice, str):
            shown = repr(choice)
        else:
            named = as_dict(as_dict(choice).get("function")).get("name")
            shown = f"naming {named!r}" if isinstance(named, str) else "naming a tool"
        empty = "an empty `tools` array" if body.get("tools") == [] else "no `tools`"
        yield Finding(("tool_choice",), f"`tool_choice` {shown} with {empty}: add the `tools` it refers to, "
                      "or remove `tool_choice`")
