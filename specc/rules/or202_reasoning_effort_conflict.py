"""Rule OR202: top-level `reasoning_effort` disagreeing with `reasoning.effort`."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._rule import Finding, Rule, RuleContext, as_dict


class ReasoningEffortConflict(Rule):
    """`reasoning_effort` and `reasoning.effort` both set, to different values.

    ## Why
    The top-level `reasoning_effort` is the OpenAI-compatible spelling of
    `reasoning.effort`. Setting both to different levels is contradictory and is not
    accepted: say the level once, preferably in `reasoning.effort`.

    ## Example
    ```yaml
    request:
      model: openai/o4-mini
      reasoning_effort: low
      reasoning:
        effort: high
      messages:
        - role: user
          content: Prove that there are infinitely many primes.
    ```

    ## Fix
    ```yaml
    request:
      model: openai/o4-mini
      reasoning:
        effort: high
      messages:
        - role: user
          content: Prove that there are infinitely many primes.
    ```

    ## Source
    OpenAPI `ChatRequest.reasoning_effort` and `ChatRequest.reasoning`.
    """

    code = "OR202"
    name = "reasoning-effort-conflict"
    severity = Severity.ERROR
    checks_partial_specs = True  # judges values written, never what is missing
    request_keys = ("reasoning_effort",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        top = ctx.body.get("reasoning_effort")
        nested = as_dict(ctx.body.get("reasoning")).get("effort")
        if top is not None and nested is not None and top != nested:
            yield Finding(("reasoning_effort",), f"`reasoning_effort` is {top!r} but `reasoning.effort` is "
                                                 f"{nested!r}: set the level once, in `reasoning.effort`")
