"""Rule OR501: the deprecated `web` plugin."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._plugins import enabled, plugins
from ._rule import Finding, Rule, RuleContext


class WebPluginDeprecated(Rule):
    """A `plugins` entry with `id: web`, the deprecated way to add web search.

    ## Why
    The `web` plugin runs one search before every request and pastes the results into
    the prompt, whether or not the question needs it. OpenRouter has deprecated it in
    favour of the `openrouter:web_search` server tool, where the model decides when (and
    how often) to search, and which takes the same engine and domain settings under
    `parameters` (`allowed_domains` / `excluded_domains` instead of `include_domains` /
    `exclude_domains`). The plugin still works today; new specs should not depend on it.
    A plugin entry switched off with `enabled: false` is not reported.

    ## Example
    ```yaml
    request:
      model: openai/gpt-5.2
      plugins:
        - id: web
          max_results: 3
      messages:
        - role: user
          content: What changed in the latest Ruby release?
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-5.2
      tools:
        - type: openrouter:web_search
          parameters:
            max_results: 3
      messages:
        - role: user
          content: What changed in the latest Ruby release?
    ```

    ## Source
    OpenRouter plugins guide (`guides/features/plugins.mdx`) and web search guide
    (`guides/features/plugins/web-search.mdx`), which point to the server tool;
    agent-skills `references/web-search.md`.
    """

    code = "OR501"
    name = "web-plugin-deprecated"
    severity = Severity.WARNING
    request_keys = ("plugins",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for i, plugin in plugins(ctx, "web"):
            if enabled(plugin):
                yield Finding(("plugins", i, "id"), "the `web` plugin is deprecated: add the "
                              "`openrouter:web_search` server tool to `tools` instead (the model then decides "
                              "when to search; move the plugin's settings under the tool's `parameters`)")
