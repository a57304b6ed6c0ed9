"""Send a compiled spec to OpenRouter like a careful production client. Never prints.

`prepare_request` turns a checked spec into a `PreparedRequest` (method, URL,
headers, body); `send` performs it with an `httpx.Client` the caller may pass
in (the cassette layer plugs its transport in there) and returns a `SendResult`
of plain data: the response or the assembled stream, the summary figures, and
what went wrong, classified so the CLI can pick the exit code.

Retry policy. Retried, with exponential backoff and full jitter (or the
server's `Retry-After`), at most `retries` times and never past `deadline`:
HTTP 408, 429, 502 and 503 (OpenRouter answered that it did not run the
request), and failures to connect (the request never left). Never retried:
400, 401, 402, 403 (the same request fails the same way); a read timeout or a
connection closed after the request was sent (the model may already be
generating, and a second request could be billed twice); and any stream once
its first byte of content has arrived.
"""

from __future__ import annotations

import email.utils
import json
import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from .jsonread import JSONProblem, read_json
from .secrets import KEY_PLACEHOLDER, scrub
from .sse import Chunk, Done, Malformed, SSEParser, StreamAssembler, StreamError

if TYPE_CHECKING:  # httpx is imported only when a request is really sent
    import httpx

    from .config import Config
    from .model import Spec

DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"
BASE_URL_ENV = "OPENROUTER_BASE_URL"  # where a send goes when no --base-url is given
RETRYABLE_STATUSES = frozenset({408, 429, 502, 503})
MAX_BODY_BYTES = 64 * 1024 * 1024  # a chat response is kilobytes; more is a broken or hostile server

# What each documented status means, and what to do about it.
STATUS_ADVICE = {
    400: "Bad request: OpenRouter or the provider rejected the body. Run `specc lint` on the spec and "
         "check the parameters against the model.",
    401: "Unauthorized: the API key is missing, invalid, disabled or expired. Check OPENROUTER_API_KEY.",
    402: "Payment required: the account or key is out of credits. Add credits or raise the key's limit.",
    403: "Forbidden: the input was flagged by moderation, or the key may not use this model or provider.",
    408: "Request timeout: the request took too long upstream. Try again later or ask for less output.",
    429: "Rate limited: too many requests (free models are limited per account). Wait, or use "
         "another model or your own provider key.",
    502: "Bad gateway: the chosen model is down or returned an invalid response. Try again, or add "
         "fallback models (`models:`).",
    503: "Service unavailable: no provider meets the routing requirements (provider filters, "
         "data policy, max_price). Loosen `provider:` or try again later.",
}


@dataclass(frozen=True)
class SendOptions:
    """Where to send and how patiently. Times are seconds."""

    base_url: str = DEFAULT_BASE_URL
    retries: int = 2
    deadline: float = 300.0          # the whole send, retries and waits included
    connect_timeout: float = 10.0
    read_timeout: float = 120.0      # between two reads; streams send keep-alive comments well within it
    backoff_base: float = 0.5        # first backoff ceiling; doubled on every retry
    backoff_max: float = 30.0
    max_body_bytes: int = MAX_BODY_BYTES


@dataclass(frozen=True)
class PreparedRequest:
    """Exactly what would be sent. `headers` holds the real key: show it only via `redacted_headers`."""

    method: str
    url: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def stream(self) -> bool:
        return self.body.get("stream") is True

    def redacted_headers(self) -> dict[str, str]:
        return {name: f"Bearer {KEY_PLACEHOLDER}" if name.lower() == "authorization" else scrub(value)
                for name, value in self.headers.items()}

    def json_bytes(self) -> bytes:
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def attribution_headers(spec: "Spec | None", config: "Config | None") -> dict[str, str]:
    """HTTP-Referer / X-OpenRouter-Title / X-OpenRouter-Categories from the config, then the spec's `headers:` (which win)."""
    headers: dict[str, str] = {}
    if config is not None:
        if config.http_referer:
            headers["HTTP-Referer"] = config.http_referer
        if config.title:
            headers["X-OpenRouter-Title"] = config.title
        if config.categories:
            headers["X-OpenRouter-Categories"] = ",".join(config.categories)
    for name, value in ((spec.headers or {}) if spec is not None else {}).items():
        for existing in [k for k in headers if k.lower() == name.lower()]:
            del headers[existing]
        headers[name] = value
    return headers


