"""Rule OR718: a `file` part given by URL to OpenAI models, without the file-parser plugin."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._messages import is_data_url, url_scheme
from ._models import describe, is_openai_api_model, matching_models, requested_models
from ._plugins import enabled, plugins
from ._rule import Finding, Rule, RuleContext, as_dict


class FileUrlToOpenaiWithoutParser(Rule):
    """A `file` content part whose `file_data` is a web URL, sent to OpenAI models without `file-parser`.

    ## Why
    OpenAI's own file input takes the file's bytes (a `data:` URL) or an uploaded
    `file_id`, not a link. Without the `file-parser` plugin, OpenRouter hands the URL to
    OpenAI as it is and the request fails with HTTP 400 (OpenAI asks for the missing
    `file_id`). Enable the `file-parser` plugin, which fetches and parses the URL, or send
    the file inline as a `data:` URL (`!data-url` in a spec).

    The rule fires when every requested model is an OpenAI model: with a non-OpenAI
    model in `models[]` the request can still succeed there (real traffic shows it).

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o
      messages:
        - role: user
          content:
            - type: text
              text: Summarise this document.
            - type: file
              file:
                filename: report.pdf
                file_data: https://example.com/report.pdf
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o
      plugins:
        - id: file-parser
      messages:
        - role: user
          content:
            - type: text
              text: Summarise this document.
            - type: file
              file:
                filename: report.pdf
                file_data: https://example.com/report.pdf
    ```

    ## Source
    Recorded traffic: activeagent `openrouter_pdf_remote_no_plugin` (HTTP 400, "Missing
    required parameter: ...file.file_id"), `openrouter_pdf_ocr` (the same URL with
    `file-parser`, HTTP 200); OpenRouter PDF guide (`guides/overview/multimodal/pdfs.mdx`).
    """

    code = "OR718"
    name = "file-url-to-openai-without-parser"
    severity = Severity.ERROR
    request_keys = ("messages",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        parts = ctx.conversation.parts_of_type("file")
        if not parts or any(enabled(plugin) for _, plugin in plugins(ctx, "file-parser")):
            return
        models = requested_models(body)
        openai = matching_models(body, is_openai_api_model)
        if not models or len(openai) != len(models):
            return
        for i, j, part in parts:
            data = as_dict(part.get("file")).get("file_data")
            if isinstance(data, str) and not is_data_url(data) and url_scheme(data) in ("http", "https"):
                yield Finding(("messages", i, "content", j, "file", "file_data"),
                              "OpenAI models take a file's bytes, not a link: without the `file-parser` plugin this URL "
                              f"is refused for {describe(openai)} (HTTP 400, missing `file_id`); "
                              "add `plugins: [{id: file-parser}]` or send the file as a `data:` URL")
                return
