"""Rule OR407: function tool names outside `[a-zA-Z0-9_-]{1,64}`."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._limits import NAME_MAX_LENGTH, name_problem, suggest_name
from ._rule import Finding, Rule, RuleContext, as_dict


class ToolNameInvalid(Rule):
    """A function tool whose name has characters other than letters, digits, `_` and `-`, or is over 64 long.

    ## Why
    Function names travel to every provider, and the strictest ones only accept letters,
    digits, underscores and dashes, at most 64 characters. OpenRouter enforces that rule
    up front: a dot, a space or a slash in the name gets the request rejected.

    ## Example
    ```yaml
    request:
      model: openai/gpt-5-mini
      tools:
        - type: function
          function:
            name: weather.lookup
            parameters: {type: object, properties: {city: {type: string}}}
      messages:
        - role: user
          content: What is the weather in Oslo?
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-5-mini
      tools:
        - type: function
          function:
            name: weather_lookup
            parameters: {type: object, properties: {city: {type: string}}}
      messages:
        - role: user
          content: What is the weather in Oslo?
    ```

    ## Source
    OpenAPI schema `ChatFunctionTool` (function name: a-z, A-Z, 0-9, underscores and dashes, at most 64).
    """

    code = "OR407"
    name = "tool-name-invalid"
    severity = Severity.ERROR
    checks_partial_specs = True  # judges values written, never what is missing
    request_keys = ("tools",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for index, tool in ctx.tools:
            if tool.get("type", "function") != "function":
                continue  # server tools (`openrouter:*`) are named by their type
            name = as_dict(tool.get("function")).get("name")
            problem = name_problem(name) if isinstance(name, str) else None
            if isinstance(name, str) and problem:
                yield Finding(("tools", index, "function", "name"),
                              f"function tool name {name!r} {problem}; names may use only letters, digits, '_' "
                              f"and '-', at most {NAME_MAX_LENGTH} characters: use {suggest_name(name)!r}")
