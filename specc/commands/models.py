"""`specc models pull|show|search`: keep OpenRouter's model catalog beside the specs, and read it.

`pull` is, with `send`, the only command that touches the network. It writes the
catalog only after the whole answer parsed, atomically, so a truncated or malformed
response leaves the previous catalog as it was.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..cli import EXIT_FINDINGS, EXIT_NETWORK, EXIT_OK, UsageError

if TYPE_CHECKING:
    from ..catalog import Catalog, Endpoint, ModelInfo

DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"
TIMEOUT_SECONDS = 60.0
# Token prices are shown per million tokens; the others (request, image, web_search, ...) per unit.
TOKEN_PRICES = ("prompt", "completion", "input_cache_read", "input_cache_write", "input_cache_write_1h",
                "internal_reasoning", "audio")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", default=None, metavar="FILE", help="use this pyproject.toml or specc.toml")
    actions = parser.add_subparsers(dest="models_command", metavar="ACTION")
    pull = actions.add_parser("pull", help="fetch the model list into the project's catalog file")
    pull.add_argument("--endpoints", action="store_true",
                      help="also fetch the endpoints of every model the project's specs use")
    pull.add_argument("--base-url", default=None,
                      help=f"API base URL (default: $OPENROUTER_BASE_URL or {DEFAULT_BASE_URL})")
    show = actions.add_parser("show", help="context, prices, providers, parameters and modalities of one model")
    show.add_argument("model", metavar="MODEL")
    search = actions.add_parser("search", help="models whose id or name contains every word")
    search.add_argument("words", nargs="+", metavar="WORD")


class PullError(Exception):
    """The API's answer cannot become a catalog; `network` when it never fully arrived."""

    def __init__(self, message: str, network: bool = False):
        super().__init__(message)
        self.network = network


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..catalog import catalog_path
    from .lint import load_run_config

    if not args.models_command:
        raise UsageError("specc models needs an action: pull, show MODEL or search WORDS")
    config = load_run_config([str(Path.cwd())], args.config)
    path = catalog_path(config)
    if args.models_command == "pull":
        return _pull(args, config, path, out, err)
    catalog = _load(path)
    if args.models_command == "show":
        return _show(catalog, args.model, out, err)
    return _search(catalog, args.words, out, err)


# ---------------------------------------------------------------------------- pull


def _pull(args: argparse.Namespace, config: Any, path: Path, out: TextIO, err: TextIO) -> int:
    from ..atomic import write_text_atomic
    from ..secrets import scrub
    from .send import resolve_base_url

    base_url = resolve_base_url(args.base_url)  # the same server `specc send` would talk to

    try:
        catalog = fetch_catalog(base_url, config if args.endpoints else None, err)
    except PullError as exc:
        kept = f"{path} was left unchanged" if path.exists() else f"no catalog was written to {path}"
        err.write(scrub(f"specc: error: {exc}; {kept}\n"))
        return EXIT_NETWORK if exc.network else EXIT_FINDINGS
    try:
        write_text_atomic(path, catalog.to_text())
    except OSError as exc:
        raise UsageError(f"cannot write the catalog to {path}: {exc}") from None
    pulled = sum(1 for model in catalog.models.values() if model.endpoints is not None)
    endpoints = f", endpoints of {pulled} model{'s' if pulled != 1 else ''}" if args.endpoints else ""
    out.write(scrub(f"Wrote {path}: {len(catalog.models)} models{endpoints} ({catalog.label}).\n"))
    return EXIT_OK


def fetch_catalog(base_url: str, config: Any | None, err: TextIO) -> "Catalog":
    """The model list at `base_url` (and, given the project's `config`, the endpoints its specs use)."""
    from .. import __version__
    from ..catalog import Catalog, CatalogError, parse_endpoints_response, parse_models_response, today_iso
    from ..http import make_client

    base = base_url.rstrip("/")
    headers = {"User-Agent": f"specc/{__version__}", "Accept": "application/json"}
    with make_client(TIMEOUT_SECONDS, headers=headers) as client:
        try:
            models = parse_models_response(_get_json(client, f"{base}/models"))
        except CatalogError as exc:
            raise PullError(f"{base}/models: {exc}") from None
        if not models:
            raise PullError(f"{base}/models: the model list is empty")
        catalog = Catalog.build(models, today_iso(), source=base)
        if config is None:
            return catalog
        endpoints: dict[str, tuple[Endpoint, ...]] = {}
        for model_id in project_models(config, catalog, err):
            url = f"{base}/models/{model_id}/endpoints"
            try:
                endpoints[model_id] = parse_endpoints_response(_get_json(client, url))[1]
            except CatalogError as exc:
                raise PullError(f"{url}: {exc}") from None
    return catalog.with_endpoints(endpoints)


