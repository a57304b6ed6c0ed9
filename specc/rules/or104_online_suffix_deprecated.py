"""Rule OR104: the deprecated `:online` model suffix."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import model_fields, parse_model
from ._rule import Finding, Rule, RuleContext


class OnlineSuffixDeprecated(Rule):
    """A model id with the deprecated `:online` suffix, in `model` or `models[]`.

    ## Why
    `:online` is a shortcut for the deprecated `web` plugin: every request runs a web
    search first, whether the question needs one or not, and pays for it. The
    `openrouter:web_search` server tool replaces it and lets the model decide when to
    search. Deprecated shortcuts can be withdrawn without notice.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o-mini:online
      messages:
        - role: user
          content: What changed in the latest Python release?
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o-mini
      tools:
        - type: openrouter:web_search
      messages:
        - role: user
          content: What changed in the latest Python release?
    ```

    ## Source
    OpenRouter docs: model variants (`guides/routing/model-variants/online.mdx`) and plugins
    (`guides/features/plugins.mdx`).
    """

    code = "OR104"
    name = "online-suffix-deprecated"
    severity = Severity.WARNING
    request_keys = ("model", "models")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for pointer, raw in model_fields(ctx.body):
            if "online" in parse_model(raw).suffixes:
                yield Finding(pointer, f"{raw!r} uses the deprecated `:online` suffix: drop it and add the "
                                       "`openrouter:web_search` server tool to `tools` so the model searches "
                                       "when it needs to")
