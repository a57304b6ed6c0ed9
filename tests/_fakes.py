"""Small stand-in rules for infrastructure tests, so they do not depend on any real rule's behaviour."""

from __future__ import annotations

from specc.diagnostics import Edit, Fix, Severity
from specc.rules import Finding, Rule


class FakeMaxTokens(Rule):
    """`max_tokens` is set (a stand-in rule for tests).

    ## Why
    Tests need a rule that fires predictably.

    ## Example
    ```yaml
    request: {model: openai/gpt-4o, max_tokens: 5, messages: [{role: user, content: hi}]}
    ```

    ## Fix
    ```yaml
    request: {model: openai/gpt-4o, max_completion_tokens: 5, messages: [{role: user, content: hi}]}
    ```

    ## Source
    tests/_fakes.py
    """

    code = "OR990"
    name = "fake-max-tokens"
    severity = Severity.WARNING
    fixable = True

    def check(self, ctx):
        if "max_tokens" in ctx.body:
            fix = Fix("rename max_tokens to max_completion_tokens",
                      (Edit("rename", ("max_tokens",), "max_completion_tokens"),))
            yield Finding(("max_tokens",), "max_tokens is deprecated", on_key=True, fix=fix)


class FakeUsageInclude(Rule):
    """`usage.include` is set (a stand-in rule for tests); the fix deletes it."""

    code = "OR991"
    name = "fake-usage-include"
    severity = Severity.ERROR
    fixable = True

    def check(self, ctx):
        usage = ctx.body.get("usage")
        if isinstance(usage, dict) and "include" in usage:
            fix = Fix("drop usage.include", (Edit("delete", ("usage", "include")),)
                      + ((Edit("delete", ("usage",)),) if len(usage) == 1 else ()))
            yield Finding(("usage", "include"), "usage.include is deprecated", fix=fix)


class FakeReasoning(Rule):
    """`include_reasoning` is set (a stand-in rule for tests); the fix moves it to `reasoning.exclude`."""

    code = "OR992"
    name = "fake-include-reasoning"
    severity = Severity.WARNING
    fixable = True

    def check(self, ctx):
        if "include_reasoning" in ctx.body:
            value = ctx.body["include_reasoning"]
            fix = Fix("use reasoning.exclude", (Edit("delete", ("include_reasoning",)),
                                                Edit("set", ("reasoning", "exclude"), not value)))
            yield Finding(("include_reasoning",), "include_reasoning is deprecated", on_key=True, fix=fix)


FAKE_RULES = (FakeMaxTokens, FakeUsageInclude, FakeReasoning)
