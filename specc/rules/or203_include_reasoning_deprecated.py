"""Rule OR203: the deprecated `include_reasoning` switch."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Edit, Fix, Severity
from ._rule import Finding, Rule, RuleContext, as_dict


class IncludeReasoningDeprecated(Rule):
    """The deprecated top-level `include_reasoning` flag.

    ## Why
    `include_reasoning` is a legacy alias kept for old clients. `include_reasoning: false`
    means `reasoning: {exclude: true}` (the model may still reason, but the reasoning is
    left out of the reply) and `include_reasoning: true` means `reasoning: {}` (reasoning
    with the default settings). Write the `reasoning` object instead; the alias may stop
    working.

    ## Example
    ```yaml
    request:
      model: deepseek/deepseek-r1
      include_reasoning: false
      messages:
        - role: user
          content: How many weekdays are there in March 2027?
    ```

    ## Fix
    ```yaml
    request:
      model: deepseek/deepseek-r1
      reasoning:
        exclude: true
      messages:
        - role: user
          content: How many weekdays are there in March 2027?
    ```

    ## Source
    OpenRouter parameters page (`api_reference/parameters.mdx`, include_reasoning) and reasoning
    tokens guide (`guides/best-practices/reasoning-tokens.mdx`, legacy parameters).
    """

    code = "OR203"
    name = "include-reasoning-deprecated"
    severity = Severity.WARNING
    fixable = True
    request_keys = ("include_reasoning",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        if "include_reasoning" not in body:
            return
        value = body["include_reasoning"]
        exclude = as_dict(body.get("reasoning")).get("exclude")
        if isinstance(value, bool) and exclude is not None:
            shown = str(exclude).lower() if isinstance(exclude, bool) else repr(exclude)
            advice = (f"`reasoning.exclude` is already set ({shown}): decide there whether reasoning is "
                      "returned, and remove `include_reasoning`")
        elif value is False:
            advice = "use `reasoning: {exclude: true}` instead"
        elif value is True:
            advice = "use `reasoning: {}` (reasoning with default settings) instead"
        elif value is None:
            advice = "remove it (it is empty here) and use the `reasoning` object"
        else:
            return  # not a boolean: a schema error (S101) that a warning here would replace
        yield Finding(("include_reasoning",), f"`include_reasoning` is deprecated: {advice}",
                      on_key=True, fix=self._fix(body, value))

    @staticmethod
    def _fix(body: dict, value) -> Fix | None:
        """Only when the replacement is certain and does not touch settings the spec already has;
        otherwise the reason there is none, for `--fix` and `--diff` to say."""
        drop = Edit("delete", ("include_reasoning",))
        reasoning = body.get("reasoning")
        if value is None:
            return Fix("remove the empty `include_reasoning`", (drop,))
        if value is False and (reasoning is None or isinstance(reasoning, dict) and "exclude" not in reasoning):
            return Fix("replace `include_reasoning: false` with `reasoning.exclude: true`",
                       (drop, Edit("set", ("reasoning", "exclude"), True)))
        if value is True and "reasoning" not in body:
            return Fix("replace `include_reasoning: true` with `reasoning: {}`",
                       (drop, Edit("set", ("reasoning",), {})))
        if value is False and isinstance(reasoning, dict):
            return Fix.unavailable("`reasoning.exclude` is already set: decide there and remove `include_reasoning` by hand")
        if value is True:
            return Fix.unavailable("`reasoning:` exists already: the two cannot be merged mechanically; "
                                   "remove `include_reasoning` by hand")
        if value is False:
            return Fix.unavailable("`reasoning:` is not a mapping here")
        return None