def prepare_request(body: dict[str, Any], api_key: str, base_url: str = DEFAULT_BASE_URL,
                    spec: "Spec | None" = None, config: "Config | None" = None) -> PreparedRequest:
    """The POST for `body`: endpoint from the spec, key as a bearer token, attribution headers."""
    endpoint = spec.endpoint if spec is not None else "chat/completions"
    headers = {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json",
               "Accept": "text/event-stream" if body.get("stream") is True else "application/json"}
    headers.update(attribution_headers(spec, config))
    return PreparedRequest("POST", base_url.rstrip("/") + "/" + endpoint, headers, body)


def curl_command(request: PreparedRequest) -> str:
    """A shell command doing the same request; the key is read from $OPENROUTER_API_KEY."""
    import shlex

    lines = [f"curl -sS{' -N' if request.stream else ''} -X {request.method} {shlex.quote(request.url)}"]
    for name, value in request.headers.items():
        if name.lower() == "authorization":
            lines.append('-H "Authorization: Bearer $OPENROUTER_API_KEY"')
        else:
            lines.append("-H " + shlex.quote(f"{name}: {scrub(value)}"))
    lines.append("--data-binary @- <<'JSON'")
    body = scrub(json.dumps(request.body, indent=2, ensure_ascii=False))
    return " \\\n  ".join(lines) + "\n" + body + "\nJSON\n"


# ---------------------------------------------------------------------------- results


@dataclass
class Failure:
    """What went wrong. `kind`: api (HTTP error status), stream (error chunk after 200), response (a body
    that is not what OpenRouter sends), network (DNS, refused, reset, timeout), interrupted (Ctrl-C)."""

    kind: str
    message: str
    status: int | None = None
    code: Any = None
    api_message: str | None = None
    metadata: dict[str, Any] | None = None
    advice: str | None = None


@dataclass
class Attempt:
    """One try: its HTTP status or network error, and how long we waited before the next."""

    status: int | None
    error: str | None
    wait: float | None = None


@dataclass
class SendResult:
    """The outcome of a send: the (assembled) response, its text parts, figures, and any failure."""

    request: PreparedRequest
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    response: dict[str, Any] | None = None
    content: str = ""
    reasoning: str = ""
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    streamed: bool = False
    latency: float | None = None
    time_to_first_token: float | None = None
    attempts: list[Attempt] = field(default_factory=list)
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def generation_id(self) -> str | None:
        for name, value in self.headers.items():
            if name.lower() == "x-generation-id":
                return value
        return (self.response or {}).get("id")

    def summary(self) -> dict[str, Any]:
        """The figures of the one-line summary, as data."""
        response = self.response or {}
        usage = response.get("usage") or {}
        details = usage.get("completion_tokens_details") or {}
        choices = response.get("choices") or [{}]
        return {"model": response.get("model"), "provider": response.get("provider"),
                "finish_reason": (choices[0] or {}).get("finish_reason"),
                "prompt_tokens": usage.get("prompt_tokens"), "completion_tokens": usage.get("completion_tokens"),
                "reasoning_tokens": details.get("reasoning_tokens"), "cost": usage.get("cost"),
                "latency": self.latency, "time_to_first_token": self.time_to_first_token,
                "generation_id": self.generation_id, "retries": max(0, len(self.attempts) - 1)}


# ---------------------------------------------------------------------------- sending


class _Retry(Exception):
    def __init__(self, attempt: Attempt, retry_after: float | None = None):
        self.attempt, self.retry_after = attempt, retry_after


def make_client(options: SendOptions, transport: "httpx.BaseTransport | None" = None) -> "httpx.Client":
    """The client `send` uses when none is passed in: `specc.http`'s (no redirects, no proxies from
    the environment), with the timeouts of `options`."""
    from .http import make_client as _make_client

    return _make_client(_timeout(options), transport)


def _timeout(options: SendOptions, cap: float | None = None) -> "httpx.Timeout":
    import httpx

    def capped(seconds: float) -> float:
        return seconds if cap is None else min(seconds, cap)

    return httpx.Timeout(connect=capped(options.connect_timeout), read=capped(options.read_timeout),
                         write=capped(options.read_timeout), pool=capped(options.connect_timeout))


