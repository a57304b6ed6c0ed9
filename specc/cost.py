"""The cost bound: the least and most a request can cost on the endpoints its routing can reach.

Nothing is sent. The prompt's tokens are *estimated* from its text (`estimate_prompt`),
the completion's are the request's own cap (`max_completion_tokens`/`max_tokens`), else
the endpoint's or model's max output, else what the context leaves; prices come from the
model catalog (per endpoint when pulled with `--endpoints`, else the model's list price).

For each reachable endpoint (a row) the *least* is the prompt alone (the model may stop
after one token) and the *most* is the prompt plus the whole completion budget. The
request's bound is the least of the leasts and the most of the mosts; either is None
(unknown) when some reachable endpoint's is: a bound that leaves one out is no bound.

Not counted, and said so in the README: prompt-cache discounts (a cached prompt costs
less than the least), per-image and web-search fees, and prompt tokens of audio, video
and files (reported in `PromptEstimate.uncounted`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .catalog import TOKENS_PER_PRICE_UNIT, price_per_token
from .rules._catalog import reachable_endpoints
from .rules._models import parse_model, provider_preferences, requested_models

if TYPE_CHECKING:
    from .catalog import Catalog, Endpoint, ModelInfo

# ---------------------------------------------------------------------------- the prompt estimate

CHARS_PER_TOKEN = 4            # English text and JSON average about 4 characters a token (tiktoken, Claude's, Llama's)
TOKENS_PER_MESSAGE = 4         # role and delimiters each chat template wraps a message in
TOKENS_PER_REQUEST = 3         # the assistant turn the template primes the reply with
TOKENS_PER_TOOL = 8            # the wrapper a provider renders each tool definition in, beyond its JSON
# An image's tokens depend on its size and the provider (OpenAI: 85 at `detail: low`, 85 + 170
# per 512-pixel tile otherwise; Anthropic: width x height / 750; Gemini: 258). Sizes are not
# read, so an image counts as OpenAI's `low` or as a 1024x1024 `high` (765), and is reported.
IMAGE_TOKENS_LOW = 85
IMAGE_TOKENS = 765
# The lint rules warn on the estimate only when it is safely low: the measured share of
# real prompts whose true count is below half the estimate is 9% (README, "Cost bound").
LOW_SHARE = 0.5


@dataclass(frozen=True)
class PromptEstimate:
    """An estimate of a request's prompt tokens, and what it could not count."""

    tokens: int                       # the estimate
    text_chars: int = 0               # characters of text counted (messages, tools, schema)
    messages: int = 0
    images: int = 0                   # counted at a nominal size (see IMAGE_TOKENS)
    uncounted: tuple[str, ...] = ()   # content the estimate leaves out (audio, video, files)

    @property
    def low(self) -> int:
        """A deliberately low figure for warnings that must not fire on a prompt that fits."""
        return math.floor(self.tokens * LOW_SHARE)


