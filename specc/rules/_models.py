"""What a request's model ids say: family, version, suffixes, presets, routed providers.

Rules whose pitfall depends on the model decide from the ids alone (the catalog,
when present, knows more): the primary `model`, the `models[]` fallbacks, and the
`provider.order` / `provider.only` routing. Messages name the model that made a
rule fire, so every helper here works on one id at a time.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterable

# Variant suffixes OpenRouter documents; `:nitro`/`:floor` are routing shortcuts.
KNOWN_SUFFIXES = ("free", "nitro", "floor", "online", "extended", "exacto", "thinking")
PRESET_PREFIX = "@preset/"


@dataclass(frozen=True)
class ModelId:
    """A model id taken apart: `author/slug:suffix1:suffix2@preset/name`."""

    raw: str
    author: str
    slug: str
    suffixes: tuple[str, ...]
    preset: str | None

    @property
    def base(self) -> str:
        """`author/slug` without suffixes or preset."""
        return f"{self.author}/{self.slug}" if self.author else self.slug


@lru_cache(maxsize=4096)  # a pure function of the id, called by many rules for the same few ids
def parse_model(raw: str) -> ModelId:
    """Split a model id; a bare `@preset/x` has no author or slug."""
    text, preset = raw.strip(), None
    if PRESET_PREFIX in text:
        text, _, preset = text.partition(PRESET_PREFIX)
    head, *suffixes = text.split(":") if text else [""]
    author, _, slug = head.partition("/") if "/" in head else ("", "", head)
    return ModelId(raw, author.lower(), slug.lower(), tuple(s.lower() for s in suffixes), preset or None)


def model_fields(body: dict[str, Any]) -> list[tuple[tuple, str]]:
    """Each model id the request names, with its pointer: `("model",)`, then `("models", i)`.

    Unlike `requested_models` this keeps repeats and positions, so a rule can point at the
    exact entry that made it fire. Non-string entries are skipped.
    """
    fields: list[tuple[tuple, str]] = []
    if isinstance(body.get("model"), str):
        fields.append((("model",), body["model"]))
    models = body.get("models")
    for index, item in enumerate(models if isinstance(models, list) else []):
        if isinstance(item, str):
            fields.append((("models", index), item))
    return fields


def closest_suffix(suffix: str) -> str | None:
    """The documented variant suffix nearest to a misspelt one (None when nothing is close)."""
    close = difflib.get_close_matches(suffix.lower(), KNOWN_SUFFIXES, n=1, cutoff=0.7)
    return close[0] if close else None


def requested_models(body: dict[str, Any]) -> list[str]:
    """The primary `model` and the `models[]` fallbacks, in order, without repeats or non-strings."""
    seen: list[str] = []
    fallbacks = body.get("models")
    candidates = [body.get("model"), *(fallbacks if isinstance(fallbacks, list) else [])]
    for item in candidates:
        if isinstance(item, str) and item.strip() and item not in seen:
            seen.append(item)
    return seen


def routed_providers(body: dict[str, Any]) -> list[str]:
    """Provider names from `provider.order` and `provider.only`, lower-cased."""
    provider = body.get("provider")
    if not isinstance(provider, dict):
        return []
    names: list[str] = []
    for key in ("order", "only"):
        listed = provider.get(key)
        for name in listed if isinstance(listed, list) else []:  # a non-list is the schema's error
            if isinstance(name, str) and name.lower() not in names:
                names.append(name.lower())
    return names


def provider_preferences(body: dict[str, Any]) -> dict[str, Any]:
    """The `provider` object, or `{}` when absent or not a mapping."""
    provider = body.get("provider")
    return provider if isinstance(provider, dict) else {}


def requires_parameters(body: dict[str, Any]) -> bool:
    """`provider.require_parameters: true`: only endpoints that honour every parameter are used."""
    return provider_preferences(body).get("require_parameters") is True


def provider_sort(body: dict[str, Any]) -> tuple[tuple, str] | None:
    """`provider.sort` as (pointer, value): the string form, or the `by` of the object form."""
    sort = provider_preferences(body).get("sort")
    if isinstance(sort, str):
        return ("provider", "sort"), sort
    if isinstance(sort, dict) and isinstance(sort.get("by"), str):
        return ("provider", "sort", "by"), sort["by"]
    return None


def matching_models(body: dict[str, Any], predicate: Callable[[ModelId], bool]) -> list[str]:
    """Requested model ids for which `predicate` holds (for messages: which model made a rule fire)."""
    return [raw for raw in requested_models(body) if predicate(parse_model(raw))]


def describe(models: Iterable[str]) -> str:
    """`'a'` or `'a', 'b'` for messages."""
    return ", ".join(repr(m) for m in models)


def noun(word: str, items: list) -> str:
    """`model` for one item, `models` for several."""
    return word if len(items) == 1 else word + "s"


# ---------------------------------------------------------------------------- families


def is_anthropic(model: ModelId) -> bool:
    return model.author == "anthropic" or model.slug.startswith("claude")


def is_openai(model: ModelId) -> bool:
    return model.author == "openai"


def is_openai_api_model(model: ModelId) -> bool:
    """A model only OpenAI's own API serves: not the open-weight `gpt-oss` that other providers host."""
    return is_openai(model) and not model.slug.startswith("gpt-oss")


