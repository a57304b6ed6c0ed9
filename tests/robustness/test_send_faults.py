"""`specc send` against servers that misbehave, through the CLI a person runs.

Each fault gives its exit code (3 network, 1 API or response problem), one message that says
what happened, and no retry where the request may already have reached the server (a second
request could be charged twice). The key is in the environment and must appear nowhere.
"""

from __future__ import annotations

import json
import secrets
import socket
from pathlib import Path

import pytest

from conftest import run_cli
from server import CLOSE, STALL, PlainTextServer, Reply

KEY = "sk-or-v1-" + secrets.token_hex(32)
TAIL = KEY[-16:]
SPEC = "request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: hi\n"
STREAM_SPEC = SPEC + "  stream: true\n"


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'faults'\n")
    (tmp_path / "spec.yaml").write_text(SPEC)
    (tmp_path / "stream.yaml").write_text(STREAM_SPEC)
    return tmp_path


def send(project: Path, base_url: str, *args: str, spec: str = "spec.yaml"):
    result = run_cli("send", spec, "--base-url", base_url, "--backoff", "0.01", "--retries", "2",
                     "--connect-timeout", "2", "--read-timeout", "1", *args, cwd=project,
                     env={"OPENROUTER_API_KEY": KEY})
    assert "Traceback" not in result.err
    for text in (result.out, result.err):
        assert KEY not in text and TAIL not in text
    return result


def test_server_closing_without_answering(project, loopback):
    loopback.script(Reply(before_headers=CLOSE), Reply(before_headers=CLOSE), Reply(before_headers=CLOSE))
    result = send(project, loopback.base_url)
    assert result.code == 3 and result.err.strip()
    assert len(loopback.requests) == 1, "a request that may have been processed was sent again"
    assert "retrying" not in result.err


def test_headers_then_stall(project, loopback):
    loopback.script(Reply(200, {"Content-Type": "application/json"}, ["{", STALL]))
    result = send(project, loopback.base_url)
    assert result.code == 3 and "timeout" in result.err.lower()
    assert len(loopback.requests) == 1 and "retrying" not in result.err


def test_stream_that_stalls_after_content_is_not_retried(project, loopback):
    chunk = {"id": "g", "object": "chat.completion.chunk", "model": "openai/gpt-4o",
             "choices": [{"index": 0, "delta": {"content": "Hel"}, "finish_reason": None}]}
    loopback.script(Reply(200, {"Content-Type": "text/event-stream"}, [f"data: {json.dumps(chunk)}\n\n", STALL]))
    result = send(project, loopback.base_url, spec="stream.yaml")
    assert result.code == 3 and result.out.startswith("Hel")  # what arrived is kept
    assert len(loopback.requests) == 1 and "retrying" not in result.err


def test_huge_body_is_refused(project, loopback):
    megabyte = "x" * (1024 * 1024)
    pieces = ['{"padding": "'] + [megabyte] * 66 + ['"}']  # past the 64 MiB cap
    loopback.script(Reply(200, {"Content-Type": "application/json"}, pieces))
    result = send(project, loopback.base_url)
    assert result.code == 1 and "larger than" in result.err
    assert len(loopback.requests) == 1


def test_dns_failure(project):
    result = send(project, "http://specc-test.invalid/api/v1", "--retries", "0")
    assert result.code == 3 and "specc-test.invalid" in result.err


def test_tls_failure_is_not_retried(project):
    """An https URL at a plain-HTTP loopback server: the handshake fails before the key is sent."""
    with PlainTextServer() as server:
        result = send(project, f"https://127.0.0.1:{server.port}/api/v1")
    received = server.received
    assert result.code == 3 and "TLS" in result.err
    assert len(received) == 1 and "retrying" not in result.err
    assert all(TAIL.encode() not in data for data in received)


def test_connection_refused_is_retried_then_exit_3(project):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = send(project, f"http://127.0.0.1:{port}/api/v1")
    assert result.code == 3 and result.err.count("retrying") == 2  # nothing reached a server: safe to retry


