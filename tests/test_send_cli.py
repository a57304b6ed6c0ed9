"""`specc send` end to end against a real loopback server: output, exit codes, retries, Ctrl-C, no key anywhere."""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import subprocess
import sys
import time

import pytest

from conftest import REPO, SPECS, run_cli, shared_path
from server import RESET, STALL, Reply, json_reply, raw_reply, sse_reply

FAKE_KEY = "sk-or-v1-" + "d00dfeed" * 8

ANSWER = {
    "id": "gen-77", "object": "chat.completion", "created": 1780944466, "model": "openai/gpt-4o-2024-08-06",
    "provider": "Azure",
    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Paris."}}],
    "usage": {"prompt_tokens": 12, "completion_tokens": 2, "total_tokens": 14, "cost": 0.00004,
              "completion_tokens_details": {"reasoning_tokens": 0}},
}

SPEC = """\
name: capital
headers:
  X-Team: geo
request:
  model: openai/gpt-4o
  messages:
    - role: user
      content: "Capital of France?"
"""

STREAM_SPEC = SPEC.replace("request:\n", "request:\n  stream: true\n")


def chunk(delta, finish=None, **extra):
    return {"id": "gen-s1", "object": "chat.completion.chunk", "model": "openai/gpt-4o", "provider": "OpenAI",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}


@pytest.fixture(autouse=True)
def key_never_leaks(monkeypatch, caplog, capfd, request):
    """The fake key is set for every test; afterwards it is searched for in everything captured."""
    monkeypatch.setenv("OPENROUTER_API_KEY", FAKE_KEY)
    monkeypatch.delenv("OPENROUTER_BASE_URL", raising=False)
    caplog.set_level(logging.DEBUG)
    outputs: list[str] = []
    request.node.outputs = outputs  # tests append what run_cli returned
    yield
    out, err = capfd.readouterr()
    everything = "\n".join([out, err, caplog.text, *outputs])
    assert FAKE_KEY not in everything and "d00dfeed" not in everything


@pytest.fixture
def specc(request):
    """run_cli that also hands its output to the leak check."""
    def run(*args, **kw):
        result = run_cli(*args, **kw)
        request.node.outputs.extend([result.out, result.err])
        return result

    return run


@pytest.fixture
def project(write_spec):
    write_spec(SPEC, "capital.yaml")
    write_spec(STREAM_SPEC, "stream.yaml")
    return write_spec("", "empty.txt").parent


def send_args(server, *extra):
    return ("send", *extra, "--base-url", server.base_url, "--backoff", "0.001")


# ------------------------------------------------------------------ answers


def test_plain_answer_to_stdout_summary_to_stderr(loopback, project, specc):
    loopback.script(json_reply(ANSWER, headers={"X-Generation-Id": "gen-77"}, padding="\n  \n"))
    result = specc(*send_args(loopback, "capital.yaml"), cwd=project)
    assert result.code == 0, result.err
    assert result.out == "Paris.\n"
    summary = result.err.strip().splitlines()[-1]
    for part in ("model=openai/gpt-4o-2024-08-06", "provider=Azure", "finish=stop", "tokens=12 in / 2 out",
                 "(0 reasoning)", "cost=$0.00004", "latency=", "generation=gen-77"):
        assert part in summary
    received = loopback.requests[0]
    assert received.headers["x-team"] == "geo"
    assert received.json()["messages"][0]["content"] == "Capital of France?"


def test_attribution_from_tool_specc(loopback, project, specc):
    (project / "pyproject.toml").write_text(
        "[project]\nname = 'demo'\n\n[tool.specc]\nhttp-referer = 'https://demo.example'\ntitle = 'Demo'\n"
        "categories = ['cli-agent']\n")
    loopback.script(json_reply(ANSWER))
    assert specc(*send_args(loopback, "capital.yaml"), cwd=project).code == 0
    headers = loopback.requests[0].headers
    assert (headers["http-referer"], headers["x-openrouter-title"], headers["x-openrouter-categories"]) == (
        "https://demo.example", "Demo", "cli-agent")


def test_base_url_from_the_environment(loopback, project, specc, monkeypatch):
    monkeypatch.setenv("OPENROUTER_BASE_URL", loopback.base_url)
    loopback.script(json_reply(ANSWER))
    result = specc("send", "capital.yaml", cwd=project)
    assert result.code == 0 and result.out == "Paris.\n"