# Largest model list read (the live one is about 1 MB); as large as a response `send` reads.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024


def _get_json(client: Any, url: str, max_bytes: int = MAX_RESPONSE_BYTES) -> Any:
    """The JSON body at `url`, read as it streams in and refused once past `max_bytes` (a
    Content-Length already over it is refused before any of the body is read)."""
    import httpx

    from ..jsonread import JSONProblem, read_json

    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                snippet = _read_capped(response, 4096).decode("utf-8", "replace")[:200].strip().replace("\n", " ")
                raise PullError(f"{url} answered HTTP {response.status_code}: {snippet}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise PullError(f"{url}: the response is {int(declared):,} bytes, over the {max_bytes:,}-byte limit")
            body = _read_capped(response, max_bytes)
            if len(body) > max_bytes:
                raise PullError(f"{url}: the response is larger than the {max_bytes:,}-byte limit")
    except httpx.RemoteProtocolError as exc:  # e.g. the connection closed before Content-Length bytes came
        raise PullError(f"{url}: the response was cut off ({exc})", network=True) from None
    except httpx.TransportError as exc:
        raise PullError(f"cannot fetch {url}: {type(exc).__name__}: {exc}", network=True) from None
    try:
        return read_json(body)
    except JSONProblem as exc:
        if exc.lineno is None or exc.msg.startswith("nested"):
            raise PullError(f"{url}: the response is JSON that specc does not read: {exc}") from None
        raise PullError(f"{url}: the response is not complete JSON (truncated or malformed: {exc})") from None


def _read_capped(response: Any, limit: int) -> bytes:
    """At most `limit + 1` bytes of the body (one more says it went past the limit)."""
    body = bytearray()
    for piece in response.iter_bytes():
        body += piece
        if len(body) > limit:
            break
    return bytes(body[: limit + 1])


def project_models(config: Any, catalog: "Catalog", err: TextIO) -> list[str]:
    """Catalog ids of every model the project's specs request, sorted; unknown ids are named on `err`."""
    from ..catalog import catalog_path
    from ..check import compile_request
    from ..lint import discover
    from ..load import load_document
    from ..model import build_spec
    from ..rules._models import requested_models
    from ..secrets import scrub

    root = catalog_path(config).parent
    found: set[str] = set()
    unknown: set[str] = set()
    for target in discover([str(root)], config.exclude, config.root).targets:
        doc = load_document(target.path, limits=config.limits())
        spec = build_spec(doc, Path(target.path).stem)[0] if doc.data is not None else None
        if spec is None:
            continue
        body, _ = compile_request(spec)
        for raw in requested_models(body):
            resolution = catalog.resolve(raw)
            if resolution.model is not None:
                found.add(resolution.model.id)
            elif not resolution.skipped:
                unknown.add(raw)
    for raw in sorted(unknown):
        err.write(scrub(f"specc: {raw!r} is not in the model list; no endpoints fetched for it\n"))
    return sorted(found)


# ---------------------------------------------------------------------------- show and search


def _load(path: Path) -> "Catalog":
    from ..catalog import CatalogError, load_catalog

    if not path.is_file():
        raise UsageError(f"no model catalog at {path}: run `specc models pull` first")
    try:
        return load_catalog(path)
    except CatalogError as exc:
        raise UsageError(str(exc)) from None


def _price(key: str, text: str) -> str:
    from ..catalog import per_million, price_per_token

    if key in TOKEN_PRICES:
        return f"{key} {per_million(text)}"
    value = price_per_token(text)
    return f"{key} {'dynamic' if value is None else f'${value:g}'}"


def _prices(pricing: dict[str, str]) -> str:
    ordered = sorted(pricing.items(), key=lambda item: (TOKEN_PRICES.index(item[0]) if item[0] in TOKEN_PRICES
                                                         else len(TOKEN_PRICES), item[0]))
    return ", ".join(_price(key, text) for key, text in ordered) or "not listed"


def _tokens(value: int | None) -> str:
    return f"{value:,}" if value else "?"


def _show(catalog: "Catalog", wanted: str, out: TextIO, err: TextIO) -> int:
    from ..secrets import scrub

    model = catalog.resolve(wanted).model
    if model is None:
        close = catalog.closest(wanted)
        hint = "; did you mean " + " or ".join(repr(c) for c in close) + "?" if close else ""
        err.write(scrub(f"specc: {wanted!r} is not in the {catalog.label}{hint}\n"))
        return EXIT_FINDINGS
    for line in describe_model(model, catalog):
        out.write(scrub(line) + "\n")
    return EXIT_OK


def describe_model(model: "ModelInfo", catalog: "Catalog") -> list[str]:
    """The lines of `specc models show`: what a person writing a spec needs about one model."""
    lines = [f"{model.id}" + (f"  ({model.name})" if model.name else "") + f"  [{catalog.label}]"]
    if model.alias_target:
        lines.append(f"  alias of:    {model.alias_target}")
    context = f"{_tokens(model.context_length)} tokens"
    if model.top_provider_context_length and model.top_provider_context_length != model.context_length:
        context += f" (top provider {_tokens(model.top_provider_context_length)})"
    lines += [f"  context:     {context}", f"  max output:  {_tokens(model.max_completion_tokens)} tokens",
              f"  prices:      {_prices(model.pricing)}",
              f"  input:       {', '.join(model.input_modalities) or '?'}",
              f"  output:      {', '.join(model.output_modalities) or '?'}",
              f"  reasoning:   {_reasoning(model)}",
              f"  parameters:  {', '.join(model.supported_parameters) or '?'}"]
    if model.endpoints is None:
        lines.append("  providers:   not pulled (run `specc models pull --endpoints`)")
    else:
        lines.append(f"  providers:   {len(model.endpoints)}")
        lines += [_endpoint_line(e, model) for e in sorted(model.endpoints, key=lambda e: e.provider.lower())]
    return lines


def _reasoning(model: "ModelInfo") -> str:
    if model.reasoning is None:
        return "reasons" if model.supports("reasoning") else "no reasoning listed"
    parts = [f"mandatory: {'yes' if model.reasoning_mandatory else 'no'}"]
    if model.supported_efforts:
        parts.append(f"efforts: {', '.join(model.supported_efforts)}")
    if isinstance(model.reasoning.get("default_effort"), str):
        parts.append(f"default: {model.reasoning['default_effort']}")
    return "; ".join(parts)


def _endpoint_line(endpoint: "Endpoint", model: "ModelInfo") -> str:
    name = endpoint.provider + (f" ({endpoint.tag})" if endpoint.tag else "")
    extra = [f"context {_tokens(endpoint.context_length)}", f"max output {_tokens(endpoint.max_completion_tokens)}",
             _prices(endpoint.pricing)]
    if endpoint.quantization and endpoint.quantization != "unknown":
        extra.append(endpoint.quantization)
    missing = sorted(set(model.supported_parameters) - set(endpoint.supported_parameters))
    if endpoint.supported_parameters and missing:
        extra.append("lacks " + ", ".join(missing))
    return f"    {name}: " + "; ".join(extra)


def _search(catalog: "Catalog", words: list[str], out: TextIO, err: TextIO) -> int:
    from ..catalog import per_million
    from ..secrets import scrub

    found = catalog.search(words)
    if not found:
        err.write(scrub(f"specc: no model in the {catalog.label} matches {' '.join(words)!r}\n"))
        return EXIT_FINDINGS
    width = max(len(model.id) for model in found)
    for model in found:
        prices = f"{per_million(model.pricing.get('prompt'))} in, {per_million(model.pricing.get('completion'))} out"
        out.write(scrub(f"{model.id:<{width}}  {_tokens(model.context_length):>9}  {prices}  {model.name or ''}".rstrip())
                  + "\n")
    return EXIT_OK