def send(request: PreparedRequest, options: SendOptions = SendOptions(), client: "httpx.Client | None" = None,
         on_delta: Callable[[str, str], None] | None = None,
         on_retry: Callable[[Attempt, int], None] | None = None,
         sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
         rng: random.Random | None = None) -> SendResult:
    """Send `request`, retrying what may be retried. `on_delta(kind, text)` sees stream deltas as they
    arrive (kind: content or reasoning); `on_retry(attempt, number)` is told before each wait."""
    owned = client is None
    client = client or make_client(options)
    rng = rng or random.Random()
    result = SendResult(request, streamed=request.stream)
    started = clock()
    try:
        for number in range(options.retries + 1):
            try:
                _attempt(client, request, options, result, on_delta, clock, started + options.deadline)
                return result
            except _Retry as retry:
                result.attempts.append(retry.attempt)
                wait = _backoff(options, number, retry.retry_after, rng)
                left = options.deadline - (clock() - started)
                if number == options.retries or wait > left:
                    failure = result.failure  # set by the attempt that raised _Retry
                    if failure is not None and number == options.retries and number > 0:
                        failure.message += f" (gave up after {number + 1} attempts)"
                    elif failure is not None and wait > left:
                        failure.message += (f" (not retried: the next try would start after "
                                            f"the {options.deadline:g}s deadline)")
                    return result
                retry.attempt.wait = wait
                if on_retry:
                    on_retry(retry.attempt, number + 1)
                sleep(wait)
                result.failure = None
        return result
    except KeyboardInterrupt:
        result.failure = Failure("interrupted", "interrupted; the connection was closed")
        return result
    finally:
        result.latency = clock() - started
        if owned:
            client.close()


def _backoff(options: SendOptions, number: int, retry_after: float | None, rng: random.Random) -> float:
    if retry_after is not None:
        return retry_after
    return rng.uniform(0, min(options.backoff_max, options.backoff_base * 2 ** number))


def _attempt(client: "httpx.Client", request: PreparedRequest, options: SendOptions, result: SendResult,
             on_delta: Callable[[str, str], None] | None, clock: Callable[[], float], deadline_at: float) -> None:
    import httpx

    sent_at = clock()
    # No single wait may outlast the deadline either.
    remaining = max(deadline_at - sent_at, 0.001)
    timeout = _timeout(options, cap=remaining)
    http_request = client.build_request(request.method, request.url, headers=request.headers,
                                        content=request.json_bytes(), timeout=timeout)
    try:
        response = client.send(http_request, stream=True)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        result.failure = Failure("network", _network_message(exc, request.url))
        if _tls_failure(exc):  # nothing was sent, but a bad certificate or protocol fails the same way again
            result.attempts.append(Attempt(None, result.failure.message))
            return
        # Nothing reached the server: safe to try again.
        raise _Retry(Attempt(None, result.failure.message)) from None
    except httpx.TransportError as exc:
        # Sent, then no answer (read timeout, connection closed): the model may be running; never retried.
        result.failure = Failure("network", _network_message(exc, request.url) + _NOT_RETRIED)
        result.attempts.append(Attempt(None, result.failure.message))
        return
    try:  # closing the response closes the connection at once (Ctrl-C, errors)
        result.status = response.status_code
        result.headers = dict(response.headers)
        try:
            if response.status_code >= 400:
                _read_error(response, options, result)
            elif 300 <= response.status_code < 400:  # never followed: the body says nothing useful
                result.failure = _redirect_failure(response.status_code, response.headers.get("location"))
            elif request.stream and "text/event-stream" in response.headers.get("content-type", ""):
                _read_stream(response, options, result, on_delta, sent_at, clock, deadline_at)
            else:
                result.streamed = False  # asked for a stream, answered with one body: shown as a body
                _read_json(response, options, result, clock, deadline_at)
        except httpx.TransportError as exc:
            if result.failure is None:
                result.failure = Failure("network", _network_message(exc, request.url) + _NOT_RETRIED)
        except _DeadlinePassed:
            result.failure = Failure("network", f"the {options.deadline:g}s deadline passed while the response "
                                     "was still arriving; the connection was closed")
    finally:
        response.close()
    attempt = Attempt(result.status, result.failure.message if result.failure else None)
    if result.failure and result.failure.kind == "api" and result.status in RETRYABLE_STATUSES:
        raise _Retry(attempt, _retry_after(response.headers.get("retry-after")))
    result.attempts.append(attempt)


