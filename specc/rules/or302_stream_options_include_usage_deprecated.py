"""Rule OR302: the deprecated, no-op `stream_options.include_usage`."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Edit, Fix, Severity
from ._limits import delete_in
from ._rule import Finding, Rule, RuleContext


class StreamOptionsIncludeUsageDeprecated(Rule):
    """`stream_options.include_usage`, a deprecated switch that changes nothing.

    ## Why
    OpenAI-style clients ask for token usage in the last stream chunk with
    `stream_options: {include_usage: true}`. OpenRouter always sends usage (in the final
    chunk of a stream, and in every non-streamed reply), so the flag has no effect and is
    marked deprecated; `include_usage: false` does not turn usage off either.

    Opt-in, with `info` severity: OpenAI-compatible client libraries send the flag
    themselves (on about a fifth of the requests the live API accepted in recorded
    traffic), it is harmless, and a rule that flags correct requests by default
    teaches people to ignore the linter. Run it with `specc lint --select OR302`.

    ## Example
    ```yaml
    request:
      model: openai/gpt-5-mini
      stream: true
      stream_options:
        include_usage: true
      messages:
        - role: user
          content: Count to five.
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-5-mini
      stream: true
      messages:
        - role: user
          content: Count to five.
    ```

    ## Source
    OpenAPI schema `ChatStreamOptions` (`include_usage` is deprecated); usage accounting notes in
    the OpenRouter API skill (`references/usage-and-limits.md`); share of accepted requests from
    recorded traffic (`docs/calibration.md`).
    """

    code = "OR302"
    name = "stream-options-include-usage-deprecated"
    severity = Severity.INFO
    fixable = True
    opt_in = True
    request_keys = ("stream_options",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        options = ctx.body.get("stream_options")
        if not isinstance(options, dict) or "include_usage" not in options:
            return
        value = options["include_usage"]
        if value is False:
            effect = "`include_usage: false` does not turn usage off either"
        else:
            effect = "usage is always sent in the final chunk"
        target = delete_in(options, "stream_options", "include_usage")
        what = "`stream_options`" if len(target) == 1 else "`stream_options.include_usage`"
        yield Finding(("stream_options", "include_usage"),
                      f"`stream_options.include_usage` is deprecated and has no effect on OpenRouter ({effect}): "
                      "remove it", on_key=True, fix=Fix(f"remove {what}", (Edit("delete", target),)))