def is_gemini(model: ModelId) -> bool:
    return model.author == "google" and "gemini" in model.slug


def is_qwen(model: ModelId) -> bool:
    return model.author == "qwen" or model.slug.startswith("qwen")


def is_openai_reasoning(model: ModelId) -> bool:
    """OpenAI's o-series (o1, o3, o4-mini, ...): reasoning is mandatory there."""
    return is_openai(model) and re.match(r"^o\d", model.slug) is not None


def _version(pattern: str, slug: str) -> tuple[int, int] | None:
    match = re.search(pattern, slug)
    if not match:
        return None
    return int(match.group(1)), int(match.group(2) or 0)


def gpt_version(model: ModelId) -> tuple[int, int] | None:
    """(5, 6) for `openai/gpt-5.6`, (5, 0) for `openai/gpt-5-mini`; None for non-GPT ids."""
    if not is_openai(model):
        return None
    return _version(r"^gpt-(\d+)(?:\.(\d+))?", model.slug)


def claude_opus_version(model: ModelId) -> tuple[int, int] | None:
    """(4, 6) for `anthropic/claude-opus-4.6` (also `claude-4.6-opus`); None for other models."""
    if not is_anthropic(model) or "opus" not in model.slug:
        return None
    # The minor version has one or two digits: `claude-opus-4-20250514` is 4.0 with a date, not 4.20250514.
    return (_version(r"opus-(\d+)(?:[.-](\d{1,2})(?!\d))?", model.slug)
            or _version(r"claude-(\d+)(?:[.-](\d{1,2})(?!\d))?-opus", model.slug))


def at_least(version: tuple[int, int] | None, minimum: tuple[int, int]) -> bool:
    return version is not None and version >= minimum


# ---------------------------------------------------------------------------- families real 400s named

_GPT_VERSION = re.compile(r"^gpt-(\d+)(?:\.(\d+))?(?![\d.])")
_GROK_VERSION = re.compile(r"^grok-(\d+)(?:\.\d+)?(?!\d)")


def openai_generation(model: ModelId) -> tuple[int, int] | None:
    """`(4, 1)` for `openai/gpt-4.1-mini`, `(5, 0)` for `gpt-5`; None for other models (`gpt-4o` is `(4, 0)`)."""
    if not is_openai_api_model(model):
        return None
    match = _GPT_VERSION.match(model.slug)
    return (int(match.group(1)), int(match.group(2) or 0)) if match else None


def enforces_openai_output_minimum(model: ModelId) -> bool:
    """OpenAI models from gpt-4.1 on, which OpenAI serves with its 16-token output minimum.

    Real traffic: `max_tokens: 10` was refused on gpt-4.1 and gpt-4.1-mini ("Expected a
    value >= 16") and accepted on gpt-4o-mini, so the older generation is left out.
    """
    generation = openai_generation(model)
    return generation is not None and generation >= (4, 1)


def refuses_forced_function(model: ModelId) -> bool:
    """xAI models that refuse a forced named function: grok-4 and later, and grok-code.

    Real traffic: refused on grok-4, grok-4-fast and grok-code-fast-1; accepted on grok-3,
    grok-3-mini and their betas.
    """
    if model.author != "x-ai":
        return False
    if model.slug.startswith("grok-code"):
        return True
    match = _GROK_VERSION.match(model.slug)
    return match is not None and int(match.group(1)) >= 4


def is_gemma(model: ModelId) -> bool:
    return model.author == "google" and model.slug.startswith("gemma")