_NOT_RETRIED = " (not retried: the request had reached the server, and a second one could be billed twice)"


def _redirect_failure(status: int, location: str | None) -> Failure:
    """A 3xx answer: where it points (scrubbed, control characters escaped) and what to check."""
    from .secrets import scrub

    where = f" to {scrub(location)!r}" if location else " without a Location"
    return Failure("response", f"the API answered with a redirect (HTTP {status}){where}; specc does not follow "
                   "redirects (a redirect could send the key elsewhere): check --base-url / the endpoint",
                   status=status)


def _tls_failure(exc: BaseException) -> bool:
    import ssl

    seen: BaseException | None = exc
    for _ in range(10):  # httpx wraps httpcore's error, which wraps the ssl one
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _network_message(exc: Exception, url: str) -> str:
    import httpx

    if _tls_failure(exc):
        return scrub(f"TLS handshake failed: {exc} ({url}); check the URL's scheme and port and the server's certificate")

    what = {httpx.ConnectTimeout: "connecting timed out", httpx.ReadTimeout: "no data within the read timeout",
            httpx.WriteTimeout: "sending the request timed out", httpx.PoolTimeout: "no free connection",
            httpx.RemoteProtocolError: "the server closed the connection or broke the HTTP protocol",
            httpx.ReadError: "the connection failed while reading (reset?)",
            httpx.ConnectError: "cannot connect"}.get(type(exc), "network error")  # type: ignore[arg-type]
    detail = str(exc) or type(exc).__name__
    return scrub(f"{what}: {detail} ({url})")


def _read_body(response: "httpx.Response", options: SendOptions, clock: Callable[[], float] | None = None,
               deadline_at: float | None = None) -> bytes:
    body = bytearray()
    for piece in response.iter_bytes():
        body += piece
        if len(body) > options.max_body_bytes:
            raise _TooLarge()
        if clock is not None and deadline_at is not None and clock() > deadline_at:
            raise _DeadlinePassed()
    return bytes(body)


class _TooLarge(Exception):
    pass


class _DeadlinePassed(Exception):
    pass


def _decode_json(raw: bytes) -> tuple[Any, str | None]:
    """(value, None) or (None, why). Leading whitespace (OpenRouter's keep-alive padding) is fine."""
    text = raw.decode("utf-8", errors="replace").strip()
    if not text:
        return None, "the response body is empty"
    try:
        return read_json(text), None
    except JSONProblem as exc:
        shown = text[:200] + ("..." if len(text) > 200 else "")
        if exc.lineno is None or exc.msg.startswith("nested"):  # JSON, but past what specc reads: say so
            return None, f"the response body is JSON that specc does not read: {exc}"
        return None, f"the response body is not JSON: {shown!r}"


def _read_json(response: "httpx.Response", options: SendOptions, result: SendResult,
               clock: Callable[[], float], deadline_at: float) -> None:
    try:
        raw = _read_body(response, options, clock, deadline_at)
    except _TooLarge:
        result.failure = Failure("response", f"the response body is larger than {options.max_body_bytes} bytes")
        return
    value, why = _decode_json(raw)
    if why or not isinstance(value, dict):
        result.failure = Failure("response", why or "the response body is JSON but not an object",
                                 status=result.status)
        return
    result.response = value
    if value.get("error") is not None:  # an error inside a 200 (seen from some providers)
        result.failure = _api_failure(result.status, value, "error")
        return
    message = ((value.get("choices") or [{}])[0] or {}).get("message") or {}
    content, reasoning = message.get("content"), message.get("reasoning")
    result.content = content if isinstance(content, str) else ""
    result.reasoning = reasoning if isinstance(reasoning, str) else ""
    result.tool_calls = list(message.get("tool_calls") or [])
    failed = _failed_choice(value)
    if failed is not None:  # the upstream failed after the answer began: what came is kept, the error reported
        result.failure = _api_failure(result.status, failed, "error")


