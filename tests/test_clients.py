"""A compiled spec handed to real clients (OpenAI SDK, OpenRouter SDK, httpx) arrives on the wire unchanged.

Each client sends to a recording HTTP server on 127.0.0.1; the test compares the
JSON that arrived with the compiled body (and, for the example specs, with what
`specc compile` prints).
"""

from __future__ import annotations

import inspect
import json
import sys
import threading
import types
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

import specc
from conftest import REPO, SHARED, SPECS, run_cli, shared_path
from specc.clients import FALLBACK_OPENAI_PARAMETERS, MissingAPIKeyError, openai_parameters, to_httpx_request, to_openai_kwargs
from specc.load import is_spec_text

TEST_KEY = "sk-or-v1-" + "5eC2e7" * 10

COMPLETION = {
    "id": "gen-1", "object": "chat.completion", "created": 1, "model": "openai/gpt-4o", "system_fingerprint": "fp",
    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}


class Recorder:
    """An HTTP server on 127.0.0.1 that answers every POST with one completion and keeps what it received."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                recorder.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}, raw))
                reply = json.dumps(COMPLETION).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}/api/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def last_body(self) -> dict:
        assert self.requests, "nothing arrived"
        return json.loads(self.requests[-1][2])

    def last_headers(self) -> dict[str, str]:
        return self.requests[-1][1]


@pytest.fixture(scope="module")
def recorder():
    server = Recorder()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


# ---------------------------------------------------------------------------- the bodies under test


def example_specs() -> list[Path]:
    """The single-request examples: a matrix spec sends several bodies (tests/test_matrix_cli.py)."""
    from specc.load import declares_matrix

    return sorted(p for p in SPECS.glob("**/*.yaml")
                  if is_spec_text(p.read_text("utf-8")) and not declares_matrix(p.read_text("utf-8")))


def corpus_requests() -> list[str]:
    folder = SHARED / "corpus" / "requests"
    return sorted(p.name for p in folder.glob("*.json")) if folder.is_dir() else ["(corpus absent)"]


def corpus_body(name: str) -> dict:
    return json.loads(shared_path("corpus", "requests", name).read_text("utf-8"))


def compiled_by_cli(path: Path) -> dict:
    result = run_cli("compile", str(path))
    assert result.code == 0, result.err
    return json.loads(result.out)


# ---------------------------------------------------------------------------- OpenAI SDK

@pytest.fixture(scope="module")
def openai_client(recorder):
    openai = pytest.importorskip("openai")
    return openai.OpenAI(base_url=recorder.base_url, api_key=TEST_KEY, max_retries=0)


def send_with_openai(client, kwargs: dict) -> None:
    response = client.chat.completions.create(**kwargs)
    if kwargs.get("stream") is True:
        response.close()  # the request went out; the stream itself is not under test


@pytest.mark.parametrize("path", example_specs(), ids=lambda p: p.relative_to(SPECS).as_posix())
def test_openai_sdk_sends_exactly_what_specc_compile_prints(openai_client, recorder, path):
    # The acceptance line, as an application would write it.
    send_with_openai(openai_client, specc.to_openai_kwargs(specc.load_spec(path).body))
    assert recorder.last_body() == compiled_by_cli(path)
    assert recorder.requests[-1][0] == "/api/v1/chat/completions"


@pytest.mark.parametrize("name", corpus_requests())
def test_openai_sdk_sends_every_corpus_request_unchanged(openai_client, recorder, name):
    body = corpus_body(name)
    send_with_openai(openai_client, to_openai_kwargs(body))
    assert recorder.last_body() == body


def test_openai_sdk_carries_openrouter_only_fields_and_headers(openai_client, recorder, write_spec):
    spec_path = write_spec("""\
headers:
  HTTP-Referer: https://app.example.com
  X-OpenRouter-Title: Example App
request:
  models: [openai/gpt-4o, anthropic/claude-sonnet-4]
  messages: [{role: user, content: hi}]
  provider: {order: [openai, azure], allow_fallbacks: false, sort: price}
  plugins: [{id: web, max_results: 3}]
  reasoning: {effort: low, exclude: true}
  transforms: [middle-out]
  usage: {include: true}
  top_k: 40
  min_p: 0.05
  top_a: 0.1
  repetition_penalty: 1.1
  temperature: null
  reasoning_effort: low
