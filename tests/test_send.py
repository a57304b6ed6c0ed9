"""specc.send against a real HTTP server on loopback: answers, streams, retries, faults, and no key anywhere."""

from __future__ import annotations

import json
import logging
import random
import socket
import subprocess

import pytest

from server import CLOSE, RESET, STALL, Gate, PlainTextServer, Reply, json_reply, raw_reply, sse_reply
from specc.config import Config
from specc.send import PreparedRequest, SendOptions, curl_command, prepare_request, send

FAKE_KEY = "sk-or-v1-" + "c0ffee42" * 8

ANSWER = {
    "id": "gen-123", "object": "chat.completion", "created": 1780944466, "model": "anthropic/claude-4.5-haiku-20251001",
    "provider": "Amazon Bedrock",
    "choices": [{"index": 0, "finish_reason": "stop", "native_finish_reason": "end_turn",
                 "message": {"role": "assistant", "content": "Matz created Ruby.", "reasoning": None}}],
    "usage": {"prompt_tokens": 17, "completion_tokens": 5, "total_tokens": 22, "cost": 0.000427,
              "completion_tokens_details": {"reasoning_tokens": 0}},
}


def chunk(delta=None, finish=None, **extra):
    return {"id": "gen-9", "object": "chat.completion.chunk", "model": "openai/gpt-4o", "provider": "OpenAI",
            "choices": [{"index": 0, "delta": delta or {}, "finish_reason": finish}], **extra}


@pytest.fixture(autouse=True)
def key_never_leaks(monkeypatch, caplog, capfd):
    """Every test runs with the fake key set and httpx/httpcore logging at DEBUG; afterwards the key
    must appear in no captured output and no log record."""
    monkeypatch.setenv("OPENROUTER_API_KEY", FAKE_KEY)
    caplog.set_level(logging.DEBUG)
    yield
    out, err = capfd.readouterr()
    assert out == "" and err == "", "the library printed something; only the CLI prints"
    logs = caplog.text + "\n".join(f"{r.getMessage()} {r.args}" for r in caplog.records)
    for where, text in (("stdout", out), ("stderr", err), ("logs", logs)):
        assert FAKE_KEY not in text, f"the key leaked into {where}"
        assert "c0ffee42" not in text, f"part of the key leaked into {where}"


def assert_clean(result):
    """Nothing a caller would show (failure, response, content) holds the key."""
    shown = json.dumps({"failure": vars(result.failure) if result.failure else None, "response": result.response,
                        "content": result.content, "attempts": [vars(a) for a in result.attempts]}, default=str)
    assert "c0ffee42" not in shown


def request_for(server, body=None, **kw) -> PreparedRequest:
    body = body or {"model": "openai/gpt-4o", "messages": [{"role": "user", "content": "hi"}]}
    return prepare_request(body, FAKE_KEY, server.base_url, **kw)


def fast(**kw) -> SendOptions:
    return SendOptions(**{"backoff_base": 0.001, "connect_timeout": 2, "read_timeout": 5, **kw})


class Sleeps(list):
    """A `sleep` that records the waits instead of waiting."""

    def __call__(self, seconds):
        self.append(seconds)


# ------------------------------------------------------------------ answers


def test_plain_response_with_padding_and_summary(loopback):
    loopback.script(json_reply(ANSWER, headers={"X-Generation-Id": "gen-header-1"}, padding="\n   \n\n  \n"))
    result = send(request_for(loopback), fast())
    assert result.ok, result.failure
    assert result.content == "Matz created Ruby."
    summary = result.summary()
    assert summary["model"] == "anthropic/claude-4.5-haiku-20251001" and summary["provider"] == "Amazon Bedrock"
    assert (summary["finish_reason"], summary["prompt_tokens"], summary["completion_tokens"]) == ("stop", 17, 5)
    assert (summary["reasoning_tokens"], summary["cost"], summary["generation_id"]) == (0, 0.000427, "gen-header-1")
    assert summary["latency"] >= 0 and summary["retries"] == 0
    [received] = loopback.requests
    assert (received.method, received.path) == ("POST", "/api/v1/chat/completions")
    assert received.headers["authorization"] == f"Bearer {FAKE_KEY}"
    assert received.headers["content-type"] == "application/json"
    assert received.json() == {"model": "openai/gpt-4o", "messages": [{"role": "user", "content": "hi"}]}