def _chars(value: Any) -> int:
    """Characters of every string in a JSON value (keys too: tool schemas are rendered with them)."""
    if isinstance(value, str):
        return 0 if value.startswith("data:") else len(value)  # inline media is not text
    if isinstance(value, dict):
        return sum(len(str(k)) + _chars(v) for k, v in value.items())
    if isinstance(value, list):
        return sum(_chars(v) for v in value)
    return len(str(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


def estimate_prompt(body: dict[str, Any]) -> PromptEstimate:
    """Estimate the prompt tokens of a chat-completions body without a tokenizer.

    Text (message contents, names, tool calls and results, the legacy `prompt`) and the
    JSON of `tools` and of a `response_format` schema count CHARS_PER_TOKEN characters a
    token; each message adds TOKENS_PER_MESSAGE, each tool TOKENS_PER_TOOL; images count
    a nominal size; audio, video and file parts are listed in `uncounted`, not guessed.
    """
    chars = images = image_tokens = messages = 0
    uncounted: list[str] = []
    raw_messages = body.get("messages")
    for message in raw_messages if isinstance(raw_messages, list) else []:
        if not isinstance(message, dict):
            continue
        messages += 1
        for key, value in message.items():
            if key in ("role", "cache_control"):
                continue
            if key == "content" and isinstance(value, list):
                for part in value:
                    kind = part.get("type") if isinstance(part, dict) else None
                    if kind == "image_url":
                        images += 1
                        detail = (part.get("image_url") or {}).get("detail") if isinstance(part.get("image_url"), dict) else None
                        image_tokens += IMAGE_TOKENS_LOW if detail == "low" else IMAGE_TOKENS
                    elif kind in ("input_audio", "video_url", "input_video", "file"):
                        uncounted.append(kind)
                    elif isinstance(part, dict):
                        chars += _chars({k: v for k, v in part.items() if k not in ("type", "cache_control")})
            else:
                chars += _chars(value)
    if isinstance(body.get("prompt"), (str, list)):
        chars += _chars(body["prompt"])
    tools = body.get("tools")
    tool_count = len(tools) if isinstance(tools, list) else 0
    chars += _chars(tools) if tool_count else 0
    response_format = body.get("response_format")
    if isinstance(response_format, dict) and isinstance(response_format.get("json_schema"), dict):
        chars += len(json.dumps(response_format["json_schema"]))  # providers render the schema into the prompt
    tokens = (math.ceil(chars / CHARS_PER_TOKEN) + messages * TOKENS_PER_MESSAGE + TOKENS_PER_REQUEST
              + tool_count * TOKENS_PER_TOOL + image_tokens)
    return PromptEstimate(tokens, chars, messages, images, tuple(uncounted))


# ---------------------------------------------------------------------------- the bound


@dataclass(frozen=True)
class CostRow:
    """One model on one endpoint (or at its list price when endpoints were not pulled)."""

    requested: str                      # the id as the request writes it
    model: str | None                   # the catalog model it resolves to (None: unknown)
    provider: str | None = None         # the endpoint's provider; None: the model's list price
    prompt_price: float | None = None   # USD per token
    completion_price: float | None = None
    request_price: float = 0.0          # USD per request
    completion_tokens: int | None = None
    completion_source: str | None = None  # where `completion_tokens` comes from
    least: float | None = None          # USD: the prompt alone
    most: float | None = None           # USD: the prompt and the whole completion budget
    note: str | None = None             # why a figure is unknown


@dataclass(frozen=True)
class CostBound:
    """What a request can cost: per-endpoint rows, the overall least and most, and why anything is unknown."""

    rows: tuple[CostRow, ...]
    least: float | None
    most: float | None
    prompt: PromptEstimate
    catalog_date: str
    unknowns: tuple[str, ...] = ()      # reasons a figure is unknown or a model unreachable
    excluded: tuple[str, ...] = ()      # endpoints `provider.max_price` rules out

    def range_text(self) -> str:
        """`$0.0001 to $0.02`: the least and the most, as people read dollars."""
        return f"{usd(self.least)} to {usd(self.most)}"

    def to_json(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {"least_usd": self.least, "most_usd": self.most, "prompt_tokens_estimate": self.prompt.tokens,
                "prompt": asdict(self.prompt), "catalog_date": self.catalog_date,
                "rows": [asdict(row) for row in self.rows], "unknowns": list(self.unknowns),
                "excluded": list(self.excluded)}


# `provider.max_price` fields -> how many catalog price units one of its units is (tokens are per million).
MAX_PRICE_UNITS = {"prompt": TOKENS_PER_PRICE_UNIT, "completion": TOKENS_PER_PRICE_UNIT, "request": 1, "image": 1}


def max_price_caps(body: dict[str, Any]) -> dict[str, float]:
    """`provider.max_price` as {field: cap in the catalog's units}, numbers only (OR107 reads it the same way)."""
    raw = provider_preferences(body).get("max_price")
    caps: dict[str, float] = {}
    for key, unit in MAX_PRICE_UNITS.items():
        value = raw.get(key) if isinstance(raw, dict) else None
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                value = None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            caps[key] = float(value) / unit
    return caps


def within_caps(pricing: dict[str, str], caps: dict[str, float]) -> bool:
    """False when a known price is over its cap (a dynamic or absent price may be within)."""
    for key, cap in caps.items():
        price = price_per_token(pricing.get(key))
        if price is not None and price > cap * (1 + 1e-9):
            return False
    return True


def _completion_budget(body: dict[str, Any], model: "ModelInfo", endpoint: "Endpoint | None",
                       prompt_tokens: int) -> tuple[int | None, str | None]:
    """(the most completion tokens the request can be billed for, where that figure comes from)."""
    cap = next((body[k] for k in ("max_completion_tokens", "max_tokens")
                if isinstance(body.get(k), int) and not isinstance(body.get(k), bool) and body[k] > 0), None)
    served = (endpoint.max_completion_tokens if endpoint else None) or model.max_completion_tokens
    if cap is not None:
        # a provider never writes more than its max output, whatever the request allows
        return (min(cap, served), "endpoint max output") if served and served < cap else (cap, "request")
    if served:
        return served, "endpoint max output" if endpoint and endpoint.max_completion_tokens else "model max output"
    context = (endpoint.context_length if endpoint else None) or model.context_length
    if context and context > prompt_tokens:
        return context - prompt_tokens, "context length"
    return None, None


def _row(raw: str, model: "ModelInfo", endpoint: "Endpoint | None", body: dict[str, Any],
         prompt: PromptEstimate) -> CostRow:
    pricing = endpoint.pricing if endpoint is not None else model.pricing
    prompt_price, completion_price = price_per_token(pricing.get("prompt")), price_per_token(pricing.get("completion"))
    request_price = price_per_token(pricing.get("request")) or 0.0
    tokens, source = _completion_budget(body, model, endpoint, prompt.tokens)
    provider = endpoint.provider if endpoint is not None else None
    if prompt_price is None:
        dynamic = pricing.get("prompt") is not None  # `-1`: the router prices it at run time
        return CostRow(raw, model.id, provider, None, completion_price, request_price, tokens, source,
                       note="dynamic price (set when the router picks a model)" if dynamic else "no prompt price")
    least = prompt.tokens * prompt_price + request_price
    if completion_price is None or tokens is None:
        note = "no completion price" if completion_price is None else "no max output known: set max_completion_tokens"
        return CostRow(raw, model.id, provider, prompt_price, completion_price, request_price, tokens, source,
                       least, None, note)
    return CostRow(raw, model.id, provider, prompt_price, completion_price, request_price, tokens, source,
                   least, least + tokens * completion_price)


def _quantization_ok(endpoint: "Endpoint", body: dict[str, Any]) -> bool:
    wanted = provider_preferences(body).get("quantizations")
    if not isinstance(wanted, list) or not wanted or endpoint.quantization is None:
        return True
    return endpoint.quantization.lower() in {w.lower() for w in wanted if isinstance(w, str)}


def cost_bound(body: dict[str, Any], catalog: "Catalog", prompt: PromptEstimate | None = None,
               apply_max_price: bool = True) -> CostBound:
    """The least and most `body` can cost on every endpoint its routing can reach.

    The models are `model` and the `models[]` fallbacks (suffixes resolved as the catalog
    does: `:free` is the free variant; `:nitro`/`:floor` only order endpoints). Endpoints are
    filtered by `provider.only`/`ignore`, by `order` when `allow_fallbacks: false`, by
    `quantizations`, and, unless `apply_max_price` is False, by `provider.max_price`.
    """
    prompt = prompt or estimate_prompt(body)
    caps = max_price_caps(body) if apply_max_price else {}
    rows: list[CostRow] = []
    unknowns: list[str] = []
    excluded: list[str] = []
    raws = requested_models(body)
    if not raws:
        unknowns.append("the request names no model")
    for raw in raws:
        resolution = catalog.resolve(raw)
        model = resolution.model
        if resolution.skipped or model is None:
            why = "not resolved (a preset or placeholder)" if resolution.skipped else f"not in the {catalog.label}"
            unknowns.append(f"{raw!r}: {why}")
            rows.append(CostRow(raw, None, note=why))
            continue
        if "online" in parse_model(raw).suffixes:
            unknowns.append(f"{raw!r}: web search fees are not counted")
        endpoints = reachable_endpoints(model, body)
        if endpoints is None:  # endpoints not pulled: the model's list price stands for all of them
            offers: list[Endpoint | None] = [None]
            if provider_preferences(body).get("only") or provider_preferences(body).get("ignore"):
                unknowns.append(f"{raw!r}: endpoints not in the catalog, so `provider.only`/`ignore` are not "
                                "applied (run `specc models pull --endpoints`)")
        else:
            offers = [e for e in endpoints if _quantization_ok(e, body)]
        kept: list[Endpoint | None] = []
        for offer in offers:
            if caps and not within_caps(offer.pricing if offer else model.pricing, caps):
                excluded.append(f"{raw} on {offer.provider if offer else 'its list price'}")
            else:
                kept.append(offer)
        if not kept:
            why = "no endpoint within `provider.max_price`" if offers else "no endpoint the routing allows"
            unknowns.append(f"{raw!r}: {why}")
            continue
        for offer in kept:
            row = _row(raw, model, offer, body, prompt)
            rows.append(row)
            if row.note:
                unknowns.append(f"{raw!r}{' on ' + row.provider if row.provider else ''}: {row.note}")
    least = _extreme(min, (row.least for row in rows))
    most = _extreme(max, (row.most for row in rows))
    return CostBound(tuple(rows), least, most, prompt, catalog.fetched, tuple(unknowns), tuple(excluded))


def _extreme(pick: Any, values: Iterable[float | None]) -> float | None:
    """min or max of the values; None when there are none or one is unknown."""
    found = list(values)
    return None if not found or any(v is None for v in found) else pick(v for v in found if v is not None)


def usd(value: float | None) -> str:
    """Dollars as people read small amounts: `$0.000213`, `$1.25`; `?` when unknown."""
    if value is None:
        return "?"
    if value == 0:
        return "$0"
    if value >= 1:
        return f"${value:,.2f}"
    from decimal import Decimal

    # three significant digits, written out in full: `$0.0000049`, never `$4.9e-06`
    return "$" + format(Decimal(f"{value:.3g}"), "f")


def estimates(bodies: Sequence[dict[str, Any]], config: Any) -> tuple[list[CostBound], str] | None:
    """The bound of each body on the project's catalog, and the catalog's label; None when the
    project has no catalog or an unusable one: an estimate beside a send never fails the send."""
    from .catalog import CatalogError, load_project_catalog

    try:
        catalog = load_project_catalog(config)
    except CatalogError:
        return None
    if catalog is None:
        return None
    return [cost_bound(body, catalog) for body in bodies], catalog.label


# ---------------------------------------------------------------------------- lint's use (OR118, OR119)


def cheapest_row(bound: CostBound) -> CostRow | None:
    """The reachable row with the smallest least cost (None when no row's least is known)."""
    known = [row for row in bound.rows if row.least is not None]
    return min(known, key=lambda row: row.least or 0.0) if known else None


def max_cost_of(spec: Any) -> float | None:
    """`expect.usage.max_cost` of a spec (a `SpecFile`), or None."""
    expect = getattr(spec, "expect", None)
    usage = getattr(expect, "usage", None)
    value = getattr(usage, "max_cost", None)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def low_bounds(body: dict[str, Any], catalog: "Catalog") -> tuple[CostBound, CostBound]:
    """(the bound with `provider.max_price` applied, the bound without it), both from the
    deliberately low prompt estimate, so a warning built on them does not fire on a prompt that fits."""
    from dataclasses import replace

    estimate = estimate_prompt(body)
    low = replace(estimate, tokens=estimate.low)
    return cost_bound(body, catalog, low), cost_bound(body, catalog, low, apply_max_price=False)
