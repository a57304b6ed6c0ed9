"""The model catalog: what OpenRouter says about each model and endpoint, kept offline beside the specs.

`specc models pull` fetches `GET /models` (and `/models/{author}/{slug}/endpoints`)
and writes `specc-catalog.json`; lint loads it and the catalog rules read it. The
responses are parsed leniently: envelope fields may be missing, prices are strings
(`-1` for a dynamic price), and fields or enum values appear that no schema lists
yet, so anything unexpected is skipped rather than trusted or refused.

The file keeps only the stable facts the rules and `models show` use (no uptime or
latency), sorted, so that its diffs are reviewable.
"""

from __future__ import annotations

from .errors import SpeccError

import datetime as _dt
import difflib
import fnmatch
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

FORMAT_VERSION = 1
TOKENS_PER_PRICE_UNIT = 1_000_000  # prices are shown, and `provider.max_price` is given, per million tokens


class CatalogError(SpeccError):
    """A catalog file or API response that cannot be used; the message says what is wrong."""


# ---------------------------------------------------------------------------- lenient field readers


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value > 0:
        return value
    if isinstance(value, float) and value.is_integer() and value > 0:
        return int(value)
    return None


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(sorted({item for item in value if isinstance(item, str)})) if isinstance(value, list) else ()


def _price_text(value: Any) -> str | None:
    """A price as the API writes it (a decimal string); numbers are accepted and written as strings."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return None
        return value.strip()
    return None


def price_per_token(text: str | None) -> float | None:
    """USD per token, or None when unknown or dynamic (`-1`: the router decides at run time)."""
    if text is None:
        return None
    number = float(text)
    return None if number < 0 else number


def _pricing(value: Any) -> dict[str, str]:
    """The flat string prices (prompt, completion, request, image, ...); nested overrides are dropped."""
    if not isinstance(value, dict):
        return {}
    prices = {key: _price_text(item) for key, item in value.items() if key != "discount"}
    return {key: item for key, item in sorted(prices.items()) if item is not None}


# ---------------------------------------------------------------------------- the facts


@dataclass(frozen=True)
class Endpoint:
    """One provider serving a model."""

    provider: str                       # provider_name, e.g. "OpenAI"
    tag: str | None = None              # e.g. "openai", "deepinfra/fp8"
    context_length: int | None = None
    max_completion_tokens: int | None = None
    max_prompt_tokens: int | None = None
    pricing: dict[str, str] = field(default_factory=dict)
    supported_parameters: tuple[str, ...] = ()
    quantization: str | None = None

    def serves_for(self, provider_name: str) -> bool:
        """Whether `provider.order`/`only` entry `provider_name` selects this endpoint (name or tag)."""
        wanted = provider_name.strip().lower()
        names = {self.provider.lower()}
        if self.tag:
            names |= {self.tag.lower(), self.tag.lower().split("/")[0]}
        return wanted in names

    def to_json(self) -> dict[str, Any]:
        return _without_empty({
            "provider": self.provider, "tag": self.tag, "context_length": self.context_length,
            "max_completion_tokens": self.max_completion_tokens, "max_prompt_tokens": self.max_prompt_tokens,
            "pricing": self.pricing, "supported_parameters": list(self.supported_parameters),
            "quantization": self.quantization,
        })

    @classmethod
    def from_api(cls, raw: Any) -> "Endpoint | None":
        if not isinstance(raw, dict):
            return None
        provider = _text(raw.get("provider_name")) or _text(raw.get("provider")) or _text(raw.get("name"))
        if provider is None:
            return None
        return cls(provider=provider.split(" | ")[0], tag=_text(raw.get("tag")),
                   context_length=_int(raw.get("context_length")),
                   max_completion_tokens=_int(raw.get("max_completion_tokens")),
                   max_prompt_tokens=_int(raw.get("max_prompt_tokens")),
                   pricing=_pricing(raw.get("pricing")), supported_parameters=_strings(raw.get("supported_parameters")),
                   quantization=_text(raw.get("quantization")))


@dataclass(frozen=True)
class ModelInfo:
    """One model of the list, with its endpoints when they were pulled (`None`: not pulled)."""

    id: str
    name: str | None = None
    canonical_slug: str | None = None
    context_length: int | None = None
    top_provider_context_length: int | None = None
    max_completion_tokens: int | None = None
    pricing: dict[str, str] = field(default_factory=dict)
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    supported_parameters: tuple[str, ...] = ()
    reasoning: dict[str, Any] | None = None
    alias_target: str | None = None
    endpoints: tuple[Endpoint, ...] | None = None

    @property
    def reasoning_mandatory(self) -> bool | None:
        value = (self.reasoning or {}).get("mandatory")
        return value if isinstance(value, bool) else None

    @property
    def supported_efforts(self) -> tuple[str, ...]:
        return _strings((self.reasoning or {}).get("supported_efforts"))

    @property
    def is_free(self) -> bool:
        prompt, completion = (price_per_token(self.pricing.get(k)) for k in ("prompt", "completion"))
        return prompt == 0 and completion == 0

    def supports(self, parameter: str) -> bool | None:
        """Whether some endpoint of the model takes `parameter` (None: the list says nothing)."""
        return parameter in self.supported_parameters if self.supported_parameters else None

    def to_json(self) -> dict[str, Any]:
        return _without_empty({
            "id": self.id, "name": self.name, "canonical_slug": self.canonical_slug,
            "context_length": self.context_length, "top_provider_context_length": self.top_provider_context_length,
            "max_completion_tokens": self.max_completion_tokens, "pricing": self.pricing,
            "input_modalities": list(self.input_modalities), "output_modalities": list(self.output_modalities),
            "supported_parameters": list(self.supported_parameters), "reasoning": self.reasoning,
            "alias_target": self.alias_target,
            "endpoints": None if self.endpoints is None else [e.to_json() for e in sort_endpoints(self.endpoints)],
        })

    @classmethod
    def from_api(cls, raw: Any) -> "ModelInfo | None":
        """A model from the API list or from our own file (same field names where they overlap)."""
        if not isinstance(raw, dict) or _text(raw.get("id")) is None:
            return None
        architecture: dict[str, Any] = raw["architecture"] if isinstance(raw.get("architecture"), dict) else {}
        top: dict[str, Any] = raw["top_provider"] if isinstance(raw.get("top_provider"), dict) else {}
        reasoning = raw.get("reasoning") if isinstance(raw.get("reasoning"), dict) else None
        alias = raw.get("alias_target")
        alias_target = _text(alias.get("slug")) if isinstance(alias, dict) else _text(alias)
        endpoints = raw.get("endpoints")
        return cls(
            id=raw["id"].strip(), name=_text(raw.get("name")), canonical_slug=_text(raw.get("canonical_slug")),
            context_length=_int(raw.get("context_length")),
            top_provider_context_length=_int(top.get("context_length")) or _int(raw.get("top_provider_context_length")),
            max_completion_tokens=_int(top.get("max_completion_tokens")) or _int(raw.get("max_completion_tokens")),
            pricing=_pricing(raw.get("pricing")),
            input_modalities=_strings(architecture.get("input_modalities", raw.get("input_modalities"))),
            output_modalities=_strings(architecture.get("output_modalities", raw.get("output_modalities"))),
            supported_parameters=_strings(raw.get("supported_parameters")),
            reasoning=_json_safe(reasoning), alias_target=alias_target,
            endpoints=None if not isinstance(endpoints, list) else sort_endpoints(
                e for e in map(Endpoint.from_api, endpoints) if e is not None),
        )


def sort_endpoints(endpoints: Iterable[Endpoint]) -> tuple[Endpoint, ...]:
    """Endpoints in the catalog's stable order: by provider, then tag."""
    return tuple(sorted(endpoints, key=lambda e: (e.provider.lower(), e.tag or "")))


