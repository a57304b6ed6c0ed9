"""Rule OR409: `top_logprobs` without `logprobs: true`, or outside 0-20."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._limits import is_number, is_whole
from ._rule import Finding, Rule, RuleContext

MAX_TOP_LOGPROBS = 20


class TopLogprobsWithoutLogprobs(Rule):
    """`top_logprobs` set while `logprobs` is not `true`, or outside the range 0 to 20.

    ## Why
    `top_logprobs` asks for the N most likely alternatives at each token, which only
    exist when log probabilities are returned at all: without `logprobs: true` the
    request is rejected. N must be a whole number from 0 to 20.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o-mini
      top_logprobs: 5
      messages:
        - role: user
          content: Pick a colour.
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o-mini
      logprobs: true
      top_logprobs: 5
      messages:
        - role: user
          content: Pick a colour.
    ```

    ## Source
    OpenRouter parameters page (`api_reference/parameters.mdx`, top_logprobs);
    OpenAPI schema `ChatRequest.top_logprobs` (0-20).
    """

    code = "OR409"
    name = "top-logprobs-without-logprobs"
    severity = Severity.ERROR
    request_keys = ("top_logprobs",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        value = body.get("top_logprobs")
        if value is None:
            return
        if body.get("logprobs") is not True:
            state = "is false" if body.get("logprobs") is False else "is not set"
            yield Finding(("top_logprobs",), f"`top_logprobs` needs `logprobs: true`, and `logprobs` {state}: "
                                             "add `logprobs: true`, or remove `top_logprobs`", on_key=True)
        if is_number(value) and not (is_whole(value) and 0 <= value <= MAX_TOP_LOGPROBS):
            yield Finding(("top_logprobs",), f"`top_logprobs` is {value!r}; it must be a whole number from 0 to "
                                             f"{MAX_TOP_LOGPROBS}")
