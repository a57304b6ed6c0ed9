"""Rule OR711: more than 1000 messages to a Claude model without context compression."""

from __future__ import annotations

import re
from typing import Any, Iterator

from ..diagnostics import Severity
from ._models import describe, is_anthropic, matching_models
from ._rule import Finding, Rule, RuleContext, as_dict, as_list

MAX_MESSAGES = 1000
_REPEATED = re.compile(r"#.*\brepeated (\d+) times\b")


class AnthropicTooManyMessages(Rule):
    """More than 1000 messages to a Claude model with context compression off.

    ## Why
    Anthropic's Claude models take at most 1000 messages per request. OpenRouter can
    work around the limit with the `context-compression` plugin, which keeps the first
    and last halves of the conversation and drops the middle; without it, a longer
    history is rejected. Enable the plugin (or the older `transforms: [middle-out]`,
    which the message-transforms guide used to document for the same job) or trim the
    history yourself. Every entry of `messages` counts, and the rule fires when any
    requested model (`model` or a `models[]` fallback) is a Claude model; a plugin entry
    with `enabled: false` counts as off.

    ## Example
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      messages:  # the two turns below, repeated 501 times (1,002 messages)
        - {role: user, content: next}
        - {role: assistant, content: done}
    ```

    ## Fix
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      plugins:
        - id: context-compression
      messages:  # the two turns below, repeated 501 times (1,002 messages)
        - {role: user, content: next}
        - {role: assistant, content: done}
    ```

    ## Source
    OpenRouter message-transforms guide (`guides/features/message-transforms.mdx`) and its
    constant `anthropicMaxMessagesCount = 1000` (`snippets/exports/constants.mdx`); OpenAPI
    schema `ContextCompressionPlugin`; agent-skills `references/plugins.md`.
    """

    code = "OR711"
    name = "anthropic-too-many-messages"
    severity = Severity.ERROR
    request_keys = ("messages",)

    @classmethod
    def example(cls, title: str) -> str:
        """The docstring's example with the commented `repeated N times` lines expanded.

        A thousand-message spec cannot be printed in a doc page, so the page shows the
        pattern and this expands it into the spec the doc test runs.
        """
        lines = super().example(title).splitlines(keepends=True)
        for index, line in enumerate(lines):
            match = _REPEATED.search(line)
            if not match:
                continue
            indent = len(line) - len(line.lstrip())
            end = index + 1
            while end < len(lines) and len(lines[end]) - len(lines[end].lstrip()) > indent:
                end += 1
            return "".join(lines[:index + 1] + lines[index + 1:end] * int(match.group(1)) + lines[end:])
        return "".join(lines)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        count = len(as_list(body.get("messages")))
        if count <= MAX_MESSAGES:
            return
        claude = matching_models(body, is_anthropic)
        state = compression(body)
        if not claude or state == "on":
            return
        why = ("the context-compression plugin is disabled (`enabled: false`)" if state == "disabled"
               else "context compression is off")
        message = (f"{count:,} messages exceed the {MAX_MESSAGES}-message limit of {describe(claude)} and {why}: "
                   "add `plugins: [{id: context-compression}]` or trim the history")
        yield Finding(("messages",), message, on_key=True)


def compression(body: dict[str, Any]) -> str:
    """`on`, `disabled` (the plugin is listed with `enabled: false`) or `off`."""
    state = "off"
    for plugin in as_list(body.get("plugins")):
        plugin = as_dict(plugin)
        if plugin.get("id") == "context-compression":
            if plugin.get("enabled") is False:
                state = "disabled"
            else:
                return "on"
    if state == "off" and "middle-out" in as_list(body.get("transforms")):
        return "on"
    return state
