"""Rule OR306: audio output requested on a request that does not stream."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._limits import streams
from ._rule import Finding, Rule, RuleContext, as_list


class AudioOutputWithoutStream(Rule):
    """`modalities` with "audio" (spoken output) without `stream: true`.

    ## Why
    Models that answer with speech send the audio as a stream of base64 chunks; OpenRouter
    only serves audio output on streamed requests. Asking for audio in a plain request
    is rejected instead of returning a sound file.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o-audio-preview
      modalities: [text, audio]
      audio:
        voice: alloy
        format: pcm16
      messages:
        - role: user
          content: Say hello in French.
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o-audio-preview
      stream: true
      modalities: [text, audio]
      audio:
        voice: alloy
        format: pcm16
      messages:
        - role: user
          content: Say hello in French.
    ```

    ## Source
    OpenRouter multimodal audio guide (`guides/overview/multimodal/audio.mdx`, audio output example);
    the `audio` field is absent from the OpenAPI schema `ChatRequest`.
    """

    code = "OR306"
    name = "audio-output-without-stream"
    severity = Severity.ERROR
    request_keys = ("modalities",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        modalities = as_list(body.get("modalities"))
        if "audio" not in modalities or streams(body):
            return
        pointer: tuple[str | int, ...]
        if body.get("stream") is False:
            pointer, why = ("stream",), "this request sets `stream: false`"
        else:
            pointer, why = ("modalities", modalities.index("audio")), "this request does not stream"
        yield Finding(pointer, f"audio output (`modalities` includes 'audio') is only served on streamed requests and "
                               f"{why}: set `stream: true` and read the audio from the chunks")