""")
    loaded = specc.load_spec(spec_path)
    kwargs = to_openai_kwargs(loaded)
    assert "model" not in loaded.body and "models" in kwargs["extra_body"]
    assert kwargs["reasoning_effort"] == "low" and kwargs["temperature"] is None  # known to the SDK: arguments
    assert kwargs["extra_headers"] == {"HTTP-Referer": "https://app.example.com", "X-OpenRouter-Title": "Example App"}
    send_with_openai(openai_client, kwargs)
    assert recorder.last_body() == loaded.body  # no `model` added, null kept, every extra field there
    headers = recorder.last_headers()
    assert headers["http-referer"] == "https://app.example.com"
    assert headers["x-openrouter-title"] == "Example App"
    assert headers["authorization"] == f"Bearer {TEST_KEY}"  # the client's key, not the spec's


def test_the_async_client_takes_the_same_arguments(recorder):
    openai = pytest.importorskip("openai")
    import asyncio

    body = {"model": "openai/gpt-4o", "messages": [{"role": "user", "content": "hi"}],
            "models": ["openai/gpt-4o", "x-ai/grok-4"], "provider": {"sort": "latency"}, "top_k": 4}

    async def send() -> None:
        async with openai.AsyncOpenAI(base_url=recorder.base_url, api_key=TEST_KEY, max_retries=0) as client:
            await client.chat.completions.create(**to_openai_kwargs(body))

    asyncio.run(send())
    assert recorder.last_body() == body


def test_split_between_arguments_and_extra_body():
    body = {"model": "m", "messages": [], "stream": True, "top_k": 3, "provider": {"sort": "price"},
            "extra_body": {"odd": "a body field with the name of an SDK option"}}
    kwargs = to_openai_kwargs(body, headers={"X-OpenRouter-Title": "t", "Authorization": "Bearer leaked"})
    assert {k: kwargs[k] for k in ("model", "messages", "stream")} == {"model": "m", "messages": [], "stream": True}
    assert kwargs["extra_body"] == {"top_k": 3, "provider": {"sort": "price"},
                                    "extra_body": {"odd": "a body field with the name of an SDK option"}}
    assert kwargs["extra_headers"] == {"X-OpenRouter-Title": "t"}  # Authorization is the client's business


def test_no_extra_body_or_headers_when_there_is_nothing_extra():
    assert to_openai_kwargs({"model": "m", "messages": []}) == {"model": "m", "messages": []}


def test_the_known_parameters_are_read_from_the_installed_sdk(monkeypatch):
    # A fake SDK whose `create` knows `top_k`: top_k moves out of extra_body; `seed`, unknown to it, moves in.
    omit = object()

    class Completions:
        def create(self, *, messages, model, top_k=omit, extra_body=None, extra_headers=None, timeout=omit):
            pass

    fake = types.ModuleType("openai.resources.chat.completions")
    fake.Completions = Completions
    monkeypatch.setitem(sys.modules, "openai.resources.chat.completions", fake)
    openai_parameters.cache_clear()
    try:
        assert openai_parameters() == (frozenset({"messages", "model", "top_k"}), omit)
        assert to_openai_kwargs({"messages": [], "top_k": 3, "seed": 1}) == {
            "messages": [], "top_k": 3, "model": omit, "extra_body": {"seed": 1}}
    finally:
        openai_parameters.cache_clear()


def test_fallback_without_the_openai_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "openai.resources.chat.completions", None)  # import fails
    openai_parameters.cache_clear()
    try:
        assert openai_parameters() == (FALLBACK_OPENAI_PARAMETERS, None)
        kwargs = to_openai_kwargs({"messages": [], "top_k": 3, "temperature": 0.2})
        assert kwargs == {"messages": [], "temperature": 0.2, "extra_body": {"top_k": 3}}
    finally:
        openai_parameters.cache_clear()


def test_the_fallback_list_matches_the_installed_sdk():
    pytest.importorskip("openai")
    # When this fails, the SDK gained or lost parameters: refresh FALLBACK_OPENAI_PARAMETERS.
    assert openai_parameters()[0] == FALLBACK_OPENAI_PARAMETERS


def test_the_extra_body_fields_are_the_ones_the_readme_lists(schemas):
    pytest.importorskip("openai")
    readme = (REPO / "README.md").read_text("utf-8")
    paragraph = readme[readme.index("With openai 3.x that puts"):]
    paragraph = paragraph[:paragraph.index("in `extra_body`.")]
    listed = set(paragraph.split("`")[1::2])
    assert set(schemas.request_properties) - openai_parameters()[0] == listed


def test_a_body_that_is_not_a_mapping_is_refused():
    with pytest.raises(TypeError, match="not list"):
        to_openai_kwargs([{"model": "m"}])


# ---------------------------------------------------------------------------- OpenRouter SDK


@pytest.fixture(scope="module")
def openrouter_client(recorder):
    openrouter = pytest.importorskip("openrouter")
    return openrouter.OpenRouter(api_key=TEST_KEY, server_url=recorder.base_url)


def send_with_openrouter(client, body: dict) -> set[str]:
    """Send `body`'s fields as `chat.send` arguments; return the fields it has no argument for."""
    accepted = set(inspect.signature(client.chat.send).parameters)
    client.chat.send(**{k: v for k, v in body.items() if k in accepted})
    return set(body) - accepted