def test_stream_prints_content_and_tool_calls_and_ttft(loopback, project, specc):
    loopback.script(sse_reply([
        chunk({"role": "assistant", "content": "Par"}), chunk({"content": "is."}),
        chunk({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                               "function": {"name": "lookup", "arguments": '{"q":'}}]}),
        chunk({"tool_calls": [{"index": 0, "function": {"arguments": '"France"}'}}]}),
        chunk({}, "tool_calls", usage={"prompt_tokens": 9, "completion_tokens": 4, "cost": 0.001}),
    ], comments=3))
    result = specc(*send_args(loopback, "stream.yaml"), cwd=project)
    assert result.code == 0, result.err
    assert result.out == 'Paris.\ntool call call_1: lookup({"q":"France"})\n'
    assert "ttft=" in result.err and "finish=tool_calls" in result.err and "tokens=9 in / 4 out" in result.err


def test_reasoning_only_with_show_reasoning(loopback, project, specc):
    reply = sse_reply([chunk({"reasoning": "Thinking it over. "}), chunk({"content": "Paris."}, "stop")])
    loopback.script(reply)
    quiet = specc(*send_args(loopback, "stream.yaml"), cwd=project)
    assert "Thinking" not in quiet.out + quiet.err and quiet.out == "Paris.\n"
    shown = specc(*send_args(loopback, "stream.yaml", "--show-reasoning"), cwd=project)
    assert "Thinking it over. \n" in shown.err and shown.out == "Paris.\n"


def test_json_prints_the_full_response(loopback, project, specc):
    loopback.script(json_reply(ANSWER))
    result = specc(*send_args(loopback, "capital.yaml", "--json"), cwd=project)
    assert result.code == 0 and json.loads(result.out) == ANSWER


def test_json_of_a_stream_is_the_assembled_response(loopback, project, specc):
    loopback.script(sse_reply([chunk({"role": "assistant", "content": "Par"}), chunk({"content": "is."}, "stop")]))
    result = specc(*send_args(loopback, "stream.yaml", "--json"), cwd=project)
    assert result.code == 0
    response = json.loads(result.out)
    assert response["choices"][0]["message"] == {"role": "assistant", "content": "Paris."}
    assert response["object"] == "chat.completion" and response["id"] == "gen-s1"


# ------------------------------------------------------------------ dry run, curl, usage


def test_dry_run_shows_the_request_with_the_key_redacted(project, specc):
    result = specc("send", "capital.yaml", "--dry-run", "--base-url", "http://127.0.0.1:9/api/v1", cwd=project)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "POST http://127.0.0.1:9/api/v1/chat/completions"
    assert "Authorization: Bearer sk-or-...REDACTED" in lines and "X-Team: geo" in lines
    body = json.loads(result.out.split("\n\n", 1)[1])
    assert body == {"model": "openai/gpt-4o", "messages": [{"role": "user", "content": "Capital of France?"}]}


def test_dry_run_needs_no_key(project, specc, monkeypatch):
    monkeypatch.delenv("OPENROUTER_API_KEY")
    result = specc("send", "capital.yaml", "--dry-run", cwd=project)
    assert result.code == 0 and "Bearer sk-or-...REDACTED" in result.out


def test_curl_reads_the_key_from_the_environment(project, specc):
    result = specc("send", "stream.yaml", "--curl", cwd=project)
    assert result.code == 0
    assert result.out.startswith("curl -sS -N -X POST https://openrouter.ai/api/v1/chat/completions")
    assert '-H "Authorization: Bearer $OPENROUTER_API_KEY"' in result.out


def test_missing_key_is_a_usage_error_before_any_request(loopback, project, specc, monkeypatch):
    monkeypatch.delenv("OPENROUTER_API_KEY")
    result = specc(*send_args(loopback, "capital.yaml"), cwd=project)
    assert result.code == 2 and "OPENROUTER_API_KEY is not set" in result.err
    assert loopback.requests == []


