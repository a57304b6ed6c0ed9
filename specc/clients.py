"""Hand a compiled spec to the client an application already uses: the OpenAI SDK or plain httpx.

    client = openai.OpenAI(base_url="https://openrouter.ai/api/v1", api_key=os.environ["OPENROUTER_API_KEY"])
    completion = client.chat.completions.create(**specc.to_openai_kwargs(spec))

The OpenAI SDK takes the parameters it knows as keyword arguments and everything
else through `extra_body`, which it merges into the JSON it sends; so OpenRouter's
own fields (`models`, `provider`, `plugins`, `reasoning`, ...) go there, and the
wire body is the compiled body, field for field. Which parameters the SDK knows is
read from the installed SDK, so a new SDK release moves fields out of `extra_body`
by itself; the list below is only used when `openai` is not installed.
"""

from __future__ import annotations

from .errors import SpeccError

import functools
import os
from typing import TYPE_CHECKING, Any, Mapping

from .secrets import API_KEY_ENV

if TYPE_CHECKING:
    import httpx

    from .runtime import LoadedSpec

# What `Completions.create` accepted in openai 3.57 (body parameters only). Used only without `openai`.
FALLBACK_OPENAI_PARAMETERS = frozenset({
    "messages", "model", "audio", "frequency_penalty", "function_call", "functions", "logit_bias", "logprobs",
    "max_completion_tokens", "max_tokens", "metadata", "modalities", "moderation", "n", "parallel_tool_calls",
    "prediction", "presence_penalty", "prompt_cache_key", "prompt_cache_options", "prompt_cache_retention",
    "reasoning_effort", "response_format", "safety_identifier", "seed", "service_tier", "stop", "store",
    "stream", "stream_options", "temperature", "tool_choice", "tools", "top_logprobs", "top_p", "user",
    "verbosity", "web_search_options",
})
# Keyword arguments of `create` that are request options, not body fields: never fill them from a body.
SDK_OPTIONS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout"})
# Body fields `create` requires as arguments; when a body leaves one out (OpenRouter picks the
# account's default model, a preset supplies the messages) the SDK's "omit" sentinel stands in.
REQUIRED_BY_SDK = ("model", "messages")


@functools.lru_cache(maxsize=1)
def openai_parameters() -> tuple[frozenset[str], Any]:
    """(body parameters the installed OpenAI SDK takes as arguments, its "not given" sentinel).

    Read once from `Completions.create`'s signature (cached: the installed SDK does not change
    while the process runs). Without `openai`: the fallback list and None.
    """
    try:
        import inspect

        from openai.resources.chat.completions import Completions
    except ImportError:
        return FALLBACK_OPENAI_PARAMETERS, None
    parameters = inspect.signature(Completions.create).parameters
    names = frozenset(name for name, parameter in parameters.items()
                      if parameter.kind is inspect.Parameter.KEYWORD_ONLY and name not in SDK_OPTIONS)
    # Optional body parameters default to the SDK's sentinel (`omit` or `NOT_GIVEN`, by version).
    defaults = [p.default for name, p in parameters.items()
                if name in names and p.default is not inspect.Parameter.empty and p.default is not None]
    sentinel = max(defaults, key=lambda value: sum(other is value for other in defaults)) if defaults else None
    return names, sentinel


def _body_and_headers(spec_or_body: "LoadedSpec | Mapping[str, Any]",
                      headers: Mapping[str, str] | None) -> tuple[Mapping[str, Any], dict[str, str]]:
    """Accept a LoadedSpec (its body and headers) or a body dict with optional headers."""
    body = getattr(spec_or_body, "body", spec_or_body)
    merged = dict(getattr(spec_or_body, "headers", None) or {})
    merged.update(headers or {})
    if not isinstance(body, Mapping):
        raise TypeError(f"expected a LoadedSpec or a request body (a mapping), not {type(body).__name__}")
    # The key belongs to the client (`api_key=`), never to per-request headers that may be logged.
    return body, {name: value for name, value in merged.items() if name.lower() != "authorization"}


def to_openai_kwargs(spec_or_body: "LoadedSpec | Mapping[str, Any]",
                     headers: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Keyword arguments for `openai.OpenAI(base_url=...).chat.completions.create(**kwargs)`.

    Parameters the installed SDK knows go in as they are; every other field (OpenRouter's
    `models`, `provider`, `plugins`, `reasoning`, `transforms`, `top_k`, ...) goes into
    `extra_body`, and the attribution headers (a LoadedSpec's, then `headers`) into
    `extra_headers`. The SDK then sends exactly the body. `stream: true` stays a parameter,
    so `create` returns the SDK's stream object, as it would for a hand-written call.
    """
    body, extra_headers = _body_and_headers(spec_or_body, headers)
    known, omitted = openai_parameters()
    kwargs: dict[str, Any] = {}
    extra_body: dict[str, Any] = {}
    for name, value in body.items():
        (kwargs if name in known else extra_body)[name] = value
    for name in REQUIRED_BY_SDK:
        if name not in kwargs and name in known and omitted is not None:
            kwargs[name] = omitted  # leaves the field out of the body, as the spec does
    if extra_body:
        kwargs["extra_body"] = extra_body
    if extra_headers:
        kwargs["extra_headers"] = extra_headers
    return kwargs


class MissingAPIKeyError(SpeccError, ValueError):
    """No API key was passed and OPENROUTER_API_KEY is not set."""


def to_httpx_request(spec_or_body: "LoadedSpec | Mapping[str, Any]", base_url: str | None = None,
                     api_key: str | None = None, headers: Mapping[str, str] | None = None,
                     environ: Mapping[str, str] | None = None) -> "httpx.Request":
    """The POST `specc send` would make, as an `httpx.Request` for `client.send(request)`.

    The key comes from `api_key` or OPENROUTER_API_KEY. httpx masks the Authorization
    header in reprs; specc puts the key nowhere else. `base_url` defaults to OpenRouter's.
    """
    import httpx

    from .send import DEFAULT_BASE_URL, prepare_request

    body, extra_headers = _body_and_headers(spec_or_body, headers)
    env = os.environ if environ is None else environ
    key = api_key or env.get(API_KEY_ENV, "")
    if not key:
        raise MissingAPIKeyError(f"no API key: pass api_key= or set {API_KEY_ENV}")
    spec = getattr(spec_or_body, "spec", None)
    prepared = prepare_request(dict(body), key, base_url or DEFAULT_BASE_URL, spec=spec)
    request_headers = {**prepared.headers, **extra_headers}
    return httpx.Request(prepared.method, prepared.url, headers=request_headers, content=prepared.json_bytes())
