"""Rule OR301: `debug.echo_upstream_body` on a request that does not stream."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._limits import streams
from ._rule import Finding, Rule, RuleContext, as_dict


class DebugEchoWithoutStream(Rule):
    """`debug.echo_upstream_body` set on a request without `stream: true`.

    ## Why
    OpenRouter only echoes the body it sent to the upstream provider as an extra chunk
    of a streamed response. On a normal (non-streaming) request the switch is silently
    ignored, so the debugging output you expect never arrives. Keep it out of production
    specs anyway: the echoed body can reveal request internals.

    ## Example
    ```yaml
    request:
      model: openai/gpt-5-mini
      debug:
        echo_upstream_body: true
      messages:
        - role: user
          content: Which parameters reach the provider?
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-5-mini
      stream: true
      debug:
        echo_upstream_body: true
      messages:
        - role: user
          content: Which parameters reach the provider?
    ```

    ## Source
    OpenRouter errors and debugging page (`api_reference/errors-and-debugging.mdx`, Debugging);
    OpenAPI schema `ChatDebugOptions`.
    """

    code = "OR301"
    name = "debug-echo-without-stream"
    severity = Severity.WARNING
    request_keys = ("debug",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if as_dict(ctx.body.get("debug")).get("echo_upstream_body") is not True or streams(ctx.body):
            return
        why = "this request sets `stream: false`" if ctx.body.get("stream") is False else "this request does not stream"
        yield Finding(("debug", "echo_upstream_body"),
                      f"`debug.echo_upstream_body` only works on streamed responses and {why}, so nothing is echoed: "
                      "add `stream: true` (for development only), or remove `debug`")