def _without_empty(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v != {} and v != []}


def _json_safe(value: Any) -> Any:
    """A copy with sorted keys and no containers shared with the response."""
    return None if value is None else json.loads(json.dumps(value, sort_keys=True))


# ---------------------------------------------------------------------------- parsing responses


def parse_models_response(payload: Any) -> list[ModelInfo]:
    """The models of a `GET /models` response (`{data: [...]}`; `total_count`/`links` optional)."""
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, list):
        raise CatalogError("the model list has no `data` array")
    models = [model for model in map(ModelInfo.from_api, data) if model is not None]
    if data and not models:
        raise CatalogError("the model list's `data` holds no model with an `id`")
    return models


def parse_endpoints_response(payload: Any) -> tuple[str | None, tuple[Endpoint, ...]]:
    """(model id, endpoints) of a `GET /models/{author}/{slug}/endpoints` response."""
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("endpoints"), list):
        raise CatalogError("the endpoints response has no `data.endpoints` array")
    endpoints = sort_endpoints(e for e in map(Endpoint.from_api, data["endpoints"]) if e is not None)
    return _text(data.get("id")), endpoints


# ---------------------------------------------------------------------------- the catalog


@dataclass(frozen=True)
class Resolution:
    """What a requested model id means in the catalog."""

    raw: str
    model: ModelInfo | None       # the model requests with this id reach (None: unknown)
    lookup: str                   # the id looked up (suffixes other than `:free` and presets stripped)
    free_missing: bool = False    # `:free` asked for, the model exists, but has no free variant
    skipped: bool = False         # nothing to check (a bare preset, an empty id)


