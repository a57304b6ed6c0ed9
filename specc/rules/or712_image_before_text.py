"""Rule OR712: an image part placed before the text of the same message."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._messages import IMAGE_PART_TYPES, content_parts, part_type, role
from ._rule import Finding, Rule, RuleContext


class ImageBeforeText(Rule):
    """An image part that comes before the text part of the same content array.

    ## Why
    OpenRouter recommends sending the text prompt first and the images after it,
    because of the order in which content is parsed. With the image first the request
    still goes through, but the model may read the question without the images in
    context, which hurts answers. Move the text part to the front.

    ## Example
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      messages:
        - role: user
          content:
            - type: image_url
              image_url:
                url: https://example.com/receipt.jpg
            - type: text
              text: What is the total on this receipt?
    ```

    ## Fix
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      messages:
        - role: user
          content:
            - type: text
              text: What is the total on this receipt?
            - type: image_url
              image_url:
                url: https://example.com/receipt.jpg
    ```

    ## Source
    OpenRouter image-understanding guide (`guides/overview/multimodal/image-understanding.mdx`);
    agent-skills `references/multimodal.md`.
    """

    code = "OR712"
    name = "image-before-text"
    severity = Severity.WARNING
    request_keys = ("messages",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not ctx.conversation.parts_of_type(*IMAGE_PART_TYPES):
            return  # no image anywhere
        for i, message in ctx.conversation.messages:
            if role(message) in ("system", "developer"):
                continue  # parts other than text are OR708's error there
            parts = [(j, part_type(p)) for j, p in content_parts(message)]
            first_text = next((j for j, kind in parts if kind == "text"), None)
            first_image = next((j for j, kind in parts if kind in IMAGE_PART_TYPES), None)
            if first_text is None or first_image is None or first_image > first_text:
                continue
            yield Finding(("messages", i, "content", first_image),
                          f"messages[{i}] puts an image (content[{first_image}]) before its text "
                          f"(content[{first_text}]): put the text part first, then the images")