@pytest.mark.parametrize("bad_key", [FAKE_KEY[:20] + "\n" + FAKE_KEY[20:], FAKE_KEY + " extra", FAKE_KEY + "é"])
def test_a_key_that_cannot_go_in_a_header_is_refused_without_showing_it(loopback, project, specc, monkeypatch,
                                                                        bad_key):
    monkeypatch.setenv("OPENROUTER_API_KEY", bad_key)
    result = specc(*send_args(loopback, "capital.yaml"), cwd=project)
    assert result.code == 2 and "OPENROUTER_API_KEY contains" in result.err
    assert "d00dfeed" not in result.err and loopback.requests == []


def test_json_prints_the_error_body_for_an_api_error_and_nothing_for_a_network_failure(loopback, project, specc):
    error = {"error": {"code": 402, "message": "Insufficient credits"}}
    loopback.script(json_reply(error, 402))
    result = specc(*send_args(loopback, "capital.yaml", "--json"), cwd=project)
    assert result.code == 1 and json.loads(result.out) == error
    loopback.script(Reply(before_headers=STALL))
    result = specc(*send_args(loopback, "capital.yaml", "--json", "--read-timeout", "0.2"), cwd=project)
    assert result.code == 3 and result.out == ""


def test_a_spec_with_errors_is_not_sent(loopback, write_spec, specc):
    path = write_spec("request:\n  model: openai/gpt-4o\n  temperature: hot\n  messages: []\n", "bad.yaml")
    result = specc(*send_args(loopback, str(path)), cwd=path.parent)
    assert result.code == 1 and "bad.yaml:3:" in result.err and "not sent" in result.err
    assert loopback.requests == []


@pytest.mark.parametrize("args, message", [
    (("--base-url", "ftp://example.com"), "must be an http(s) URL"),
    (("--retries", "-1"), "non-negative"),
    (("--read-timeout", "soon"), "number of seconds"),
])
def test_bad_options_are_usage_errors(project, specc, capfd, request, args, message):
    result = specc("send", "capital.yaml", *args, cwd=project)
    printed = capfd.readouterr().err  # argparse writes to the real stderr
    request.node.outputs.append(printed)
    assert result.code == 2 and message in result.err + printed


def test_missing_spec_is_a_usage_error(project, specc):
    result = specc("send", "nope.yaml", cwd=project)
    assert result.code == 2 and "no such file" in result.err


# ------------------------------------------------------------------ errors and retries


@pytest.mark.parametrize("status, meaning", [
    (400, "Bad request"), (401, "Unauthorized"), (402, "Payment required"), (403, "Forbidden"),
    (408, "Request timeout"), (429, "Rate limited"), (502, "Bad gateway"), (503, "Service unavailable")])
def test_each_documented_status_explains_itself(loopback, project, specc, status, meaning):
    loopback.script(json_reply({"error": {"code": status, "message": f"upstream said no ({status})",
                                          "metadata": {"provider_name": "Fireworks"}}}, status))
    result = specc(*send_args(loopback, "capital.yaml", "--retries", "1"), cwd=project)
    assert result.code == 1
    assert f"HTTP {status}" in result.err and meaning in result.err
    assert f"API says: upstream said no ({status})" in result.err and '"provider_name": "Fireworks"' in result.err
    retried = status in (408, 429, 502, 503)
    assert len(loopback.requests) == (2 if retried else 1)
    assert ("retrying in" in result.err) == retried
    assert result.out == "" and "model=" not in result.err  # no summary of an answer that never came


def test_429_with_retry_after_then_200(loopback, project, specc):
    loopback.script(json_reply({"error": {"code": 429, "message": "Rate limit exceeded"}}, 429,
                               headers={"Retry-After": "0"}), json_reply(ANSWER))
    result = specc(*send_args(loopback, "capital.yaml"), cwd=project)
    assert result.code == 0 and result.out == "Paris.\n"
    assert "HTTP 429; retrying in 0.0s (retry 1 of 2)" in result.err and "retries=1" in result.err


def test_503_twice_then_200(loopback, project, specc):
    unavailable = json_reply({"error": {"code": 503, "message": "No allowed providers"}}, 503)
    loopback.script(unavailable, unavailable, json_reply(ANSWER))
    result = specc(*send_args(loopback, "capital.yaml"), cwd=project)
    assert result.code == 0 and result.out == "Paris.\n" and len(loopback.requests) == 3
    assert result.err.count("HTTP 503; retrying") == 2


