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
    from ..catalog_fetch import PullError, fetch_catalog
    from ..secrets import scrub
    from .send import resolve_base_url

    base_url = resolve_base_url(args.base_url)  # the same server `specc send` would talk to

    def unknown(raw: str) -> None:
        err.write(scrub(f"specc: {raw!r} is not in the model list; no endpoints fetched for it\n"))

    try:
        catalog = fetch_catalog(base_url, config if args.endpoints else None, on_unknown=unknown)
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