# Request fields `chat.send` has no argument for (listed in the README).
OPENROUTER_SDK_HAS_NO_ARGUMENT = frozenset({"preset", "transforms", "usage", "route", "prompt", "include_reasoning",
                                            "n", "audio", "verbosity"})


def test_the_fields_the_openrouter_sdk_cannot_take_are_the_documented_ones(openrouter_client, schemas):
    arguments = set(inspect.signature(openrouter_client.chat.send).parameters)
    assert set(schemas.request_properties) - arguments == OPENROUTER_SDK_HAS_NO_ARGUMENT


def openrouter_gaps(body: dict) -> dict:
    """`body` as the OpenRouter SDK (1.3) sends it, per the gaps documented in the README."""
    expected = {k: v for k, v in body.items() if k not in OPENROUTER_SDK_HAS_NO_ARGUMENT}
    expected.setdefault("stream", False)  # the SDK always writes `stream`
    if isinstance(expected.get("reasoning"), dict):
        expected["reasoning"] = {k: v for k, v in expected["reasoning"].items() if k in ("effort", "summary")}
    max_price = (expected.get("provider") or {}).get("max_price") or {}
    if any(not isinstance(v, str) for v in max_price.values()):
        del expected["provider"]  # a number where its model wants a string: the whole block is dropped
    return expected


def test_openrouter_sdk_carries_what_it_has_arguments_for(openrouter_client, recorder):
    body = {"model": "openai/gpt-4o", "messages": [{"role": "user", "content": "hi"}], "stream": False,
            "models": ["openai/gpt-4o", "anthropic/claude-sonnet-4"],
            "provider": {"order": ["openai"], "allow_fallbacks": False, "sort": "price", "max_price": {"prompt": "1"}},
            "plugins": [{"id": "web", "max_results": 3}], "reasoning": {"effort": "low"},
            "top_k": 40, "min_p": 0.05, "top_a": 0.1, "repetition_penalty": 1.1, "seed": 7,
            "session_id": "s-1", "temperature": 0.3}
    assert send_with_openrouter(openrouter_client, body) == set()
    assert recorder.last_body() == body


@pytest.mark.parametrize("field, value, arrives", [
    ("preset", "support-bot", "absent: no argument"),
    ("transforms", ["middle-out"], "absent: no argument"),
    ("usage", {"include": True}, "absent: no argument"),
    ("reasoning", {"effort": "high", "exclude": True, "max_tokens": 2000, "enabled": True}, {"effort": "high"}),
    ("provider", {"order": ["openai"], "max_price": {"prompt": 1, "completion": 2}}, "absent: invalid"),
])
def test_openrouter_sdk_gaps_documented_in_the_readme(openrouter_client, recorder, field, value, arrives):
    body = {"model": "openai/gpt-4o", "messages": [{"role": "user", "content": "hi"}], field: value}
    dropped = send_with_openrouter(openrouter_client, body)
    wire = recorder.last_body()
    assert wire["stream"] is False  # added although the body leaves `stream` out
    if isinstance(arrives, str):
        assert dropped == ({field} if arrives.endswith("no argument") else set()) and field not in wire
    else:
        assert dropped == set() and wire[field] == arrives
    assert wire == openrouter_gaps(body)


@pytest.mark.parametrize("path", example_specs(), ids=lambda p: p.relative_to(SPECS).as_posix())
def test_openrouter_sdk_on_the_example_specs(openrouter_client, recorder, path):
    body = specc.load_spec(path).body
    send_with_openrouter(openrouter_client, body)
    assert recorder.last_body() == openrouter_gaps(body)


def carried_within(sent, body, where: str = "body") -> list[str]:
    """Where `sent` is not `body` with some mapping keys left out: a value changed, a key added,
    a list item lost. The SDK may drop what its models lack; it must never alter or invent."""
    if isinstance(sent, dict) and isinstance(body, dict):
        added = [f"{where}.{k} added" for k in sent if k not in body]
        return added + [p for k in sent if k in body for p in carried_within(sent[k], body[k], f"{where}.{k}")]
    if isinstance(sent, list) and isinstance(body, list):
        if len(sent) != len(body):
            return [f"{where}: {len(body)} items became {len(sent)}"]
        return [p for i, (a, b) in enumerate(zip(sent, body)) for p in carried_within(a, b, f"{where}.{i}")]
    return [] if sent == body and type(sent) is type(body) else [f"{where}: {body!r:.60} became {sent!r:.60}"]