def test_generation_id_falls_back_to_the_response_id(loopback):
    loopback.script(json_reply(ANSWER))
    assert send(request_for(loopback), fast()).generation_id == "gen-123"


def test_attribution_headers_from_config_and_spec(loopback):
    from specc.model import Spec

    config = Config(http_referer="https://example.com/app", title="Example App", categories=("cli-agent", "ide"))
    spec = Spec(request={}, headers={"X-OpenRouter-Title": "Spec Title", "X-Team": "support"})
    loopback.script(json_reply(ANSWER))
    send(request_for(loopback, spec=spec, config=config), fast())
    headers = loopback.requests[0].headers
    assert headers["http-referer"] == "https://example.com/app"
    assert headers["x-openrouter-title"] == "Spec Title"  # the spec is more specific than the project
    assert headers["x-openrouter-categories"] == "cli-agent,ide"
    assert headers["x-team"] == "support"


def test_a_client_passed_in_is_used(loopback):
    """The seam the cassette layer plugs into: the caller's client (and its transport) does the I/O."""
    import httpx

    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json=ANSWER)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        result = send(request_for(loopback), fast(), client=client)
        assert not client.is_closed  # ours to close, not send's
    assert result.content == "Matz created Ruby." and seen and loopback.requests == []


# ------------------------------------------------------------------ streams


def test_stream_with_comments_and_done(loopback):
    loopback.script(sse_reply([chunk({"role": "assistant", "content": "Hel"}), ": OPENROUTER PROCESSING\n\n",
                               chunk({"content": "lo!"}),
                               chunk({}, "stop", usage={"prompt_tokens": 3, "completion_tokens": 2, "cost": 0.1})],
                              comments=2))
    deltas = []
    result = send(request_for(loopback, {"model": "openai/gpt-4o", "stream": True, "messages": []}), fast(),
                  on_delta=lambda kind, text: deltas.append((kind, text)))
    assert result.ok, result.failure
    assert deltas == [("content", "Hel"), ("content", "lo!")]
    assert result.content == "Hello!" and result.streamed
    assert result.time_to_first_token is not None and result.time_to_first_token <= result.latency
    response = result.response
    assert response["choices"][0]["message"] == {"role": "assistant", "content": "Hello!"}
    assert response["choices"][0]["finish_reason"] == "stop"
    assert response["usage"]["cost"] == 0.1 and response["model"] == "openai/gpt-4o"
    assert loopback.requests[0].headers["accept"] == "text/event-stream"


def test_stream_deltas_arrive_before_the_rest_is_sent(loopback):
    """Incremental: the server holds the second half back until the client has seen the first delta."""
    gate = Gate(timeout=5)
    loopback.script(sse_reply([chunk({"content": "first "}), gate, chunk({"content": "second"}, "stop")]))
    gate_was_open = []

    def on_delta(kind, text):
        gate_was_open.append(gate.event.is_set())
        gate.open()

    result = send(request_for(loopback, {"model": "m", "stream": True}), fast(), on_delta=on_delta)
    assert result.content == "first second"
    assert gate_was_open == [False, True]


