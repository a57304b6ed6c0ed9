"""Rule OR404: a session id longer than 256 characters (body field or `x-session-id` header)."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._rule import Finding, Rule, RuleContext

MAX_SESSION_ID = 256
SESSION_HEADER = "x-session-id"


class SessionIdTooLong(Rule):
    """`session_id` (or the `x-session-id` header) longer than 256 characters.

    ## Why
    The session id groups related requests and keys sticky routing for prompt caching.
    OpenRouter caps it at 256 characters, in the body and in the `x-session-id` header
    alike, and rejects a longer one rather than truncating it.

    ## Example
    ```yaml
    vars:
      conversation: 5f0c2a7e-9d41-4c4b-8a8e-3b1f0e6d9c21
    request:
      model: anthropic/claude-sonnet-4.5
      session_id: "support-bot/eu-west/tenant-4417/{{ conversation }}/{{ conversation }}/{{ conversation }}/{{ conversation }}/{{ conversation }}/{{ conversation }}/{{ conversation }}"
      messages:
        - role: user
          content: Where is my parcel?
    ```

    ## Fix
    ```yaml
    vars:
      conversation: 5f0c2a7e-9d41-4c4b-8a8e-3b1f0e6d9c21
    request:
      model: anthropic/claude-sonnet-4.5
      session_id: "support-bot/tenant-4417/{{ conversation }}"
      messages:
        - role: user
          content: Where is my parcel?
    ```

    ## Source
    OpenRouter prompt-caching guide (`guides/best-practices/prompt-caching.mdx`, session ids);
    OpenAPI schema `ChatRequest.session_id` (maxLength 256).
    """

    code = "OR404"
    name = "session-id-too-long"
    severity = Severity.ERROR
    checks_partial_specs = True  # judges values written, never what is missing
    # no `request_keys`: the id may also be sent as a header, which is not in the request body

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        session_id = ctx.body.get("session_id")
        if isinstance(session_id, str) and len(session_id) > MAX_SESSION_ID:
            yield Finding(("session_id",), _too_long("`session_id`", session_id))
        headers = ctx.spec.headers if ctx.spec is not None else None
        for name, value in (headers.items() if isinstance(headers, dict) else ()):
            if isinstance(name, str) and name.lower() == SESSION_HEADER and isinstance(value, str) \
                    and len(value) > MAX_SESSION_ID:
                yield Finding(("headers", name), _too_long(f"the `{name}` header", value), in_spec=True)


def _too_long(what: str, value: str) -> str:
    return (f"{what} is {len(value)} characters; OpenRouter accepts at most {MAX_SESSION_ID}: use a shorter id "
            "(for example a hash of the long one)")
