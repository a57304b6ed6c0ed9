"""Record the cassettes in cassettes/ for every example spec in specs/, with no network and no key.

Each spec is sent with `specc send SPEC --record=all` to the loopback server the test
suite uses (tests/server.py), which plays a fake OpenRouter: it answers every request
with a synthetic, schema-valid chat.completion (a stream when `stream: true`, with
keep-alive comment lines and `data: [DONE]`), derived from the request itself: the model
asked for, content that names the request, a JSON instance when `response_format` asks
for a schema, a tool call when the last message is the user's and tools are offered.
The answers are not a model's; they exist so `specc test specs/` and `pytest specs/`
exercise drift, the response contract and `expect:` offline.

    python scripts/record_examples.py            # re-record every example
    python scripts/record_examples.py specs/chat-streaming.yaml
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from server import LoopbackServer, Received, Reply, json_reply, sse_reply  # noqa: E402

FAKE_KEY = "loopback-fake-key-not-a-secret"  # the server ignores it; scrubbed from cassettes anyway
PROVIDER = "Loopback"                         # says plainly that no real provider answered
CREATED = 1767225600                          # fixed, so re-recording gives the same cassettes


def served_model(body: dict[str, Any]) -> str:
    """The model id a router would report: the first model asked for, without suffix or preset."""
    model = body.get("model") or (body.get("models") or ["openai/gpt-4o-mini"])[0]
    model = model.split("@preset/")[0].split(":")[0]
    return model if model and not model.startswith("@") else "openai/gpt-4o-mini"


def instance_of(schema: Any) -> Any:
    """A small value valid against a (simple) JSON Schema: enough for structured-output examples."""
    if not isinstance(schema, dict):
        return None
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: instance_of(sub) for name, sub in props.items()}
    if kind == "array":
        return [instance_of(schema.get("items", {}))] if schema.get("minItems") else []
    return {"string": "example", "number": 1.5, "integer": 1, "boolean": True, "null": None}.get(kind, "example")


def answer(body: dict[str, Any]) -> tuple[str | None, list[dict[str, Any]]]:
    """(content, tool_calls) for the request."""
    messages = body.get("messages") or []
    tools = body.get("tools") or []
    if tools and messages and messages[-1].get("role") == "user":
        name = tools[0].get("function", {}).get("name", "tool")
        arguments = json.dumps(instance_of(tools[0].get("function", {}).get("parameters", {})))
        return None, [{"id": "call_loopback_1", "type": "function", "function": {"name": name, "arguments": arguments}}]
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        return json.dumps(instance_of(response_format.get("json_schema", {}).get("schema", {}))), []
    if response_format.get("type") == "json_object":
        return "{}", []
    last = messages[-1].get("content") if messages else body.get("prompt", "")
    words = (last if isinstance(last, str) else "the attached content").split()[:8]
    return f"(loopback answer to: {' '.join(words)})", []


def usage(body: dict[str, Any], content: str) -> dict[str, Any]:
    prompt = len(json.dumps(body)) // 4
    completion = max(1, len(content) // 4)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
            "cost": round((prompt + completion) * 1e-7, 9)}


def reply_for(received: Received) -> Reply:
    body = received.json()
    model = served_model(body)
    content, calls = answer(body)
    finish = "tool_calls" if calls else "stop"
    meta = {"id": "gen-loopback-" + model.replace("/", "-"), "created": CREATED, "model": model, "provider": PROVIDER}
    counted = usage(body, content or json.dumps(calls))
    if body.get("stream") is True:
        chunk = {**meta, "object": "chat.completion.chunk", "system_fingerprint": "loopback"}
        words = (content or "").split(" ")
        pieces = [word + " " for word in words[:-1]] + words[-1:]
        events = [{**chunk, "choices": [{"index": 0, "delta": {"role": "assistant", "content": piece},
                                         "finish_reason": None}]} for piece in pieces]
        if calls:
            events.append({**chunk, "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, **calls[0]}]},
                                                 "finish_reason": None}]})
        events.append({**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": finish,
                                             "native_finish_reason": finish}], "usage": counted})
        return sse_reply(events, comments=2)
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if calls:
        message["tool_calls"] = calls
    return json_reply({**meta, "object": "chat.completion", "system_fingerprint": None,
                       "choices": [{"index": 0, "finish_reason": finish, "native_finish_reason": finish,
                                    "message": message}], "usage": counted})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("specs", nargs="*", help="spec files (default: every spec under specs/)")
    parser.add_argument("--mode", default="all", choices=("once", "new", "all"), help="--record mode (default: all)")
    args = parser.parse_args(argv)

    from specc.cli import main as specc
    from specc.lint import discover

    targets = args.specs or [t.path for t in discover([str(REPO / "specs")]).targets]
    failures = 0
    with LoopbackServer() as server:
        server.script(reply_for)
        for path in targets:
            code = _specc(specc, ["send", str(path), f"--record={args.mode}", "--base-url", server.base_url])
            print(f"{'ok' if code == 0 else f'exit {code}'}  {path}")
            failures += code != 0
    return 1 if failures else 0


def _specc(specc: Any, argv: list[str]) -> int:
    import io
    import os

    saved = os.environ.get("OPENROUTER_API_KEY")
    os.environ["OPENROUTER_API_KEY"] = FAKE_KEY
    out, err = io.StringIO(), io.StringIO()
    try:
        code = specc(argv, stdout=out, stderr=err)
    finally:
        if saved is None:
            del os.environ["OPENROUTER_API_KEY"]
        else:
            os.environ["OPENROUTER_API_KEY"] = saved
    if code != 0:
        sys.stderr.write(err.getvalue())
    return code


if __name__ == "__main__":
    sys.exit(main())
