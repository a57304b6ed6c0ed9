"""Rule OR708: non-text content parts in a system or developer message."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._messages import TEXT_ONLY_ROLES, content_parts, part_type, role
from ._rule import Finding, Rule, RuleContext


class ImageInSystemMessage(Rule):
    """An image, file, audio or video part in a `system` or `developer` message.

    ## Why
    System and developer messages take text only: a string, or an array of `text`
    parts. Images, files, audio and video belong in `user` messages (tool results may
    carry them too). A non-text part in a system prompt makes the request invalid.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o
      messages:
        - role: system
          content:
            - type: text
              text: Answer questions about this diagram.
            - type: image_url
              image_url:
                url: https://example.com/diagram.png
        - role: user
          content: What does the arrow point to?
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o
      messages:
        - role: system
          content: Answer questions about the diagram the user sends.
        - role: user
          content:
            - type: text
              text: What does the arrow point to?
            - type: image_url
              image_url:
                url: https://example.com/diagram.png
    ```

    ## Source
    OpenRouter API reference overview (`api_reference/overview.mdx`, the comment on the
    message type); OpenAPI schemas `ChatSystemMessage` and `ChatDeveloperMessage` (content
    items are `ChatContentText` only); agent-skills `references/api-reference.md`.
    """

    code = "OR708"
    name = "image-in-system-message"
    severity = Severity.ERROR
    request_keys = ("messages",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for i, message in ctx.conversation.with_role(*TEXT_ONLY_ROLES):
            who = role(message)
            for j, part in content_parts(message):
                kind = part_type(part)
                if kind is None or kind == "text":
                    continue
                message = (f"a `{who}` message takes only text parts, not `{kind}`: move this part into a "
                           "`user` message (and refer to it from the instructions)")
                yield _finding_replacing_schema_errors(ctx, ("messages", i, "content", j), message)


def _finding_replacing_schema_errors(ctx: RuleContext, part: tuple, message: str) -> Finding:
    """Point where both of the schema's errors for this part give way to the finding.

    The schema reports a non-text part twice: at the part ("missing required key 'text'") and
    at its `type` value. An S101 is dropped when a finding shares its pointer or position. In
    block style the part starts at its `type` key, so a finding on that key covers both; in
    flow style (`{type: ...}`) it cannot, and the part itself is the better of the two places.
    """
    type_key = Finding((*part, "type"), message, on_key=True)
    if ctx.doc is None:
        return type_key
    part_span = ctx.doc.span_of(("request", *part))
    key_span = ctx.doc.span_of(("request", *part, "type"), key=True)
    if (part_span.path, part_span.line, part_span.column) == (key_span.path, key_span.line, key_span.column):
        return type_key
    return Finding(part, message)