def test_stream_tool_call_deltas_are_assembled(loopback):
    loopback.script(sse_reply([
        chunk({"role": "assistant", "content": None, "tool_calls": [
            {"index": 0, "id": "call_a", "type": "function", "function": {"name": "weather", "arguments": ""}}]}),
        chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"city": '}}]}),
        chunk({"tool_calls": [{"index": 1, "id": "call_b", "type": "function",
                               "function": {"name": "time", "arguments": '{"tz": "UTC"}'}}]}),
        chunk({"tool_calls": [{"index": 0, "function": {"arguments": '"Berlin"}'}}]}),
        chunk({}, "tool_calls"),
    ]))
    result = send(request_for(loopback, {"model": "m", "stream": True}), fast())
    assert result.ok
    assert result.tool_calls == [
        {"id": "call_a", "type": "function", "function": {"name": "weather", "arguments": '{"city": "Berlin"}'}},
        {"id": "call_b", "type": "function", "function": {"name": "time", "arguments": '{"tz": "UTC"}'}},
    ]
    assert result.response["choices"][0]["message"]["tool_calls"] == result.tool_calls
    assert result.response["choices"][0]["finish_reason"] == "tool_calls"


def test_a_gzipped_stream_is_decoded(loopback):
    import gzip

    plain = sse_reply([chunk({"content": "squeezed"}, "stop")])
    body = gzip.compress("".join(plain.pieces).encode())
    loopback.script(Reply(200, {**plain.headers, "Content-Encoding": "gzip"}, [body[:10], body[10:]]))
    result = send(request_for(loopback, {"model": "m", "stream": True}), fast())
    assert result.ok and result.content == "squeezed"


def test_stream_reasoning_deltas_are_kept_apart(loopback):
    loopback.script(sse_reply([chunk({"reasoning": "think "}), chunk({"reasoning": "hard"}),
                               chunk({"content": "42"}, "stop")]))
    deltas = []
    result = send(request_for(loopback, {"model": "m", "stream": True}), fast(), on_delta=lambda k, t: deltas.append(k))
    assert (result.reasoning, result.content) == ("think hard", "42")
    assert deltas == ["reasoning", "reasoning", "content"]


def test_mid_stream_error_keeps_what_was_received(loopback):
    error_chunk = chunk({"content": ""}, None, error={"code": 400, "message": "Provider returned error",
                                                      "metadata": {"provider_name": "Anthropic"}},
                        usage={"prompt_tokens": 5, "completion_tokens": 1})
    loopback.script(sse_reply([chunk({"content": "Partial"}), error_chunk], done=False))
    result = send(request_for(loopback, {"model": "m", "stream": True}), fast(retries=2))
    failure = result.failure
    assert failure.kind == "stream" and (failure.code, failure.api_message) == (400, "Provider returned error")
    assert failure.metadata == {"provider_name": "Anthropic"} and result.status == 200
    assert result.content == "Partial" and result.response["choices"][0]["finish_reason"] is None
    assert len(loopback.requests) == 1  # delivered content: never retried
    assert_clean(result)


def test_an_error_on_a_choice_of_a_200_is_an_api_error_keeping_the_text(loopback):
    error = {"code": 502, "message": "Error processing stream", "metadata": {"provider_name": "Nebius"}}
    answer = {**ANSWER, "choices": [{"index": 0, "finish_reason": None, "error": error,
                                     "message": {"role": "assistant", "content": "Once upon"}}]}
    loopback.script(json_reply(answer))
    result = send(request_for(loopback, {"model": "m"}), fast(retries=2))
    failure = result.failure
    assert failure.kind == "error" and (failure.code, failure.api_message) == (502, "Error processing stream")
    assert failure.metadata == {"provider_name": "Nebius"} and result.content == "Once upon"
    assert len(loopback.requests) == 1
    assert_clean(result)


def test_an_error_on_a_stream_choice_fails_the_stream(loopback):
    failed = chunk({"content": ""}, None)
    failed["choices"][0]["error"] = {"code": 502, "message": "Error processing stream"}
    loopback.script(sse_reply([chunk({"content": "Partial"}), failed]))
    result = send(request_for(loopback, {"model": "m", "stream": True}), fast())
    assert result.failure.kind == "stream" and result.failure.api_message == "Error processing stream"
    assert result.content == "Partial"
    assert_clean(result)


