"""Helpers for the OR5xx (plugins, server tools) and OR6xx (prompt caching) rules.

Plugins are a list of mappings told apart by `id`; server tools are entries of
`tools` told apart by `type` (`openrouter:web_search`, `openrouter:subagent`, ...)
with their settings under `parameters`. Web search has three spellings (the `web`
plugin, the `openrouter:web_search` tool and the OpenAI-style `web_search` shorthand)
whose domain lists are named differently; `web_searches` folds them into one shape.

Like `_messages`, every helper tolerates a body that violates the schema: it yields
only what has the expected shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from ._models import (ModelId, gpt_version, is_anthropic, is_gemini, is_openai, is_qwen, parse_model, requested_models,
                      routed_providers)
from .. import pointers
from ._rule import RuleContext, as_dict

WEB_SEARCH_TOOL = "openrouter:web_search"
# OpenAI Responses-style spellings that OpenRouter converts to `openrouter:web_search`.
WEB_SEARCH_SHORTHANDS = ("web_search", "web_search_preview", "web_search_preview_2025_03_11", "web_search_2025_08_26")
# Engines that use the model provider's own search (`auto`/unset prefer it when the model has one).
NATIVE_OR_DEFAULT_ENGINES = (None, "native", "auto")


# ---------------------------------------------------------------------------- plugins and tools


def plugins(ctx: RuleContext, plugin_id: str) -> list[tuple[int, dict[str, Any]]]:
    """`(index, plugin)` for every mapping in `plugins` with `id == plugin_id`."""
    return [(i, p) for i, p in ctx.plugins if p.get("id") == plugin_id]


def enabled(plugin: dict[str, Any]) -> bool:
    """Plugins are on unless `enabled: false` says otherwise."""
    return plugin.get("enabled") is not False


def server_tools(ctx: RuleContext, tool_type: str) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
    """`(index, tool, parameters)` for every tool of `tool_type` (parameters `{}` when absent or not a mapping)."""
    return [(k, t, as_dict(t.get("parameters"))) for k, t in ctx.tools if t.get("type") == tool_type]


def nonempty_list(settings: Mapping[str, Any], key: str) -> list | None:
    """The list at `key` when it is a non-empty list, else None (an empty list filters nothing)."""
    value = settings.get(key)
    return value if isinstance(value, list) and value else None


def text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


# ---------------------------------------------------------------------------- web search


@dataclass(frozen=True)
class WebSearch:
    """One web-search configuration, with the names its domain lists go by there.

    `settings` is what the API sees; `homes` says which mapping each key was written in
    (a shorthand tool may write settings beside `type` and under `parameters`, and the
    `parameters` one wins).
    """

    label: str  # for messages: "plugins[0] (the `web` plugin)"
    settings: dict[str, Any]
    homes: dict[str, tuple]
    include_key: str  # `include_domains` on the plugin, `allowed_domains` on the tool
    exclude_key: str
    is_plugin: bool

    @property
    def engine(self) -> str | None:
        return text(self.settings.get("engine"))

    def pointer_of(self, key: str) -> tuple | None:
        """Where `key` is written (None when it is not)."""
        home = self.homes.get(key)
        return (*home, key) if home is not None else None

    def written_at(self, key: str) -> tuple:
        """Where `key` is written, for a key the caller has seen in `settings` (so it has a home)."""
        pointer = self.pointer_of(key)
        if pointer is None:
            raise KeyError(f"{key!r} is not written in {self.label}")
        return pointer

    def includes(self) -> list | None:
        return nonempty_list(self.settings, self.include_key)

    def excludes(self) -> list | None:
        return nonempty_list(self.settings, self.exclude_key)


def web_searches(ctx: RuleContext) -> list[WebSearch]:
    """Every enabled web-search configuration: `web` plugins, `openrouter:web_search` tools and shorthands."""
    found: list[WebSearch] = []
    for i, plugin in plugins(ctx, "web"):
        if enabled(plugin):
            found.append(WebSearch(f"plugins[{i}] (the `web` plugin)", plugin, {key: ("plugins", i) for key in plugin},
                                   "include_domains", "exclude_domains", True))
    for k, tool in ctx.tools:
        kind = tool.get("type")
        if kind != WEB_SEARCH_TOOL and kind not in WEB_SEARCH_SHORTHANDS:
            continue
        settings: dict[str, Any] = {}
        homes: dict[str, tuple] = {}
        places: list[tuple[tuple[str | int, ...], Any]] = [(("tools", k), tool)] if kind in WEB_SEARCH_SHORTHANDS else []  # settings beside `type`
        if isinstance(tool.get("parameters"), dict):
            places.append((("tools", k, "parameters"), tool["parameters"]))
        for home, mapping in places:
            for key, value in mapping.items():
                if key not in ("type", "parameters"):
                    settings[key], homes[key] = value, home
        found.append(WebSearch(f"tools[{k}] (`{kind}`)", settings, homes, "allowed_domains", "excluded_domains",
                               False))
    return found


def x_search_filters(ctx: RuleContext) -> list[tuple[tuple, dict[str, Any]]]:
    """`(pointer, filter)` for each X-search filter: top-level `x_search_filter`, `x_search` on web search."""
    found: list[tuple[tuple, dict[str, Any]]] = []
    if isinstance(ctx.body.get("x_search_filter"), dict):
        found.append((("x_search_filter",), ctx.body["x_search_filter"]))
    for i, plugin in plugins(ctx, "web"):
        if isinstance(plugin.get("x_search"), dict):
            found.append((("plugins", i, "x_search"), plugin["x_search"]))
    for k, tool in ctx.tools:
        if tool.get("type") == WEB_SEARCH_TOOL or tool.get("type") in WEB_SEARCH_SHORTHANDS:
            params = as_dict(tool.get("parameters"))
            if isinstance(params.get("x_search"), dict):
                found.append((("tools", k, "parameters", "x_search"), params["x_search"]))
    return found


# ---------------------------------------------------------------------------- which models search natively


def openai_native_search(model: ModelId) -> bool:
    """OpenAI models with built-in web search: GPT-4.1 and later, o3, o3-pro, o4-mini (not GPT-4o)."""
    if not is_openai(model):
        return False
    version = gpt_version(model)
    return (version is not None and version >= (4, 1)) or re.match(r"^o[34](-|$)", model.slug) is not None


def gemini_version(model: ModelId) -> tuple[int, int] | None:
    """(3, 1) for `google/gemini-3.1-flash`; None for other models or an unversioned alias."""
    if not is_gemini(model):
        return None
    match = re.search(r"gemini-(\d+)(?:\.(\d+))?", model.slug)
    return (int(match.group(1)), int(match.group(2) or 0)) if match else None


# ---------------------------------------------------------------------------- prompt caching


@dataclass(frozen=True)
class Breakpoint:
    """One explicit cache breakpoint on a block: a `cache_control` or a `prompt_cache_breakpoint` marker."""

    pointer: tuple  # of the marker's key
    message: int | None = None  # index of the message holding it (None for a tool)
    part: int | None = None


def block_breakpoints(ctx: RuleContext, include_tools: bool = True) -> list[Breakpoint]:
    """Explicit breakpoints in the order Anthropic builds its prefix: tools first, then messages.

    A `prompt_cache_breakpoint` counts too: OpenRouter turns it into a `cache_control` for
    Anthropic and Google. A block carrying both is one breakpoint. The content parts come
    from `ctx.conversation`, the messages walked once for every rule.
    """
    found: list[Breakpoint] = []
    if include_tools:
        for k, tool in ctx.tools:
            if isinstance(tool.get("cache_control"), dict):
                found.append(Breakpoint(("tools", k, "cache_control")))
    for i, j, part in ctx.conversation.parts:
        for key in ("cache_control", "prompt_cache_breakpoint"):
            if isinstance(part.get(key), dict):
                found.append(Breakpoint(("messages", i, "content", j, key), i, j))
                break
    return found


def cache_control_directives(ctx: RuleContext) -> list[tuple[tuple, Any]]:
    """`(pointer, value)` of every `cache_control` the request writes, whatever its value."""
    body = ctx.body
    found: list[tuple[tuple, Any]] = []
    if "cache_control" in body:
        found.append((("cache_control",), body["cache_control"]))
    for k, tool in ctx.tools:
        if "cache_control" in tool:
            found.append((("tools", k, "cache_control"), tool["cache_control"]))
        params = tool.get("parameters")
        if isinstance(params, dict) and "cache_control" in params:
            found.append((("tools", k, "parameters", "cache_control"), params["cache_control"]))
    for i, j, part in ctx.conversation.parts:
        if "cache_control" in part:
            found.append((("messages", i, "content", j, "cache_control"), part["cache_control"]))
    return found


def top_level_cache_control(body: dict[str, Any]) -> bool:
    """True when the request asks for automatic caching (a top-level `cache_control` mapping)."""
    return isinstance(body.get("cache_control"), dict)


def routed_to_alibaba(body: dict[str, Any]) -> bool:
    return any("alibaba" in name for name in routed_providers(body))


def served_by_alibaba(body: dict[str, Any], raw: str) -> bool:
    """Qwen models, and any non-Claude model the routing sends to Alibaba (e.g. DeepSeek there)."""
    model = parse_model(raw)
    return not is_anthropic(model) and (is_qwen(model) or routed_to_alibaba(body))


def concrete_models(body: dict[str, Any]) -> list[str]:
    """Requested ids naming a model: not a bare preset, not a router (`openrouter/auto`) whose pick is unknown."""
    return [raw for raw in requested_models(body)
            if (model := parse_model(raw)).slug and model.author not in ("openrouter", "~openrouter")]


def openai_explicit_caching(model: ModelId) -> bool:
    """OpenAI GPT-5.6 and newer: the only models with `prompt_cache_options`."""
    version = gpt_version(model)
    return version is not None and version >= (5, 6)


# ---------------------------------------------------------------------------- headers


def header(spec: Any, name: str) -> str | None:
    """The value of the spec's header `name` (case-insensitive), or None (also when there is no spec)."""
    headers = getattr(spec, "headers", None)
    if not isinstance(headers, dict):
        return None
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == name.lower():
            return value if isinstance(value, str) else str(value)
    return None


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def path_text(pointer: tuple) -> str:
    """`tools[0].parameters.x_search` for `("tools", 0, "parameters", "x_search")`."""
    return pointers.path_text(pointer)
