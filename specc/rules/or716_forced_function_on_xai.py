"""Rule OR716: forcing a named function on xAI models that refuse it."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import describe, matching_models, noun, refuses_forced_function, requested_models
from ._rule import Finding, Rule, RuleContext, as_dict


class ForcedFunctionOnXai(Rule):
    """`tool_choice` naming one function, sent to xAI's grok-4 (and later) or grok-code models.

    ## Why
    xAI refuses `tool_choice: {type: function, function: {name: ...}}` on these models even
    when the named function is in `tools`: the request fails with HTTP 400 ("Required
    function is not present in the provided tools"). Structured-output libraries that
    force a function to get JSON back hit it on every call. Use `tool_choice: required`
    (with only that function in `tools`) or `response_format` with a JSON schema.

    The rule fires when every requested model is an xAI grok-4-or-later or grok-code
    model (any variant suffix or preset). Real traffic: refused on grok-4, grok-4-fast and
    grok-code-fast-1; accepted on grok-3, grok-3-mini and their betas, which are left out.

    ## Example
    ```yaml
    request:
      model: x-ai/grok-4-fast
      tools:
        - type: function
          function:
            name: add
            parameters: {type: object, properties: {a: {type: number}, b: {type: number}}}
      tool_choice:
        type: function
        function:
          name: add
      messages:
        - role: user
          content: What is 2 + 3?
    ```

    ## Fix
    ```yaml
    request:
      model: x-ai/grok-4-fast
      tools:
        - type: function
          function:
            name: add
            parameters: {type: object, properties: {a: {type: number}, b: {type: number}}}
      tool_choice: required
      messages:
        - role: user
          content: What is 2 + 3?
    ```

    ## Source
    Recorded traffic: req_llm `x_ai_grok_4*`, `x_ai_grok_code_fast_1` `object_*` and
    `tool_round_trip_1` exchanges (HTTP 400 from xAI); the `x_ai_grok_3*` ones (HTTP 200).
    """

    code = "OR716"
    name = "forced-function-on-xai"
    severity = Severity.ERROR
    request_keys = ("tool_choice",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        choice = as_dict(body.get("tool_choice"))
        if choice.get("type") != "function" or not as_dict(choice.get("function")).get("name"):
            return
        models = requested_models(body)
        refusing = matching_models(body, refuses_forced_function)
        if not models or len(refusing) != len(models):
            return
        yield Finding(("tool_choice",), f"xAI refuses a forced named function on {noun('model', refusing)} "
                                        f"{describe(refusing)} (HTTP 400, \"Required function is not present\"): "
                                        "use `tool_choice: required` or `response_format` instead", on_key=True)
