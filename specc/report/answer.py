"""What `specc send` says: the request a dry run shows, a retry as it is waited for, the one-line
summary of who served the answer and how, and what went wrong when it failed (what it means,
what to do, the API's own words)."""

from __future__ import annotations

import json
from typing import Any


def request_text(request: Any) -> str:
    """A prepared request as `--dry-run` prints it: method and URL, headers (key redacted), body."""
    headers = "".join(f"{name}: {value}\n" for name, value in request.redacted_headers().items())
    return f"{request.method} {request.url}\n{headers}\n" + json.dumps(request.body, indent=2, ensure_ascii=False) + "\n"


def retry_line(attempt: Any, number: int, retries: int) -> str:
    """The line said before a retry's wait."""
    what = f"HTTP {attempt.status}" if attempt.status else (attempt.error or "network error")
    return f"specc: {what}; retrying in {attempt.wait:.1f}s (retry {number} of {retries})\n"


def summary_line(result: Any) -> str:
    """One line: who served it, why it stopped, tokens, cost, timing, generation id."""
    data = result.summary()
    parts = [f"model={data['model'] or '?'}", f"provider={data['provider'] or '?'}",
             f"finish={data['finish_reason'] or 'none'}",
             f"tokens={_n(data['prompt_tokens'])} in / {_n(data['completion_tokens'])} out"
             f" ({_n(data['reasoning_tokens'])} reasoning)"]
    if data["cost"] is not None:
        parts.append(f"cost=${money(data['cost'])}")
    if data["latency"] is not None:
        parts.append(f"latency={data['latency']:.2f}s")
    if data["time_to_first_token"] is not None:
        parts.append(f"ttft={data['time_to_first_token']:.2f}s")
    if data["retries"]:
        parts.append(f"retries={data['retries']}")
    parts.append(f"generation={data['generation_id'] or '?'}")
    return "specc: " + " ".join(parts)


def money(value: Any) -> str:
    """USD without exponent notation (0.00004, not 4e-05)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format(value, ".10f").rstrip("0").rstrip(".") or "0"
    return str(value)


def _n(value: Any) -> str:
    return "?" if value is None else str(value)


def failure_text(failure: Any) -> str:
    """What went wrong, what it means, what to do, and the API's own words."""
    lines = [f"specc: error: {failure.message}"]
    if failure.code is not None and failure.kind == "stream":
        lines[0] += f" (code {failure.code})"
    if failure.advice:
        lines.append(f"  {failure.advice}")
    if failure.api_message:
        label = "API says" if failure.kind in ("api", "stream", "error") else "detail"
        lines.append(f"  {label}: {failure.api_message}")
    if failure.metadata:
        lines.append(f"  metadata: {json.dumps(failure.metadata, ensure_ascii=False, sort_keys=True)[:2000]}")
    if failure.kind == "stream":
        lines.append("  the part received before the error is shown above")
    return "\n".join(lines)