def _failed_choice(value: dict[str, Any]) -> dict[str, Any] | None:
    """The first choice that carries the API's `error` object, if any."""
    choices = value.get("choices")
    for choice in choices if isinstance(choices, list) else []:
        if isinstance(choice, dict) and choice.get("error") is not None:
            return choice
    return None


def _read_error(response: "httpx.Response", options: SendOptions, result: SendResult) -> None:
    try:
        raw = _read_body(response, options)
    except _TooLarge:
        raw = b""
    value, why = _decode_json(raw)
    if isinstance(value, dict):
        result.response = value
    result.failure = _api_failure(result.status, value if isinstance(value, dict) else {}, "api",
                                  None if isinstance(value, dict) else why)


def _api_failure(status: int | None, body: dict[str, Any], kind: str, why: str | None = None) -> Failure:
    error: dict[str, Any] = body["error"] if isinstance(body.get("error"), dict) else {}
    metadata = error["metadata"] if isinstance(error.get("metadata"), dict) else None
    api_message = str(error.get("message")) if error.get("message") is not None else why
    advice = STATUS_ADVICE.get(status or 0)
    if advice is None and status:
        advice = "Server error: try again later." if status >= 500 else f"HTTP {status}."
    headline = f"HTTP {status}" if kind == "api" else f"error in a {status} response"
    return Failure(kind, headline, status=status, code=error.get("code"), api_message=api_message,
                   metadata=metadata, advice=advice)


def _retry_after(value: str | None) -> float | None:
    """`Retry-After` in seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time()) if when else None


# ---------------------------------------------------------------------------- streams


def _read_stream(response: "httpx.Response", options: SendOptions, result: SendResult,
                 on_delta: Callable[[str, str], None] | None, sent_at: float, clock: Callable[[], float],
                 deadline_at: float) -> None:
    """Consume the SSE stream into `result`, telling `on_delta` about each delta as it arrives."""
    assembler = StreamAssembler()
    parser = SSEParser()
    received = 0
    finished = False
    try:
        for piece in response.iter_bytes():  # decoded (a proxy may gzip the stream), still as it arrives
            received += len(piece)
            if received > options.max_body_bytes:
                result.failure = Failure("response", f"the stream is larger than {options.max_body_bytes} bytes")
                return
            for event in parser.feed(piece):
                if _handle(event, assembler, result, on_delta, sent_at, clock):
                    finished = True
            if finished or result.failure:
                return
            if clock() > deadline_at:  # keep-alive comments alone must not hold us past the deadline
                raise _DeadlinePassed()
        for event in parser.close():
            finished = _handle(event, assembler, result, on_delta, sent_at, clock) or finished
        if not finished and result.failure is None:
            result.failure = Failure("response", "the stream ended without `data: [DONE]` (cut short?)")
    finally:
        result.response = assembler.response()
        result.content, result.reasoning = assembler.content(), assembler.reasoning()
        result.tool_calls = assembler.tool_calls()


def _handle(event: Any, assembler: StreamAssembler, result: SendResult, on_delta: Callable[[str, str], None] | None,
            sent_at: float, clock: Callable[[], float]) -> bool:
    """Apply one event; True when the stream is done."""
    if isinstance(event, Done):
        return True
    if isinstance(event, Malformed):
        shown = event.data[:200] + ("..." if len(event.data) > 200 else "")
        result.failure = Failure("response", f"malformed stream event: {event.reason}: {shown!r}")
        return False
    if isinstance(event, StreamError):
        assembler.add(event.chunk)
        result.failure = Failure("stream", "the stream failed after it had started (HTTP 200)",
                                 status=result.status, code=event.code, api_message=event.message,
                                 metadata=event.metadata)
        return False
    assert isinstance(event, Chunk)
    for kind, text in assembler.add(event.data):
        if result.time_to_first_token is None:
            result.time_to_first_token = clock() - sent_at
        if on_delta:
            on_delta(kind, text)
    failed = _failed_choice(event.data)
    if failed is not None and result.failure is None:
        error = failed["error"] if isinstance(failed["error"], dict) else {"message": failed["error"]}
        metadata = error.get("metadata")
        result.failure = Failure("stream", "the stream failed after it had started (HTTP 200)",
                                 status=result.status, code=error.get("code"), api_message=str(error.get("message") or ""),
                                 metadata=metadata if isinstance(metadata, dict) else None)
    return False
