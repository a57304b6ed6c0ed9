"""Fetch OpenRouter's model catalog: the model list, and the endpoints of the models a project's specs use.

`fetch_catalog` is what `specc models pull` runs; it returns a `Catalog` and writes
nothing (the command writes the file, atomically). Every request goes through
`specc.http` (no redirects, no environment proxies), each answer is read as it
streams in and refused past `MAX_RESPONSE_BYTES`, and any answer that cannot become
a catalog raises `PullError`, which says whether it never fully arrived (`network`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .errors import SpeccError

if TYPE_CHECKING:
    from .matrix import Variant
    import httpx

    from .catalog import Catalog, Endpoint
    from .config import Config

TIMEOUT_SECONDS = 60.0
# Largest model list read (the live one is about 1 MB); as large as a response `send` reads.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024


class PullError(SpeccError):
    """The API's answer cannot become a catalog; `network` when it never fully arrived."""

    def __init__(self, message: str, network: bool = False):
        super().__init__(message)
        self.network = network


def fetch_catalog(base_url: str, config: "Config | None" = None,
                  on_unknown: Callable[[str], None] | None = None) -> "Catalog":
    """The model list at `base_url` (and, given the project's `config`, the endpoints its specs use).

    `on_unknown(raw)` is told, in sorted order and before any endpoint is fetched, each model a
    spec requests that is not in the list (no endpoints are fetched for it).
    """
    from . import __version__
    from .catalog import Catalog, CatalogError, parse_endpoints_response, parse_models_response, today_iso
    from .http import make_client

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
        found, unknown = project_models(config, catalog)
        for raw in unknown:
            if on_unknown is not None:
                on_unknown(raw)
        endpoints: dict[str, tuple[Endpoint, ...]] = {}
        for model_id in found:
            url = f"{base}/models/{model_id}/endpoints"
            try:
                endpoints[model_id] = parse_endpoints_response(_get_json(client, url))[1]
            except CatalogError as exc:
                raise PullError(f"{url}: {exc}") from None
    return catalog.with_endpoints(endpoints)


def _get_json(client: "httpx.Client", url: str, max_bytes: int = MAX_RESPONSE_BYTES) -> Any:
    """The JSON body at `url`, read as it streams in and refused once past `max_bytes` (a
    Content-Length already over it is refused before any of the body is read)."""
    import httpx

    from .jsonread import JSONProblem, read_json

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


def _read_capped(response: "httpx.Response", limit: int) -> bytes:
    """At most `limit + 1` bytes of the body (one more says it went past the limit)."""
    body = bytearray()
    for piece in response.iter_bytes():
        body += piece
        if len(body) > limit:
            break
    return bytes(body[: limit + 1])


def project_models(config: "Config", catalog: "Catalog") -> tuple[list[str], list[str]]:
    """(catalog ids of every model the project's specs request, the requested ids the catalog does
    not know), both sorted. The specs are the files `specc lint` would find in the folder of the
    catalog file, each loaded and compiled; a file that does not build a spec is skipped."""
    from .catalog import catalog_path
    from .compile import compile_request
    from .lint import discover
    from .load import load_document
    from .matrix import expand
    from .specfile import build_spec
    from .rules._models import requested_models

    root = catalog_path(config).parent
    found: set[str] = set()
    unknown: set[str] = set()
    for target in discover([str(root)], config.exclude, config.root).targets:
        doc = load_document(target.path, limits=config.limits())
        spec = build_spec(doc, Path(target.path).stem)[0] if doc.data is not None else None
        if spec is None:
            continue
        variants: list[Variant | None] = [None]
        if spec.matrix is not None:  # a matrix spec: the models of every variant
            variants = list(expand(spec.matrix, config.max_variants)[0])
        for variant in variants:
            body, _ = compile_request(spec, variant=variant)
            for raw in requested_models(body):
                resolution = catalog.resolve(raw)
                if resolution.model is not None:
                    found.add(resolution.model.id)
                elif not resolution.skipped:
                    unknown.add(raw)
    return sorted(found), sorted(unknown)