@dataclass(frozen=True)
class Catalog:
    """Every model OpenRouter listed on `fetched` (an ISO date), by id."""

    models: dict[str, ModelInfo]
    fetched: str
    source: str | None = None

    @classmethod
    def build(cls, models: Iterable[ModelInfo], fetched: str, source: str | None = None) -> "Catalog":
        return cls({model.id: model for model in models}, fetched, source)

    # ------------------------------------------------------------ lookups

    def get(self, model_id: str) -> ModelInfo | None:
        """The model with this id, or whose canonical (dated) slug it is; case-insensitive."""
        return self.models.get(model_id) or self._by_lower.get(model_id.lower())

    @cached_property
    def _by_lower(self) -> dict[str, ModelInfo]:
        """Lower-cased ids and canonical slugs to models (an id wins over another model's slug)."""
        index = {m.canonical_slug.lower(): m for m in self.models.values() if m.canonical_slug}
        index.update({m.id.lower(): m for m in self.models.values()})
        return index

    def resolve(self, raw: str) -> Resolution:
        """Look up a requested id: `author/slug`, `:suffix`es, `@preset/...`."""
        from .rules._models import parse_model

        parsed = parse_model(raw)
        if not parsed.slug or "{{" in raw:  # a bare preset, or a placeholder E004 already reports
            return Resolution(raw, None, "", skipped=True)
        base = parsed.base
        if "free" in parsed.suffixes:
            free = self.get(f"{base}:free")
            if free is not None:
                return Resolution(raw, free, f"{base}:free")
            model = self.get(base)
            if model is not None and not model.is_free:
                return Resolution(raw, model, base, free_missing=True)
            return Resolution(raw, model, base)
        return Resolution(raw, self.get(base), base)

    def closest(self, model_id: str, count: int = 3) -> list[str]:
        """Up to `count` catalog ids nearest to `model_id` (slug typos weigh most)."""
        wanted = model_id.lower()
        ids = sorted(self.models)
        ranked = difflib.get_close_matches(wanted, [i.lower() for i in ids], n=count, cutoff=0.6)
        by_lower = {i.lower(): i for i in ids}
        found = [by_lower[i] for i in ranked]
        if len(found) < count:  # the right slug under a wrong author, or no author at all
            slug = wanted.split("/", 1)[-1]
            slugs = {i.split("/", 1)[-1].lower(): i for i in ids}
            for close in difflib.get_close_matches(slug, list(slugs), n=count, cutoff=0.8 if "/" in wanted else 0.6):
                if slugs[close] not in found:
                    found.append(slugs[close])
        return found[:count]

    def matching(self, pattern: str) -> list[ModelInfo]:
        """Models whose id matches a glob (`anthropic/*`), as `auto-router` allowed models are written."""
        lowered = pattern.lower()
        return [m for m in self.models.values() if fnmatch.fnmatchcase(m.id.lower(), lowered)]

    def search(self, words: Iterable[str]) -> list[ModelInfo]:
        """Models whose id or name contains every word (case-insensitive), sorted by id."""
        wanted = [w.lower() for w in words if w.strip()]
        return [m for _, m in sorted(self.models.items())
                if all(w in f"{m.id} {m.name or ''}".lower() for w in wanted)]

    # ------------------------------------------------------------ dates

    def fetched_date(self) -> _dt.date | None:
        try:
            return _dt.date.fromisoformat(self.fetched[:10])
        except ValueError:
            return None

    def age_days(self, today: _dt.date | None = None) -> int | None:
        fetched = self.fetched_date()
        return None if fetched is None else ((today or _dt.datetime.now(_dt.timezone.utc).date()) - fetched).days

    @property
    def label(self) -> str:
        """How rule messages cite it: `catalog of 2026-09-01`."""
        return f"catalog of {self.fetched}"

    # ------------------------------------------------------------ the file

    def with_endpoints(self, endpoints: dict[str, tuple[Endpoint, ...]]) -> "Catalog":
        from dataclasses import replace

        models = {mid: replace(m, endpoints=endpoints[mid]) if mid in endpoints else m for mid, m in self.models.items()}
        return Catalog(models, self.fetched, self.source)

    def to_text(self) -> str:
        """The catalog file: sorted keys and models, one fact per line, so diffs are reviewable."""
        document = {"specc_catalog": FORMAT_VERSION, "fetched": self.fetched, "source": self.source,
                    "models": [self.models[mid].to_json() for mid in sorted(self.models)]}
        return json.dumps(_without_empty(document), indent=1, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_text(cls, text: str, where: str = "catalog") -> "Catalog":
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise CatalogError(f"{where}: not valid JSON ({exc}); run `specc models pull` to rewrite it") from None
        if not isinstance(document, dict) or not isinstance(document.get("models"), list):
            raise CatalogError(f"{where}: not a specc catalog (no `models` list); run `specc models pull`")
        version = document.get("specc_catalog")
        if version != FORMAT_VERSION:
            raise CatalogError(f"{where}: catalog format {version!r} is not {FORMAT_VERSION}; run `specc models pull`")
        fetched = _text(document.get("fetched")) or "unknown date"
        return cls.build((m for m in map(ModelInfo.from_api, document["models"]) if m), fetched,
                         _text(document.get("source")))


def load_catalog(path: str | Path) -> Catalog:
    """Read a catalog file; `CatalogError` when it cannot be read or is not a catalog."""
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: cannot read the catalog: {exc}") from None
    return Catalog.from_text(text, str(path))


def catalog_path(config: Any, cwd: Path | None = None) -> Path:
    """Where the project's catalog lives: `[tool.specc] catalog`, relative to the project root."""
    root = Path(config.root) if getattr(config, "root", None) else (cwd or Path.cwd())
    name: str = config.catalog
    return root / name


def per_million(text: str | None) -> str:
    """A per-token price string as `$x.xx/M` (`dynamic` for -1, `?` when absent)."""
    if text is None:
        return "?"
    value = price_per_token(text)
    if value is None:
        return "dynamic"
    return f"${value * TOKENS_PER_PRICE_UNIT:.4g}/M"


def today_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).date().isoformat()


# ---------------------------------------------------------------------------- lint's use


def load_project_catalog(config: Any) -> Catalog | None:
    """The project's catalog when its file exists (None otherwise); `CatalogError` when it is unusable."""
    path = catalog_path(config)
    return load_catalog(path) if path.is_file() else None


def catalog_notes(catalog: Catalog | None, config: Any, rules: Iterable[Any], today: _dt.date | None = None) -> list[str]:
    """What a lint run says once about the catalog: checks skipped for lack of one, or one too old."""
    if not any(getattr(rule, "needs_catalog", False) for rule in rules):
        return []
    if catalog is None:
        return [f"catalog checks skipped: no model catalog at {config.catalog} (run `specc models pull`)"]
    age = catalog.age_days(today)
    if age is not None and age > config.catalog_max_age_days:
        return [f"warning: the model catalog {config.catalog} is {age} days old (fetched {catalog.fetched}; "
                f"catalog-max-age-days = {config.catalog_max_age_days}): run `specc models pull`"]
    return []
