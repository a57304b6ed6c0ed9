"""Rule OR703: the deprecated `input_video` content part."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Edit, Fix, Severity
from ._rule import Finding, Rule, RuleContext, as_dict


class InputVideoLegacy(Rule):
    """A video content part written in the deprecated `input_video` form.

    ## Why
    `{"type": "input_video", ...}` is the legacy spelling of a video part. It is still
    accepted for now but marked deprecated, so it can stop working without notice. The
    current form is `{"type": "video_url", "video_url": {"url": ...}}`; the two carry
    exactly the same `video_url.url`, so only the `type` changes.

    ## Example
    ```yaml
    request:
      model: google/gemini-2.5-flash
      messages:
        - role: user
          content:
            - type: text
              text: What happens in this clip?
            - type: input_video
              video_url:
                url: https://www.youtube.com/watch?v=dQw4w9WgXcQ
    ```

    ## Fix
    ```yaml
    request:
      model: google/gemini-2.5-flash
      messages:
        - role: user
          content:
            - type: text
              text: What happens in this clip?
            - type: video_url
              video_url:
                url: https://www.youtube.com/watch?v=dQw4w9WgXcQ
    ```

    ## Source
    OpenAPI schemas `Legacy_ChatContentVideo` (deprecated) and `ChatContentVideo`, and the
    `ChatContentItems` union that lists both.
    """

    code = "OR703"
    name = "input-video-legacy"
    severity = Severity.WARNING
    fixable = True
    request_keys = ("messages",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for i, j, part in ctx.conversation.parts_of_type("input_video"):
            pointer = ("messages", i, "content", j, "type")
            yield Finding(pointer, "`type: input_video` is the deprecated video part; write `type: video_url` "
                          "(same `video_url.url`)", fix=_fix(part, pointer))


def _fix(part: dict, type_pointer: tuple) -> Fix | None:
    """Rename the type only when the part has exactly the shape both forms share."""
    video = as_dict(part.get("video_url"))
    same_shape = (set(part) == {"type", "video_url"} and set(video) == {"url"}
                  and isinstance(video.get("url"), str))
    if not same_shape:
        return None
    return Fix("change `type: input_video` to `type: video_url`", (Edit("set", type_pointer, "video_url"),))
