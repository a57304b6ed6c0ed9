"""Rule OR412: the deprecated name `max_tokens` (opt-in advice)."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Edit, Fix, Severity
from ._rule import Finding, Rule, RuleContext


class MaxTokensDeprecated(Rule):
    """`max_tokens`, the deprecated name of the output limit `max_completion_tokens`.

    ## Why
    `max_completion_tokens` is the current name of the output limit and the one new
    models document; OpenAPI marks `max_tokens` deprecated. OpenRouter still honours
    `max_tokens` and maps it for every provider, so nothing fails or changes today: this is
    advice for code you are writing anyway.

    Opt-in, with `info` severity: in real recorded traffic the client libraries send
    `max_tokens` themselves, on more than 80% of the requests the live API accepted, and every
    one of them was honoured. A rule that flags most correct requests by default teaches people
    to ignore the linter, so this one runs only when asked for: `specc lint --select OR412`
    (or `select = ["max-tokens-deprecated", ...]` in `[tool.specc]`). A limit below 16
    tokens, which some providers do refuse, is OR401's finding and stays on by default.

    ## Example
    ```yaml
    request:
      model: meta-llama/llama-3.3-70b-instruct
      max_tokens: 256
      messages:
        - role: user
          content: Summarise the plot of Hamlet.
    ```

    ## Fix
    ```yaml
    request:
      model: meta-llama/llama-3.3-70b-instruct
      max_completion_tokens: 256
      messages:
        - role: user
          content: Summarise the plot of Hamlet.
    ```

    ## Source
    OpenAPI schema `ChatRequest.max_tokens` (deprecated in favour of `max_completion_tokens`);
    share of accepted requests from recorded traffic (`docs/calibration.md`).
    """

    code = "OR412"
    name = "max-tokens-deprecated"
    severity = Severity.INFO
    fixable = True
    opt_in = True
    request_keys = ("max_tokens",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        if "max_tokens" not in body:
            return
        if "max_completion_tokens" in body:
            yield Finding(("max_tokens",), "`max_tokens` is deprecated: this request also has `max_completion_tokens`, "
                                           "so keep the limit there and remove `max_tokens`", on_key=True)
            return
        yield Finding(("max_tokens",), "`max_tokens` is deprecated: rename it to `max_completion_tokens`", on_key=True,
                      fix=Fix("rename `max_tokens` to `max_completion_tokens`",
                              (Edit("rename", ("max_tokens",), "max_completion_tokens"),)))
