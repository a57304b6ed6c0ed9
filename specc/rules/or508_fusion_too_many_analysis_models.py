"""Rule OR508: fusion limits (analysis models, tools, tool-call steps)."""

from __future__ import annotations

from typing import Any, Iterator

from ..diagnostics import Severity
from ._plugins import plugins, server_tools
from ._rule import Finding, Rule, RuleContext

MAX_ANALYSIS_MODELS = 8
MAX_TOOLS = 8
MAX_TOOL_CALLS = 16


class FusionTooManyAnalysisModels(Rule):
    """Fusion settings outside their limits: 1–8 `analysis_models`, at most 8 `tools`, 1–16 `max_tool_calls`.

    ## Why
    Fusion runs every model in `analysis_models` in parallel on your prompt and then has
    an analyst model combine the answers, so each extra panelist multiplies the cost.
    OpenRouter caps the panel at 8 models (and needs at least one), the panelists' tools
    at 8, and their tool-calling steps at 16; a request beyond a cap is rejected. This
    applies to the `fusion` plugin and to the `openrouter:fusion` server tool's
    `parameters` alike. Pick the strongest few models, or leave `analysis_models` out to
    get the default panel.

    ## Example
    ```yaml
    request:
      model: openai/gpt-5.2
      plugins:
        - id: fusion
          analysis_models:
            - anthropic/claude-opus-4.6
            - openai/gpt-5.2
            - google/gemini-3-pro-preview
            - x-ai/grok-4
            - deepseek/deepseek-v3.2
            - qwen/qwen3-max
            - moonshotai/kimi-k2
            - mistralai/mistral-large
            - meta-llama/llama-4-maverick
      messages:
        - role: user
          content: Should we migrate our billing service to event sourcing?
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-5.2
      plugins:
        - id: fusion
          analysis_models:
            - anthropic/claude-opus-4.6
            - openai/gpt-5.2
            - google/gemini-3-pro-preview
            - x-ai/grok-4
      messages:
        - role: user
          content: Should we migrate our billing service to event sourcing?
    ```

    ## Source
    OpenAPI schemas `FusionPlugin` and `FusionServerToolConfig` (`analysis_models`,
    `tools`, `max_tool_calls`); OpenRouter fusion guides (`guides/features/plugins/fusion.mdx`,
    `guides/features/server-tools/fusion.mdx`).
    """

    code = "OR508"
    name = "fusion-too-many-analysis-models"
    severity = Severity.ERROR
    request_keys = ("plugins", "tools")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for i, plugin in plugins(ctx, "fusion"):
            yield from _check(plugin, ("plugins", i), f"plugins[{i}] (the `fusion` plugin)")
        for k, _tool, params in server_tools(ctx, "openrouter:fusion"):
            yield from _check(params, ("tools", k, "parameters"), f"tools[{k}] (`openrouter:fusion`)")


def _check(settings: dict[str, Any], pointer: tuple, label: str) -> Iterator[Finding]:
    models = settings.get("analysis_models")
    if isinstance(models, list) and not models:
        yield Finding((*pointer, "analysis_models"), f"{label} has an empty `analysis_models`; it needs 1 to "
                      f"{MAX_ANALYSIS_MODELS} models: list at least one, or leave the key out for the default panel")
    elif isinstance(models, list) and len(models) > MAX_ANALYSIS_MODELS:
        yield Finding((*pointer, "analysis_models"), f"{label} lists {len(models)} `analysis_models`; fusion takes "
                      f"at most {MAX_ANALYSIS_MODELS} (each one is a full parallel request): keep the "
                      f"{MAX_ANALYSIS_MODELS} strongest")
    tools = settings.get("tools")
    if isinstance(tools, list) and len(tools) > MAX_TOOLS:
        yield Finding((*pointer, "tools"), f"{label} gives the panel {len(tools)} `tools`; fusion takes at most "
                      f"{MAX_TOOLS}: drop the ones the panel does not need")
    calls = settings.get("max_tool_calls")
    if isinstance(calls, (int, float)) and not isinstance(calls, bool) and not 1 <= calls <= MAX_TOOL_CALLS:
        yield Finding((*pointer, "max_tool_calls"), f"{label} sets `max_tool_calls: {calls}`; it must be between 1 "
                      f"and {MAX_TOOL_CALLS}")