@pytest.fixture(scope="module")
def upstream_request_validator():
    """The vendored OpenAPI document's ChatRequest alone, without specc's overlay: what the SDK's
    generated models know."""
    from jsonschema import Draft202012Validator

    vendored = json.loads((REPO / "schemas" / "openrouter.schema.json").read_text("utf-8"))
    return Draft202012Validator({**vendored, "$ref": "#/$defs/ChatRequest"})


@pytest.mark.parametrize("name", corpus_requests())
def test_openrouter_sdk_on_the_corpus(openrouter_client, recorder, upstream_request_validator, name):
    """On 1,179 real bodies: the SDK keeps every value it sends, drops only the gap classes the
    README lists, and refuses only bodies the upstream document (not the live API) rejects."""
    from pydantic import ValidationError

    body = corpus_body(name)
    try:
        send_with_openrouter(openrouter_client, body)
    except ValidationError:
        assert not upstream_request_validator.is_valid(body), "the SDK refused a body its own document allows"
        return
    sent, expected = recorder.last_body(), openrouter_gaps(body)
    assert carried_within(sent, expected) == []
    dropped = {k for k in expected if k not in sent}
    # top-level fields dropped: only nulls and empty mappings (what its models call unset)
    assert {k for k in dropped if expected[k] not in (None, {})} == set()


# ---------------------------------------------------------------------------- httpx


def test_httpx_request_from_a_loaded_spec(recorder, write_spec, monkeypatch):
    monkeypatch.setenv("OPENROUTER_API_KEY", TEST_KEY)
    path = write_spec("headers: {X-OpenRouter-Title: Example}\nrequest:\n  model: openai/gpt-4o\n"
                      "  messages: [{role: user, content: héllo}]\n  top_k: 5\n")
    loaded = specc.load_spec(path)
    request = specc.to_httpx_request(loaded, base_url=recorder.base_url)
    assert (request.method, str(request.url)) == ("POST", recorder.base_url + "/chat/completions")
    assert request.headers["x-openrouter-title"] == "Example"
    assert request.headers["content-type"] == "application/json"
    with httpx.Client() as client:
        assert client.send(request).status_code == 200
    assert recorder.last_body() == loaded.body
    assert recorder.last_headers()["authorization"] == f"Bearer {TEST_KEY}"


def test_httpx_request_never_shows_the_key():
    request = to_httpx_request({"model": "m", "messages": []}, api_key=TEST_KEY, environ={})
    assert request.headers["authorization"] == f"Bearer {TEST_KEY}"
    for shown in (repr(request), repr(request.headers), str(request.headers)):
        assert TEST_KEY not in shown


def test_httpx_request_without_a_key_names_the_variable():
    with pytest.raises(MissingAPIKeyError, match="OPENROUTER_API_KEY"):
        to_httpx_request({"model": "m", "messages": []}, environ={})


def test_httpx_request_streams_ask_for_events():
    request = to_httpx_request({"model": "m", "messages": [], "stream": True}, api_key=TEST_KEY,
                               base_url="http://127.0.0.1:9/v1", environ={})
    assert request.headers["accept"] == "text/event-stream"
    assert str(request.url) == "http://127.0.0.1:9/v1/chat/completions"


# ---------------------------------------------------------------------------- the README's example


def test_the_readme_example_sends_what_specc_compile_prints(recorder, monkeypatch):
    pytest.importorskip("openai")
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme[readme.index("## Using specs at runtime"):]
    code = section[section.index("```python\n") + len("```python\n"):section.index("\n```", section.index("```python"))]
    assert "https://openrouter.ai/api/v1" in code
    monkeypatch.setenv("OPENROUTER_API_KEY", TEST_KEY)
    monkeypatch.chdir(REPO)
    namespace: dict = {}
    exec(compile(code.replace("https://openrouter.ai/api/v1", recorder.base_url), "README.md", "exec"), namespace)
    assert namespace["answer"]("Why was I billed twice?") == "ok"
    cli = run_cli("compile", "specs/support-billing-reply.yaml", "--var", "product=Acme Cloud",
                  "--var", "question=Why was I billed twice?", cwd=REPO)
    assert cli.code == 0, cli.err
    assert recorder.last_body() == json.loads(cli.out)
