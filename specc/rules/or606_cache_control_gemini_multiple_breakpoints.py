"""Rule OR606: cache breakpoints that Gemini ignores."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import describe, is_gemini, matching_models, parse_model
from ._plugins import block_breakpoints, concrete_models, path_text
from ._rule import Finding, Rule, RuleContext, as_list


class CacheControlGeminiMultipleBreakpoints(Rule):
    """Several cache breakpoints for Gemini (only the last is used), or a cached system prompt with a dynamic tail.

    ## Why
    Gemini keeps one cache per request: OpenRouter uses only the *last* `cache_control`
    breakpoint in the messages and ignores the others. Extra breakpoints are harmless, but
    they suggest a caching layout that does not exist. Other models use several breakpoints
    (Claude, Qwen, and GPT-5.6+ after conversion), so the rule only reports them when every
    requested model, primary and `models[]` fallbacks, is a Gemini model.

    Gemini also treats a cached system instruction as fixed: a breakpoint inside the first
    system (or developer) message caches that whole message, so text placed after the
    breakpoint in the same message cannot stay dynamic. Move changing text into a later
    user message. This part is reported whenever a Gemini model is requested.

    ## Example
    ```yaml
    request:
      model: google/gemini-2.5-pro
      messages:
        - role: system
          content:
            - type: text
              text: "<product manual>"
              cache_control: {type: ephemeral}
        - role: user
          content:
            - type: text
              text: "<ticket history>"
              cache_control: {type: ephemeral}
            - type: text
              text: Draft a reply to the latest ticket.
    ```

    ## Fix
    ```yaml
    request:
      model: google/gemini-2.5-pro
      messages:
        - role: system
          content:
            - type: text
              text: "<product manual>"
        - role: user
          content:
            - type: text
              text: "<ticket history>"
              cache_control: {type: ephemeral}
            - type: text
              text: Draft a reply to the latest ticket.
    ```

    ## Source
    OpenRouter prompt caching guide (`guides/best-practices/prompt-caching.mdx`, Google
    Gemini section); agent-skills `references/prompt-caching.md`.
    """

    code = "OR606"
    name = "cache-control-gemini-multiple-breakpoints"
    severity = Severity.WARNING
    request_keys = ("messages",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        breakpoints = block_breakpoints(ctx, include_tools=False)
        if not breakpoints:
            return  # cheaper to know than the models below
        gemini = matching_models(body, is_gemini)
        if not gemini:
            return
        only_gemini = all(is_gemini(parse_model(raw)) for raw in concrete_models(body))
        if len(breakpoints) > 1 and only_gemini:
            last = breakpoints[-1]
            yield Finding(breakpoints[0].pointer, f"{len(breakpoints)} cache breakpoints, but Gemini "
                          f"({describe(gemini)}) uses only the last one, at {path_text(last.pointer[:-1])}; "
                          f"{_earlier(len(breakpoints) - 1)} no effect: keep just the last", on_key=True)
        yield from _dynamic_system_tail(ctx.conversation, breakpoints, gemini)


def _earlier(count: int) -> str:
    return "the earlier one has" if count == 1 else f"the {count} earlier ones have"


def _dynamic_system_tail(conversation, breakpoints, gemini):
    """A breakpoint inside the first system/developer message with more text parts after it."""
    system = next(iter(conversation.with_role("system", "developer")), None)
    if system is None:
        return
    i, message = system
    marked = [b.part for b in breakpoints if b.message == i]
    if not marked:
        return
    tail = len(as_list(message.get("content"))) - 1 - max(marked)
    if tail > 0:
        yield Finding(("messages", i, "content", max(marked) + 1),
                      f"{describe(gemini)} caches the system instruction as a whole, so the "
                      f"{'part' if tail == 1 else f'{tail} parts'} after the breakpoint in messages[{i}] cannot stay "
                      "dynamic: move changing text into a later user message")
