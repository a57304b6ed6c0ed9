"""What the model catalog says about a request: the models and endpoints it can reach, and their facts.

The catalog rules (OR107, OR108, OR117, OR403, OR714, OR715) and the catalog part of
OR109 and OR204 use these helpers. Every message cites the catalog fact that made
the rule fire and the catalog's date, so a stale catalog is easy to spot. A model
the catalog does not know is left to `unknown-model`: no other rule guesses about it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from ._models import describe, provider_preferences, requested_models
from ._rule import Finding, RuleContext, as_list

if TYPE_CHECKING:
    from ..catalog import Catalog, Endpoint, ModelInfo

# Parameters whose support the catalog's `supported_parameters` lists and OpenRouter drops
# silently where unsupported. `tools`/`tool_choice` have their own rule (OR715); `max_tokens`
# and `response_format` are mapped or checked elsewhere; `verbosity`, `parallel_tool_calls` and
# `top_a` are listed by so few models in real catalogs that their absence says little.
_NUMBER = (int, float)
DROPPABLE_PARAMETERS = {
    "temperature": _NUMBER, "top_p": _NUMBER, "top_k": _NUMBER, "min_p": _NUMBER,
    "frequency_penalty": _NUMBER, "presence_penalty": _NUMBER, "repetition_penalty": _NUMBER, "seed": (int,),
    "stop": (str, list), "logit_bias": (dict,), "logprobs": (bool,), "top_logprobs": (int,),
    "web_search_options": (dict,),
}


def well_typed(param: str, value: Any) -> bool:
    """Only values of the right type: a wrong one is a schema error (S101) this warning must not replace."""
    types = DROPPABLE_PARAMETERS[param]
    return isinstance(value, types) and (bool not in types) == (not isinstance(value, bool))

# Content-part types and the input modality they need. `file` parts are left out on purpose:
# OpenRouter parses PDFs to text for models without native file input.
PART_MODALITIES = {"image_url": "image", "input_audio": "audio", "video_url": "video", "input_video": "video"}


def cited(catalog: "Catalog") -> str:
    """The suffix every catalog message ends with."""
    return f"({catalog.label})"


def known_models(catalog: "Catalog", body: dict[str, Any]) -> list[tuple[str, "ModelInfo"]]:
    """(requested id, catalog model) for every requested model the catalog knows, in request order."""
    found = []
    for raw in requested_models(body):
        resolution = catalog.resolve(raw)
        if resolution.model is not None:
            found.append((raw, resolution.model))
    return found


def all_known(catalog: "Catalog", body: dict[str, Any]) -> list[tuple[str, "ModelInfo"]] | None:
    """Like `known_models`, but None when some requested model is unknown (a rule then cannot be sure)."""
    raws = requested_models(body)
    known = known_models(catalog, body)
    return known if raws and len(known) == len(raws) else None


def _names(value: Any) -> list[str]:
    return [item for item in as_list(value) if isinstance(item, str)]


def reachable_endpoints(model: "ModelInfo", body: dict[str, Any]) -> list["Endpoint"] | None:
    """The model's endpoints this request can be routed to (None: the catalog has no endpoints for it).

    `provider.only` and `provider.ignore` filter; `provider.order` filters too when
    `allow_fallbacks: false` (otherwise it only orders).
    """
    if model.endpoints is None:
        return None
    provider = provider_preferences(body)
    endpoints = list(model.endpoints)
    only = _names(provider.get("only"))
    if only:
        endpoints = [e for e in endpoints if any(e.serves_for(name) for name in only)]
    ignore = _names(provider.get("ignore"))
    endpoints = [e for e in endpoints if not any(e.serves_for(name) for name in ignore)]
    order = _names(provider.get("order"))
    if order and provider.get("allow_fallbacks") is False:
        endpoints = [e for e in endpoints if any(e.serves_for(name) for name in order)]
    return endpoints


# ---------------------------------------------------------------------------- OR109 and OR204


def unsupported_param_findings(catalog: "Catalog", body: dict[str, Any], skip: set[str]) -> Iterator[Finding]:
    """OR109 from catalog facts: a parameter a requested model (or an endpoint it can reach) does not list.

    `skip` holds the parameters the request-only check already reported.
    """
    known = known_models(catalog, body)
    for param in DROPPABLE_PARAMETERS:
        if param in skip or not well_typed(param, body.get(param)):
            continue
        lacking = [raw for raw, model in known if model.supports(param) is False]
        if lacking:
            yield Finding((param,), f"`{param}` is not in the supported parameters of {describe(lacking)} "
                                    f"{cited(catalog)} and is silently dropped: remove it, or set "
                                    "`provider.require_parameters: true`", on_key=True)
            continue
        for raw, model in known:
            endpoints = reachable_endpoints(model, body) or []
            without = [e.provider for e in endpoints if e.supported_parameters and param not in e.supported_parameters]
            if without and len(without) < len(endpoints):
                yield Finding((param,), f"`{param}` is not supported by the {', '.join(sorted(without))} "
                                        f"endpoint{'s' if len(without) > 1 else ''} of {raw!r} {cited(catalog)}, "
                                        "where it is silently dropped: set `provider.require_parameters: true` to "
                                        "route only to endpoints that honour it", on_key=True)
                break


def mandatory_reasoning_findings(catalog: "Catalog", body: dict[str, Any], switched_off: tuple[tuple, str],
                                 skip: list[str]) -> Iterator[Finding]:
    """OR204 from catalog facts: reasoning switched off for models whose `reasoning.mandatory` is true.

    `skip` holds the models the request-only check already reported.
    """
    models = [raw for raw, model in known_models(catalog, body) if model.reasoning_mandatory and raw not in skip]
    if models:
        pointer, how = switched_off
        yield Finding(pointer, f"{describe(models)} must reason (`reasoning.mandatory: true` {cited(catalog)}) "
                               f"and rejects {how}: use the lowest effort it accepts or a model whose reasoning "
                               "can be turned off")


# ---------------------------------------------------------------------------- content


def media_parts(ctx: RuleContext) -> Iterator[tuple[tuple, str, str]]:
    """(pointer, part type, modality) for every image, audio or video part of every message."""
    for i, j, part in ctx.conversation.parts_of_type(*PART_MODALITIES):
        kind = part["type"]
        yield ("messages", i, "content", j), kind, PART_MODALITIES[kind]


def estimated_prompt_tokens(body: dict[str, Any]) -> int:
    """A low estimate of the prompt's tokens: every string in messages/prompt/tools, 5 characters a token.

    Real tokenizers average about 4 characters a token for English; dividing by 5 keeps
    the estimate below the truth so the rule does not fire on a request that would fit.
    """
    total = 0
    stack: list[Any] = [body.get("messages"), body.get("prompt"), body.get("tools")]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if not value.startswith("data:"):  # inline media is not counted as text tokens
                total += len(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return total // 5
