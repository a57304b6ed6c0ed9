"""Rule OR714: image, audio or video content sent to a model without that input modality."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._catalog import cited, known_models, media_parts
from ._models import describe
from ._rule import Finding, Rule, RuleContext


class ModalityNotSupported(Rule):
    """An image, audio or video part sent to a model whose catalog entry lacks that input modality.

    ## Why
    OpenRouter only routes to endpoints that accept every kind of input in the request:
    an `image_url` part sent to a text-only model fails with "No endpoints found that
    support image input" (404), and as a `models[]` fallback such a model can never be
    used. The catalog's `architecture.input_modalities` says what each model accepts.
    (`file` parts are not checked: OpenRouter parses PDFs to text for any model.)

    ## Example
    ```yaml
    request:
      model: openai/gpt-3.5-turbo
      messages:
        - role: user
          content:
            - type: text
              text: What is in this picture?
            - type: image_url
              image_url: {url: "https://example.com/cat.png"}
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o
      messages:
        - role: user
          content:
            - type: text
              text: What is in this picture?
            - type: image_url
              image_url: {url: "https://example.com/cat.png"}
    ```

    ## Source
    OpenRouter models API (`architecture.input_modalities`); multimodal guides
    (`guides/overview/multimodal/*.mdx`).
    """

    code = "OR714"
    name = "modality-not-supported"
    severity = Severity.ERROR
    needs_catalog = True
    request_keys = ("messages",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.catalog is None:  # only run with a catalog (the checker skips it otherwise)
            return
        known = [(raw, model) for raw, model in known_models(ctx.catalog, ctx.body) if model.input_modalities]
        reported: set[str] = set()
        for pointer, kind, modality in media_parts(ctx):
            if modality in reported:
                continue  # one finding per modality, at its first part
            lacking = [raw for raw, model in known if modality not in model.input_modalities]
            if lacking:
                reported.add(modality)
                accepted = {raw: "+".join(model.input_modalities) for raw, model in known if raw in lacking}
                facts = "; ".join(f"{raw!r} takes {inputs}" for raw, inputs in accepted.items())
                yield Finding(pointer, f"`{kind}` part needs {modality} input, which {describe(lacking)} does not "
                                       f"accept ({facts} {cited(ctx.catalog)}): use a model with {modality} input")
