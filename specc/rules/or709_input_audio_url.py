"""Rule OR709: an audio part whose `input_audio.data` is a URL."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._messages import url_scheme
from ._rule import Finding, Rule, RuleContext, as_dict


class InputAudioUrl(Rule):
    """`input_audio.data` holding a URL instead of base64-encoded audio.

    ## Why
    Unlike images, files and videos, audio parts take no URLs: `input_audio.data` must
    be the audio file itself, base64-encoded, with its `format` beside it. A link
    (`https://`, `gs://`, `file://`, ...) is not fetched, so the request fails or the model
    gets no audio. Download the file and send its bytes as base64 (for instance through a
    `!file` include of the encoded audio).

    The rule fires on anything written as `scheme://...`; a `data:` URL is left alone.

    ## Example
    ```yaml
    request:
      model: google/gemini-2.5-flash
      messages:
        - role: user
          content:
            - type: text
              text: Transcribe this recording.
            - type: input_audio
              input_audio:
                data: https://example.com/recordings/standup.wav
                format: wav
    ```

    ## Fix
    ```yaml
    request:
      model: google/gemini-2.5-flash
      messages:
        - role: user
          content:
            - type: text
              text: Transcribe this recording.
            - type: input_audio
              input_audio:
                data: UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=
                format: wav
    ```

    ## Source
    OpenRouter audio guide (`guides/overview/multimodal/audio.mdx`: audio must be base64, direct
    URLs are not supported); agent-skills `references/multimodal.md`.
    """

    code = "OR709"
    name = "input-audio-url"
    severity = Severity.ERROR
    request_keys = ("messages",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for i, j, part in ctx.conversation.parts_of_type("input_audio"):
            data = as_dict(part.get("input_audio")).get("data")
            scheme = url_scheme(data) if isinstance(data, str) else None
            if scheme is None:
                continue
            yield Finding(("messages", i, "content", j, "input_audio", "data"),
                          f"`input_audio.data` is a {scheme}:// URL, but audio parts take no URLs: send the "
                          "audio file's bytes base64-encoded (and its `format`)")