def test_connection_reset_mid_stream(loopback):
    loopback.script(sse_reply([chunk({"content": "Half an ans"}), RESET], done=False))
    result = send(request_for(loopback, {"model": "m", "stream": True}), fast(retries=2))
    assert result.failure.kind == "network" and "not retried" in result.failure.message
    assert result.content == "Half an ans"
    assert len(loopback.requests) == 1
    assert_clean(result)


def test_stream_that_stalls_after_headers_hits_the_read_timeout(loopback):
    loopback.script(sse_reply([chunk({"content": "Some"}), STALL], done=False))
    result = send(request_for(loopback, {"model": "m", "stream": True}), fast(read_timeout=0.3))
    assert result.failure.kind == "network" and "read timeout" in result.failure.message
    assert result.content == "Some" and len(loopback.requests) == 1


def test_malformed_sse_is_a_response_error(loopback):
    loopback.script(sse_reply([chunk({"content": "ok "}), "data: {\"choices\": [\n\n"]))
    result = send(request_for(loopback, {"model": "m", "stream": True}), fast())
    assert result.failure.kind == "response" and "malformed stream event" in result.failure.message
    assert result.content == "ok "


def test_stream_cut_short_without_done(loopback):
    loopback.script(sse_reply([chunk({"content": "and then"})], done=False))
    result = send(request_for(loopback, {"model": "m", "stream": True}), fast())
    assert result.failure.kind == "response" and "[DONE]" in result.failure.message
    assert result.content == "and then"


def test_keep_alives_alone_do_not_outlast_the_deadline(loopback):
    loopback.script(sse_reply([": OPENROUTER PROCESSING\n\n"] * 200, done=False))
    ticks = iter(range(10_000))
    result = send(request_for(loopback, {"model": "m", "stream": True}), fast(deadline=20),
                  clock=lambda: float(next(ticks)))
    assert result.failure.kind == "network" and "deadline" in result.failure.message


def test_ctrl_c_during_a_stream_keeps_what_arrived(loopback):
    loopback.script(sse_reply([chunk({"content": "before"}), STALL], done=False))

    def interrupt(kind, text):
        raise KeyboardInterrupt

    result = send(request_for(loopback, {"model": "m", "stream": True}), fast(), on_delta=interrupt)
    assert result.failure.kind == "interrupted" and result.content == "before"


def test_ctrl_c_while_waiting_to_retry(loopback):
    loopback.script(json_reply({"error": {"code": 503, "message": "busy"}}, 503))

    def interrupted_sleep(seconds):
        raise KeyboardInterrupt

    result = send(request_for(loopback), fast(), sleep=interrupted_sleep)
    assert result.failure.kind == "interrupted" and len(loopback.requests) == 1


def test_a_stream_answered_with_json_is_read_as_json(loopback):
    loopback.script(json_reply(ANSWER))
    result = send(request_for(loopback, {"model": "m", "stream": True}), fast())
    assert result.ok and result.content == "Matz created Ruby."


# ------------------------------------------------------------------ retries


def test_429_with_retry_after_then_200(loopback):
    loopback.script(json_reply({"error": {"code": 429, "message": "Rate limit exceeded: free-models-per-min"}}, 429,
                               headers={"Retry-After": "7"}), json_reply(ANSWER))
    sleeps, retried = Sleeps(), []
    result = send(request_for(loopback), fast(), sleep=sleeps, on_retry=lambda a, n: retried.append((a.status, n)))
    assert result.ok and result.content == "Matz created Ruby."
    assert sleeps == [7.0] and retried == [(429, 1)]
    assert [a.status for a in result.attempts] == [429, 200] and result.summary()["retries"] == 1
    assert len(loopback.requests) == 2


def test_retry_after_as_an_http_date(loopback):
    loopback.script(json_reply({"error": {"code": 429, "message": "slow down"}}, 429,
                               headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), json_reply(ANSWER))
    sleeps = Sleeps()
    assert send(request_for(loopback), fast(), sleep=sleeps).ok
    assert sleeps == [0.0]  # a date in the past: go now


