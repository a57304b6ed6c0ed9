"""Rule OR502: the deprecated `pdf-text` file-parser engine."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Edit, Fix, Severity
from ._plugins import enabled, plugins
from ._rule import Finding, Rule, RuleContext, as_dict

REPLACEMENT = "cloudflare-ai"


class PdfTextEngineDeprecated(Rule):
    """The `file-parser` plugin asks for the deprecated `pdf-text` PDF engine.

    ## Why
    `pdf-text` is no longer a real engine: OpenRouter quietly sends such requests to
    `cloudflare-ai` instead. The request works, but the spec names an engine that never
    runs, and may fail once the alias is retired. Writing `cloudflare-ai` keeps the
    behaviour exactly as it is today (the fix does this for you); `mistral-ocr` is the
    choice for scanned documents, `native` for models that read PDFs themselves.

    ## Example
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      plugins:
        - id: file-parser
          pdf:
            engine: pdf-text
      messages:
        - role: user
          content:
            - type: text
              text: Summarise the attached contract.
            - type: file
              file:
                filename: contract.pdf
                file_data: https://example.com/contract.pdf
    ```

    ## Fix
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      plugins:
        - id: file-parser
          pdf:
            engine: cloudflare-ai
      messages:
        - role: user
          content:
            - type: text
              text: Summarise the attached contract.
            - type: file
              file:
                filename: contract.pdf
                file_data: https://example.com/contract.pdf
    ```

    ## Source
    OpenRouter PDF guide (`guides/overview/multimodal/pdfs.mdx`); OpenAPI schema
    `PDFParserEngine` (describes `pdf-text` as deprecated and redirected).
    """

    code = "OR502"
    name = "pdf-text-engine-deprecated"
    severity = Severity.WARNING
    fixable = True
    request_keys = ("plugins",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for i, plugin in plugins(ctx, "file-parser"):
            if not enabled(plugin) or as_dict(plugin.get("pdf")).get("engine") != "pdf-text":
                continue
            pointer = ("plugins", i, "pdf", "engine")
            yield Finding(pointer, f"PDF engine 'pdf-text' is deprecated and silently runs as {REPLACEMENT!r}: "
                          f"write {REPLACEMENT!r} (or 'mistral-ocr' for scanned documents)",
                          fix=Fix(f"use {REPLACEMENT!r}, the engine 'pdf-text' is redirected to",
                                  (Edit("set", pointer, REPLACEMENT),)))