def test_key_echoed_in_an_error_message_is_scrubbed(loopback, project, specc):
    loopback.script(json_reply({"error": {"code": 401, "message": f"No auth credentials found for {FAKE_KEY}"}}, 401))
    result = specc(*send_args(loopback, "capital.yaml"), cwd=project)
    assert result.code == 1 and "No auth credentials found for sk-or-...REDACTED" in result.err


def test_mid_stream_error_exits_1_keeping_what_was_received(loopback, project, specc):
    loopback.script(sse_reply([chunk({"content": "The capital is "}),
                               chunk({"content": ""}, None, error={"code": 502, "message": "Provider disconnected"})],
                              done=False))
    result = specc(*send_args(loopback, "stream.yaml"), cwd=project)
    assert result.code == 1
    assert result.out == "The capital is \n"
    assert "(code 502)" in result.err and "Provider disconnected" in result.err
    assert len(loopback.requests) == 1


def test_connection_reset_mid_stream_exits_3(loopback, project, specc):
    loopback.script(sse_reply([chunk({"content": "The capi"}), RESET], done=False))
    result = specc(*send_args(loopback, "stream.yaml"), cwd=project)
    assert result.code == 3 and result.out == "The capi\n"
    assert "not retried" in result.err and len(loopback.requests) == 1


def test_server_slower_than_the_read_timeout_exits_3(loopback, project, specc):
    loopback.script(Reply(before_headers=STALL))
    result = specc(*send_args(loopback, "capital.yaml", "--read-timeout", "0.3"), cwd=project)
    assert result.code == 3 and "read timeout" in result.err and len(loopback.requests) == 1


def test_connection_refused_exits_3(project, specc):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = specc("send", "capital.yaml", "--base-url", f"http://127.0.0.1:{port}/api/v1", "--retries", "1",
                   "--backoff", "0.001", cwd=project)
    assert result.code == 3 and "cannot connect" in result.err and "retry 1 of 1" in result.err


@pytest.mark.parametrize("reply, message", [
    (raw_reply(200, "application/json", ""), "empty"),
    (raw_reply(200, "text/html", "<html>maintenance</html>"), "not JSON"),
    (sse_reply(["data: {broken\n\n"]), "malformed stream event"),
])
def test_bodies_that_are_not_openrouters_exit_1(loopback, project, specc, reply, message):
    loopback.script(reply)
    spec = "stream.yaml" if "event-stream" in reply.headers["Content-Type"] else "capital.yaml"
    result = specc(*send_args(loopback, spec), cwd=project)
    assert result.code == 1 and message in result.err


# ------------------------------------------------------------------ real responses and example specs


def corpus_responses():
    folder = REPO.parent / "shared" / "corpus" / "responses"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def stream_text(body: str) -> tuple[str, list[str], str | None]:
    """The content deltas of a recorded stream joined, its tool names and its last finish_reason: a plain
    reading of the SSE lines."""
    text, tools, finish = [], [], None
    for line in body.splitlines():
        if line.startswith("data: ") and line[6:].strip() != "[DONE]":
            for choice in json.loads(line[6:]).get("choices") or []:
                delta = choice.get("delta") or {}
                text.append(delta.get("content") or "")
                tools += [call["function"]["name"] for call in delta.get("tool_calls") or []
                          if (call.get("function") or {}).get("name")]
                finish = choice.get("finish_reason") or finish
    return "".join(text), tools, finish


def reported_error(recorded: dict) -> dict | None:
    """The API's error in a recorded 200, if it carries one: a top-level `error` (in the body or in an SSE
    event) or one on a choice."""
    if recorded["stream"]:
        values = [json.loads(line[6:]) for line in recorded["body"].splitlines()
                  if line.startswith("data: ") and line[6:].strip() != "[DONE]"]
    else:
        values = [json.loads(recorded["body"])]
    for value in values:
        for holder in [value, *(value.get("choices") or [])]:
            if isinstance(holder.get("error"), dict):
                return holder["error"]
    return None