def test_503_twice_then_200_with_exponential_backoff_and_jitter(loopback):
    unavailable = json_reply({"error": {"code": 503, "message": "No endpoints found"}}, 503)
    loopback.script(unavailable, unavailable, json_reply(ANSWER))
    sleeps = Sleeps()
    result = send(request_for(loopback), fast(backoff_base=1.0), sleep=sleeps, rng=random.Random(4))
    assert result.ok and len(loopback.requests) == 3
    assert len(sleeps) == 2 and 0 <= sleeps[0] <= 1.0 and 0 <= sleeps[1] <= 2.0
    expected = random.Random(4)
    assert sleeps == [expected.uniform(0, 1.0), expected.uniform(0, 2.0)]


def test_retries_are_bounded(loopback):
    loopback.script(json_reply({"error": {"code": 502, "message": "upstream down"}}, 502))
    sleeps = Sleeps()
    result = send(request_for(loopback), fast(retries=2), sleep=sleeps)
    assert result.failure.kind == "api" and result.failure.status == 502
    assert "gave up after 3 attempts" in result.failure.message
    assert len(loopback.requests) == 3 and len(sleeps) == 2


def test_a_retry_after_past_the_deadline_is_not_waited_for(loopback):
    loopback.script(json_reply({"error": {"code": 429, "message": "later"}}, 429, headers={"Retry-After": "3600"}))
    sleeps = Sleeps()
    result = send(request_for(loopback), fast(deadline=60), sleep=sleeps)
    assert result.failure.status == 429 and "deadline" in result.failure.message
    assert sleeps == [] and len(loopback.requests) == 1


@pytest.mark.parametrize("status, advice", [(400, "specc lint"), (401, "OPENROUTER_API_KEY"), (402, "credits"),
                                            (403, "moderation")])
def test_client_errors_are_never_retried(loopback, status, advice):
    loopback.script(json_reply({"error": {"code": status, "message": f"the API's words {status}",
                                          "metadata": {"provider_name": "Azure"}}}, status), json_reply(ANSWER))
    sleeps = Sleeps()
    result = send(request_for(loopback), fast(retries=3), sleep=sleeps)
    failure = result.failure
    assert failure.kind == "api" and failure.status == status and advice in failure.advice
    assert failure.api_message == f"the API's words {status}" and failure.metadata == {"provider_name": "Azure"}
    assert len(loopback.requests) == 1 and sleeps == []


def test_an_error_message_echoing_the_key_is_scrubbed_by_the_cli_layer(loopback):
    """The library keeps the API's words; `scrub` (used on every output) removes a key echoed in them."""
    from specc.secrets import scrub

    loopback.script(json_reply({"error": {"code": 401, "message": f"bad key {FAKE_KEY}"}}, 401))
    result = send(request_for(loopback), fast())
    assert FAKE_KEY not in scrub(result.failure.api_message)


def test_connection_refused_is_retried_then_a_network_failure():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = prepare_request({"model": "m"}, FAKE_KEY, f"http://127.0.0.1:{port}/api/v1")
    sleeps = Sleeps()
    result = send(request, fast(retries=2), sleep=sleeps)
    assert result.failure.kind == "network" and "cannot connect" in result.failure.message
    assert len(sleeps) == 2 and len(result.attempts) == 3
    assert_clean(result)


def test_dns_failure_is_a_network_failure():
    request = prepare_request({"model": "m"}, FAKE_KEY, "http://specc-test.invalid/api/v1")
    result = send(request, fast(retries=0))
    assert result.failure.kind == "network" and "specc-test.invalid" in result.failure.message


def test_tls_failure_is_a_network_failure_and_not_retried():
    """An https URL at a server that does not speak TLS: the handshake fails before anything is sent."""
    with PlainTextServer() as server:
        request = prepare_request({"model": "m"}, FAKE_KEY, f"https://127.0.0.1:{server.port}/api/v1")
        sleeps = Sleeps()
        result = send(request, fast(retries=2), sleep=sleeps)
    connections = server.received
    assert result.failure.kind == "network" and "TLS handshake failed" in result.failure.message
    assert sleeps == [] and len(connections) == 1
    assert all(b"c0ffee42" not in data for data in connections)  # the handshake came first: no key sent