def test_missing_key_is_a_usage_error_before_any_request(project, loopback):
    result = run_cli("send", "spec.yaml", "--base-url", loopback.base_url, cwd=project,
                     env={"OPENROUTER_API_KEY": ""})
    assert result.code == 2 and "OPENROUTER_API_KEY" in result.err and loopback.requests == []


# ------------------------------------------------------------------ issue 15: answers a person can act on

COMPLETION = {"id": "gen-1", "object": "chat.completion", "model": "openai/gpt-4o",
              "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "plain answer"}}],
              "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}}


def test_stream_answered_with_json_prints_the_answer_and_says_so(project, loopback):
    from server import json_reply

    loopback.script(json_reply(COMPLETION))
    result = send(project, loopback.base_url, spec="stream.yaml")
    assert result.code == 0 and "plain answer" in result.out, result.err
    assert "not an event stream" in result.err and "application/json" in result.err


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirect_says_so_and_where_without_following(project, loopback, status):
    location = f"http://elsewhere.example/v1?token={KEY}"
    loopback.script(Reply(status, {"Location": location, "Content-Length": "0"}, []))
    result = send(project, loopback.base_url)
    assert result.code == 1 and f"redirect (HTTP {status})" in result.err
    assert "elsewhere.example" in result.err and "not JSON" not in result.err and "empty" not in result.err
    assert len(loopback.requests) == 1


def test_redirect_loop_is_not_followed(project, loopback):
    loopback.script(Reply(307, {"Location": loopback.base_url + "/chat/completions"}, [""]))
    result = send(project, loopback.base_url)
    assert result.code == 1 and "redirect (HTTP 307)" in result.err and len(loopback.requests) == 1


@pytest.mark.parametrize("url", ["http://[::1", "http://host:notaport", "http://[::1]:99999"])
def test_malformed_base_url_is_a_usage_error(project, url):
    result = send(project, url)
    assert result.code == 2 and "must be an http(s) URL" in result.err and "internal error" not in result.err


# ------------------------------------------------------------------ issue 15: JSON that nests too deep or holds huge numbers

DEEP = "[" * 100_000 + "]" * 100_000
BIG_NUMBER = '{"id": "gen-1", "usage": {"total_tokens": ' + "9" * 5000 + "}}"


@pytest.mark.parametrize("status", [200, 500])
def test_deeply_nested_json_body_is_one_message(project, loopback, status):
    loopback.script(Reply(status, {"Content-Type": "application/json"}, [DEEP]))
    result = send(project, loopback.base_url, "--retries", "0")
    assert result.code == 1 and "internal error" not in result.err and "RecursionError" not in result.err
    assert "nested deeper than 100 levels" in result.err, result.err


def test_deeply_nested_json_in_a_stream_chunk_is_one_message(project, loopback):
    from server import sse_reply

    loopback.script(sse_reply([DEEP]))
    result = send(project, loopback.base_url, spec="stream.yaml")
    assert result.code == 1 and "internal error" not in result.err
    assert "nested deeper than 100 levels" in result.err, result.err


def test_a_huge_number_in_a_response_is_called_what_it_is(project, loopback):
    loopback.script(Reply(200, {"Content-Type": "application/json"}, [BIG_NUMBER]))
    result = send(project, loopback.base_url)
    assert result.code == 1 and "internal error" not in result.err
    assert "not JSON" not in result.err and "5,000 digits" in result.err, result.err


def test_models_pull_reads_deep_or_huge_answers_safely(project, loopback):
    for pieces, message in ([[DEEP], "nested deeper than 100 levels"],
                            [['{"data": [' + BIG_NUMBER + "]}"], "5,000 digits"],
                            [['{"data": "'] + ["x" * 1024 * 1024] * 66 + ['"}'], "larger than the 67,108,864-byte limit"]):
        loopback.script(Reply(200, {"Content-Type": "application/json"}, pieces))
        result = run_cli("models", "pull", "--base-url", loopback.base_url, cwd=project)
        assert result.code == 1 and "internal error" not in result.err and message in result.err, result.err
        assert not (project / "specc-catalog.json").exists()
