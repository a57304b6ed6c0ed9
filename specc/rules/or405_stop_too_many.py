"""Rule OR405: more than four stop sequences."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._rule import Finding, Rule, RuleContext

MAX_STOP = 4


class StopTooMany(Rule):
    """`stop` with more than 4 sequences.

    ## Why
    `stop` accepts one string or a list of at most four. A longer list is rejected with
    a 400 rather than using the first four.

    ## Example
    ```yaml
    request:
      model: openai/gpt-5-mini
      stop: ["END", "###", "</answer>", "Q:", "Question:"]
      messages:
        - role: user
          content: Give one short answer.
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-5-mini
      stop: ["END", "###", "</answer>", "Q:"]
      messages:
        - role: user
          content: Give one short answer.
    ```

    ## Source
    OpenAPI schema `ChatRequest.stop` (a string, or an array of at most 4).
    """

    code = "OR405"
    name = "stop-too-many"
    severity = Severity.ERROR
    checks_partial_specs = True  # judges values written, never what is missing
    request_keys = ("stop",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        stop = ctx.body.get("stop")
        if isinstance(stop, list) and len(stop) > MAX_STOP:
            yield Finding(("stop",), f"`stop` has {len(stop)} sequences; at most {MAX_STOP} are allowed: keep the "
                                     f"{MAX_STOP} that matter most")