def test_server_slower_than_the_read_timeout_is_not_retried(loopback):
    """The request reached the server, which may be generating: a second request could be billed twice."""
    loopback.script(Reply(before_headers=STALL))
    sleeps = Sleeps()
    result = send(request_for(loopback), fast(read_timeout=0.3, retries=2), sleep=sleeps)
    assert result.failure.kind == "network" and "read timeout" in result.failure.message
    assert "billed twice" in result.failure.message
    assert len(loopback.requests) == 1 and sleeps == []


def test_the_deadline_caps_a_single_wait(loopback):
    """A read timeout longer than the whole deadline is cut to what is left of it."""
    loopback.script(Reply(before_headers=STALL))
    result = send(request_for(loopback), fast(read_timeout=600, deadline=0.3, retries=0))
    assert result.failure.kind == "network" and "read timeout" in result.failure.message


def test_server_closing_without_answering_is_not_retried(loopback):
    loopback.script(Reply(before_headers=CLOSE))
    result = send(request_for(loopback), fast(retries=2), sleep=Sleeps())
    assert result.failure.kind == "network" and len(loopback.requests) == 1


# ------------------------------------------------------------------ bodies that are not OpenRouter's


def test_empty_body(loopback):
    loopback.script(raw_reply(200, "application/json", ""))
    result = send(request_for(loopback), fast())
    assert result.failure.kind == "response" and "empty" in result.failure.message


def test_non_json_body(loopback):
    loopback.script(raw_reply(200, "text/html", "<html><body>Gateway says hi</body></html>"))
    result = send(request_for(loopback), fast())
    assert result.failure.kind == "response" and "not JSON" in result.failure.message
    assert "Gateway says hi" in result.failure.message


def test_non_json_error_body(loopback):
    loopback.script(raw_reply(502, "text/html", "<h1>502 Bad Gateway</h1>"))
    result = send(request_for(loopback), fast(retries=0))
    assert result.failure.kind == "api" and result.failure.status == 502
    assert "not JSON" in result.failure.api_message


def test_huge_body_is_refused(loopback):
    loopback.script(Reply(200, {"Content-Type": "application/json"}, ["[" + "1," * 50_000 for _ in range(4)]))
    result = send(request_for(loopback), fast(max_body_bytes=100_000))
    assert result.failure.kind == "response" and "larger than" in result.failure.message


# ------------------------------------------------------------------ dry run / curl


def test_redacted_headers_and_curl_never_show_the_key(loopback):
    request = request_for(loopback, {"model": "m", "stream": True}, config=Config(title="It's \"quoted\""))
    assert request.redacted_headers()["Authorization"] == "Bearer sk-or-...REDACTED"
    command = curl_command(request)
    assert FAKE_KEY not in command and '"Authorization: Bearer $OPENROUTER_API_KEY"' in command


def test_the_curl_command_really_sends_the_same_request(loopback, tmp_path):
    if subprocess.run(["sh", "-c", "command -v curl"], capture_output=True).returncode:
        pytest.skip("curl is not installed")
    body = {"model": "m", "messages": [{"role": "user", "content": "it's a \"test\" with $HOME and `ticks`"}]}
    request = request_for(loopback, body, config=Config(title="It's mine"))
    loopback.script(json_reply(ANSWER))
    env = {"OPENROUTER_API_KEY": FAKE_KEY, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(["sh", "-c", curl_command(request)], capture_output=True, text=True, env=env, timeout=30)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["id"] == "gen-123"
    [received] = loopback.requests
    assert received.json() == body
    assert received.headers["authorization"] == f"Bearer {FAKE_KEY}"
    assert received.headers["x-openrouter-title"] == "It's mine"