@pytest.mark.parametrize("path", corpus_responses() or [None], ids=lambda p: p.stem[-60:] if p else "absent")
def test_real_responses_served_back_verbatim(loopback, project, specc, path):
    """Every recorded answer, served back: its text (through specc's output scrubbing, which redacts
    bearer tokens even in a model's prose) and tool calls printed, its finish_reason in the summary line
    ("none" when the API sent null), and an error status or an error the API reported inside a 200
    (in the body, on a choice, or mid-stream) printed with the API's message and exit 1 (README: Errors)."""
    from specc.secrets import scrub

    if path is None:
        shared_path("corpus", "responses")
    recorded = json.loads(path.read_text())
    content_type = recorded["headers"].get("content-type", "application/json")
    loopback.script(raw_reply(recorded["status"], content_type, recorded["body"]))
    spec = "stream.yaml" if recorded["stream"] else "capital.yaml"
    result = specc(*send_args(loopback, spec, "--retries", "0"), cwd=project)
    if recorded["status"] != 200:
        message = json.loads(recorded["body"])["error"]["message"]
        assert result.code == 1 and f"HTTP {recorded['status']}" in result.err and message[:60] in result.err
        return
    if recorded["stream"]:
        expected, tools, finish = stream_text(recorded["body"])
    else:
        choices = json.loads(recorded["body"]).get("choices") or [{}]
        message = choices[0].get("message") or {}
        expected, tools = message.get("content") or "", [c["function"]["name"] for c in message.get("tool_calls") or []]
        finish = choices[0].get("finish_reason")
    assert result.out.startswith(scrub(expected, {}))
    for name in tools:
        assert f": {name}(" in result.out
    error = reported_error(recorded)
    if error is not None:
        headline = "the stream failed after it had started (HTTP 200)" if recorded["stream"] else "error in a 200 response"
        assert result.code == 1 and headline in result.err and scrub(str(error["message"]), {})[:60] in result.err
        return
    assert result.code == 0, result.err
    assert f"finish={finish or 'none'} " in result.err


def example_specs():
    found = []
    for path in sorted(SPECS.rglob("*.yaml")):
        text = path.read_text("utf-8")
        # a matrix spec sends one body per variant: tests/test_matrix_cli.py sends those
        if any(line.startswith("request:") for line in text.splitlines()) and "\nmatrix:" not in text:
            found.append(path)
    return found


@pytest.mark.parametrize("path", example_specs(), ids=lambda p: str(p.relative_to(SPECS)))
def test_every_example_spec_sends(loopback, specc, path):
    def answer(received):
        body = received.json()
        if body.get("stream"):
            return sse_reply([chunk({"role": "assistant", "content": "streamed "}), chunk({"content": "ok"}, "stop")])
        return json_reply(ANSWER)

    loopback.script(answer)
    result = specc(*send_args(loopback, str(path)), cwd=REPO)
    assert result.code == 0, result.err
    assert result.out in ("Paris.\n", "streamed ok\n")
    [received] = loopback.requests
    compiled = specc("compile", str(path), cwd=REPO)
    assert received.json() == json.loads(compiled.out)


# ------------------------------------------------------------------ Ctrl-C, in a real process


def test_ctrl_c_during_a_stream_exits_130_with_what_was_received(loopback, project):
    # Ends with a character no secret holds: the stream redactor keeps back a tail that could be
    # the start of the key (an "r" of "sk-or-...") until the next delta, which a stall never sends.
    loopback.script(sse_reply([chunk({"content": "Partial answer."}), STALL], done=False))
    env = {**os.environ, "OPENROUTER_API_KEY": FAKE_KEY, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "specc", *send_args(loopback, "stream.yaml")], cwd=project,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        seen = b""
        deadline = time.monotonic() + 30  # a bound for a broken build, not a timing assertion
        while b"Partial answer." not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([process.stdout], [], [], 1)
            if ready:
                piece = os.read(process.stdout.fileno(), 4096)
                if not piece:
                    break
                seen += piece
        assert b"Partial answer." in seen, "the first delta was not printed while the stream was still open"
        process.send_signal(signal.SIGINT)
        rest, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    out = (seen + rest).decode()
    assert process.returncode == 130, err.decode()
    assert out.startswith("Partial answer.") and "interrupted" in err.decode()
    assert "d00dfeed" not in out + err.decode()
