"""Cassettes: `specc send --record` then `--replay` round trips against a real loopback server,
scrubbing, record modes, vcrpy compatibility, atomic writes under SIGKILL, concurrent recorders,
and corrupted cassettes."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import REPO, run_cli
from server import STALL, Gate, json_reply, sse_reply

from specc.replay import (
    CassetteError,
    CassetteTransport,
    Interaction,
    NetworkBlocked,
    json_equal,
    load_cassette,
    offline,
    save_interactions,
)
from specc.secrets import looks_like_secret

FAKE_KEY = "sk-or-v1-" + "c0ffee11" * 8
OTHER_KEY = "sk-or-v1-" + "feedbeef" * 8  # a key that is not ours, pasted into a prompt or echoed back

ANSWER = {
    "id": "gen-1", "object": "chat.completion", "created": 1780944466, "model": "openai/gpt-4o-2024-08-06",
    "provider": "OpenAI", "system_fingerprint": None,
    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Paris."}}],
    "usage": {"prompt_tokens": 12, "completion_tokens": 2, "total_tokens": 14, "cost": 0.00004},
}

SPEC = """\
request:
  model: openai/gpt-4o
  messages:
    - role: user
      content: "Capital of France?"
"""
STREAM_SPEC = SPEC.replace("request:\n", "request:\n  stream: true\n")
TOOLS_SPEC = SPEC + """\
  tools:
    - type: function
      function: {name: lookup_city, parameters: {type: object, properties: {}}}
"""


def chunk(delta, finish=None, **extra):
    return {"id": "gen-s1", "object": "chat.completion.chunk", "created": 1, "model": "openai/gpt-4o",
            "provider": "OpenAI", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}


@pytest.fixture(autouse=True)
def fake_key(monkeypatch):
    monkeypatch.setenv("OPENROUTER_API_KEY", FAKE_KEY)
    monkeypatch.delenv("OPENROUTER_BASE_URL", raising=False)


@pytest.fixture
def project(write_spec):
    write_spec(SPEC, "specs/capital.yaml")
    write_spec(STREAM_SPEC, "specs/stream.yaml")
    write_spec(TOOLS_SPEC, "specs/tools.yaml")
    return write_spec("", "empty.txt").parent


def specc(server, project, *args):
    return run_cli("send", *args, "--base-url", server.base_url, "--backoff", "0", cwd=project)


def cassette_of(project, name):
    return project / "cassettes" / "specs" / name


# ------------------------------------------------------------------ round trips


def test_plain_round_trip(loopback, project):
    loopback.script(json_reply(ANSWER))
    recorded = specc(loopback, project, "specs/capital.yaml", "--record")
    assert recorded.code == 0 and recorded.out == "Paris.\n", recorded.err
    assert "recorded 1 interaction to" in recorded.err
    path = cassette_of(project, "capital.yaml")
    assert load_cassette(path).interactions[0].status == 200
    loopback.script(json_reply({"error": {"code": 500, "message": "the server must not be asked"}}, 500))
    replayed = specc(loopback, project, "specs/capital.yaml", "--replay")
    assert replayed.code == 0 and replayed.out == "Paris.\n", replayed.err
    assert len(loopback.requests) == 1


def test_a_recorded_stream_replays_byte_identical_piece_by_piece(loopback, project):
    gate = Gate()  # holds the tail back, so the pieces arrive as separate reads
    pieces = [chunk({"role": "assistant", "content": "Par"}), gate, ": OPENROUTER PROCESSING\n\n",
              chunk({"content": "is."}, "stop", usage={"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5})]
    loopback.script(sse_reply(pieces, comments=2))
    live = CassetteTransport(None, httpx.HTTPTransport())
    with httpx.Client(transport=live) as client:
        with client.stream("POST", loopback.base_url + "/chat/completions", json={"stream": True}) as response:
            seen_live = []
            for piece in response.iter_raw():
                seen_live.append(piece)
                if len(seen_live) == 1:
                    gate.open()
    [item] = live.recorded
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"stream-{os.getpid()}.yaml"
    try:
        save_interactions(path, live.recorded, "all")
        cassette = load_cassette(path)
    finally:
        path.unlink(missing_ok=True)
    replay = CassetteTransport(cassette)
    with httpx.Client(transport=replay) as client:
        with client.stream("POST", loopback.base_url + "/chat/completions", json={"stream": True}) as response:
            seen_replayed = list(response.iter_raw())
    assert len(seen_live) > 1 and seen_replayed == seen_live
    body = b"".join(seen_replayed)
    assert body.startswith(b": OPENROUTER PROCESSING\n\n") and body.endswith(b"data: [DONE]\n\n")
    assert item.chunks == seen_live


def test_stream_round_trip_through_send(loopback, project):
    loopback.script(sse_reply([chunk({"role": "assistant", "content": "Par"}), chunk({"content": "is."}, "stop")]))
    recorded = specc(loopback, project, "specs/stream.yaml", "--record")
    replayed = specc(loopback, project, "specs/stream.yaml", "--replay")
    assert recorded.code == replayed.code == 0 and recorded.out == replayed.out == "Paris.\n"
    text = cassette_of(project, "stream.yaml").read_text()
    assert ": OPENROUTER PROCESSING" in text and "data: [DONE]" in text


def test_tool_calls_round_trip(loopback, project):
    call = {"id": "call_1", "type": "function", "function": {"name": "lookup_city", "arguments": "{}"}}
    answer = {**ANSWER, "choices": [{"index": 0, "finish_reason": "tool_calls",
                                     "message": {"role": "assistant", "content": None, "tool_calls": [call]}}]}
    loopback.script(json_reply(answer))
    recorded = specc(loopback, project, "specs/tools.yaml", "--record")
    replayed = specc(loopback, project, "specs/tools.yaml", "--replay", "--json")
    assert recorded.code == replayed.code == 0
    assert json.loads(replayed.out)["choices"][0]["message"]["tool_calls"] == [call]


@pytest.mark.parametrize("status", [400, 401, 402, 429, 503])
def test_error_statuses_round_trip(loopback, project, status):
    loopback.script(json_reply({"error": {"code": status, "message": f"failure {status}"}}, status))
    recorded = specc(loopback, project, "specs/capital.yaml", "--record", "--retries", "0")
    replayed = specc(loopback, project, "specs/capital.yaml", "--replay", "--retries", "0")
    assert recorded.code == replayed.code == 1
    assert f"HTTP {status}" in replayed.err and f"failure {status}" in replayed.err
    assert load_cassette(cassette_of(project, "capital.yaml")).interactions[0].status == status


def test_retries_are_recorded_and_replayed_in_order(loopback, project):
    loopback.script(json_reply({"error": {"code": 429, "message": "slow down"}}, 429, headers={"Retry-After": "0"}),
                    json_reply(ANSWER))
    assert specc(loopback, project, "specs/capital.yaml", "--record").code == 0
    assert [i.status for i in load_cassette(cassette_of(project, "capital.yaml")).interactions] == [429, 200]
    replayed = specc(loopback, project, "specs/capital.yaml", "--replay")
    assert replayed.code == 0 and replayed.out == "Paris.\n" and "retrying" in replayed.err


def test_mid_stream_error_round_trip(loopback, project):
    error = {**chunk({"content": ""}, None), "error": {"code": 502, "message": "Provider disconnected"}}
    loopback.script(sse_reply([chunk({"role": "assistant", "content": "Par"}), error], done=False))
    recorded = specc(loopback, project, "specs/stream.yaml", "--record")
    replayed = specc(loopback, project, "specs/stream.yaml", "--replay")
    assert recorded.code == replayed.code == 1
    assert replayed.out == recorded.out == "Par\n" and "Provider disconnected" in replayed.err


# ------------------------------------------------------------------ modes and matching


def test_once_refuses_to_overwrite_before_sending(loopback, project):
    loopback.script(json_reply(ANSWER))
    assert specc(loopback, project, "specs/capital.yaml", "--record").code == 0
    before = cassette_of(project, "capital.yaml").read_bytes()
    again = specc(loopback, project, "specs/capital.yaml", "--record=once")
    assert again.code == 2 and "already exists" in again.err and "--record=all" in again.err
    assert len(loopback.requests) == 1 and cassette_of(project, "capital.yaml").read_bytes() == before


def test_all_re_records_and_new_adds_only_what_is_missing(loopback, project):
    loopback.script(json_reply(ANSWER))
    specc(loopback, project, "specs/capital.yaml", "--record")
    loopback.script(json_reply({**ANSWER, "choices": [{"index": 0, "finish_reason": "stop",
                                                       "message": {"role": "assistant", "content": "Lyon?"}}]}))
    assert specc(loopback, project, "specs/capital.yaml", "--record=all").out == "Lyon?\n"
    path = cassette_of(project, "capital.yaml")
    assert len(load_cassette(path).interactions) == 1
    assert specc(loopback, project, "specs/capital.yaml", "--record=new").out == "Lyon?\n"
    assert len(loopback.requests) == 2  # the cassette answered the known request
    other = run_cli("send", "specs/capital.yaml", "--record=new", "--base-url", loopback.base_url,
                    "--var", "unused=1", cwd=project)
    assert other.code == 0
    changed = project / "specs" / "capital.yaml"
    changed.write_text(SPEC.replace("France", "Italy"))
    assert specc(loopback, project, "specs/capital.yaml", "--record=new").code == 0
    assert len(load_cassette(path).interactions) == 2 and len(loopback.requests) == 3


def test_replay_of_a_changed_body_shows_what_changed(loopback, project):
    loopback.script(json_reply(ANSWER))
    specc(loopback, project, "specs/capital.yaml", "--record")
    (project / "specs" / "capital.yaml").write_text(SPEC.replace("France", "Italy"))
    result = specc(loopback, project, "specs/capital.yaml", "--replay")
    assert result.code == 2 and "Capital of France?" in result.err and "Capital of Italy?" in result.err
    assert "request.messages[0].content" in result.err


def test_replay_without_a_cassette_says_how_to_record(loopback, project):
    result = specc(loopback, project, "specs/capital.yaml", "--replay")
    assert result.code == 2 and "no cassette" in result.err and "--record" in result.err


def test_replay_needs_no_key(loopback, project, monkeypatch):
    loopback.script(json_reply(ANSWER))
    specc(loopback, project, "specs/capital.yaml", "--record")
    monkeypatch.delenv("OPENROUTER_API_KEY")
    assert specc(loopback, project, "specs/capital.yaml", "--replay").code == 0


def test_matching_is_json_equal_not_byte_equal():
    assert json_equal(b'{"a": 1, "b": [1, 2]}', b'{"b":[1,2],"a":1}')
    assert not json_equal(b'{"a": 1}', b'{"a": true}')
    assert not json_equal(b'{"a": 1}', b'{"a": 2}')


def test_the_cassette_key_overrides_the_default_path(loopback, write_spec):
    spec = write_spec("cassette: recorded/capital.yaml\n" + SPEC, "specs/capital.yaml")
    loopback.script(json_reply(ANSWER))
    assert run_cli("send", str(spec), "--record", "--base-url", loopback.base_url).code == 0
    assert (spec.parent / "recorded" / "capital.yaml").is_file()


def test_expect_is_checked_on_a_live_send(loopback, write_spec):
    spec = write_spec(SPEC + "expect:\n  provider: Anthropic\n  content: {contains: Paris}\n", "expect.yaml")
    loopback.script(json_reply(ANSWER))
    result = run_cli("send", str(spec), "--base-url", loopback.base_url)
    assert result.code == 1 and result.out == "Paris.\n"
    assert "expect provider failed: provider 'OpenAI', expected 'Anthropic'" in result.err
    assert "expect: 2 of 3 passed" in result.err
    spec.write_text(SPEC + "expect:\n  provider: Open*\n")
    assert run_cli("send", str(spec), "--base-url", loopback.base_url).code == 0


# ------------------------------------------------------------------ scrubbing and format


def test_no_key_reaches_the_cassette(loopback, write_spec):
    spec = write_spec("# specc: ignore-file\n" + SPEC.replace("Capital of France?", f"Is {OTHER_KEY} a key?")
                      + "headers:\n  X-Debug-Token: Bearer abcdefghijklmnop\n", "specs/leaky.yaml")
    echoed = {**ANSWER, "choices": [{"index": 0, "finish_reason": "stop",
                                     "message": {"role": "assistant", "content": f"You sent {FAKE_KEY}"}}]}
    loopback.script(json_reply(echoed, headers={"Set-Cookie": "session=s3cr3t", "X-Echo": OTHER_KEY}))
    assert run_cli("send", str(spec), "--record", "--base-url", loopback.base_url).code == 0
    text = (spec.parent.parent / "cassettes" / "specs" / "leaky.yaml").read_text()
    assert FAKE_KEY not in text and OTHER_KEY not in text and "c0ffee11" not in text and "feedbeef" not in text
    assert "s3cr3t" not in text and "abcdefghijklmnop" not in text
    assert "authorization" not in text.lower() and "set-cookie" not in text.lower()
    assert not looks_like_secret(text)
    # the scrubbed recording still answers the request that carried the key
    assert run_cli("send", str(spec), "--replay", "--base-url", loopback.base_url).code == 0


def test_volatile_headers_are_dropped(loopback, project):
    loopback.script(json_reply(ANSWER, headers={"Date": "Tue, 01 Jan 2030 00:00:00 GMT", "CF-Ray": "8f-AMS",
                                                "X-Generation-Id": "gen-1"}))
    specc(loopback, project, "specs/capital.yaml", "--record")
    headers = {k.lower() for k in load_cassette(cassette_of(project, "capital.yaml")).interactions[0].headers}
    assert "date" not in headers and "cf-ray" not in headers and "x-generation-id" in headers


def test_vcrpy_reads_our_cassettes(loopback, project):
    import vcr

    loopback.script(sse_reply([chunk({"role": "assistant", "content": "Paris."}, "stop")]))
    specc(loopback, project, "specs/stream.yaml", "--record")
    path = cassette_of(project, "stream.yaml")
    item = load_cassette(path).interactions[0]
    with vcr.use_cassette(str(path), record_mode="none", match_on=["method", "uri"]):
        response = httpx.post(item.uri, content=item.request_body)
    assert response.status_code == 200 and response.content == item.body


# ------------------------------------------------------------------ robustness


@pytest.mark.parametrize("text, problem", [
    ("interactions: [\n", "not a valid YAML cassette: line"),
    ("- just\n- a list\n", "not a vcrpy cassette"),
    ("version: 7\ninteractions: []\n", "format version 7"),
    ("version: 1\ninteractions:\n- request: {}\n", "interaction 1: missing or malformed field"),
    ("version: 1\ninteractions:\n- request: {method: POST, uri: u, body: '{}'}\n  response:\n"
     "    status: {code: 200}\n    body: {string: abc}\n    chunks: [1, 5]\n", "`chunks` does not add up"),
    ("version: 1\ninteractions:\n- request: {method: POST, uri: u, body: '{}'}\n  response:\n"
     "    status: {code: nine}\n    body: {string: abc}\n", "not an HTTP status code"),
])
def test_a_corrupted_cassette_is_one_clear_error(tmp_path, text, problem):
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with pytest.raises(CassetteError) as caught:
        load_cassette(path)
    assert str(path) in str(caught.value) and problem in str(caught.value)


def test_a_corrupted_cassette_on_replay_is_a_message_not_a_traceback(loopback, project):
    path = cassette_of(project, "capital.yaml")
    path.parent.mkdir(parents=True)
    path.write_text("version: 1\ninteractions: {oops\n")
    result = specc(loopback, project, "specs/capital.yaml", "--replay")
    assert result.code == 2 and "capital.yaml: not a valid YAML cassette" in result.err
    assert "Traceback" not in result.err


def _record_in_a_process(project, base_url, mode):
    env = {**os.environ, "OPENROUTER_API_KEY": FAKE_KEY, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "specc", "send", "specs/stream.yaml", f"--record={mode}",
                             "--base-url", base_url], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_sigkill_mid_recording_leaves_the_old_cassette_intact(loopback, project):
    loopback.script(sse_reply([chunk({"role": "assistant", "content": "Old answer"}, "stop")]))
    assert specc(loopback, project, "specs/stream.yaml", "--record").code == 0
    path = cassette_of(project, "stream.yaml")
    before = path.read_bytes()
    # ends with a character no secret holds, so the stream redactor holds nothing back (see test_send_cli)
    loopback.script(sse_reply([chunk({"role": "assistant", "content": "Half an answer."}), STALL], done=False))
    process = _record_in_a_process(project, loopback.base_url, "all")
    try:
        seen = b""
        deadline = time.monotonic() + 30  # a bound for a broken build, not a timing assertion
        while b"Half an answer." not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([process.stdout], [], [], 1)
            if ready:
                seen += os.read(process.stdout.fileno(), 4096)
        assert b"Half an answer." in seen
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close()
        process.stderr.close()
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # nothing half-written beside it
    assert load_cassette(path).interactions[0].body.count(b"Old answer") == 1


def test_two_recorders_end_with_one_whole_cassette(loopback, project):
    """Two `once` recorders started together: one holds the cassette's lock while it records, the
    other waits for it, finds the cassette and sends nothing (issue 15: it used to send, and be
    billed, before learning the cassette existed)."""
    gate = Gate(timeout=30)

    def reply(received):
        return sse_reply([chunk({"role": "assistant", "content": "one "}), gate, chunk({"content": "answer"}, "stop")])

    loopback.script(reply)
    first = _record_in_a_process(project, loopback.base_url, "once")
    second = _record_in_a_process(project, loopback.base_url, "once")
    try:
        assert gate.reached.wait(30)  # one of them is mid-stream
        gate.open()
        results = [p.communicate(timeout=60) for p in (first, second)]
    finally:
        gate.open()
        for p in (first, second):
            if p.poll() is None:
                p.kill()
    codes = sorted([first.returncode, second.returncode])
    cassette = load_cassette(cassette_of(project, "stream.yaml"))
    assert len(cassette.interactions) == 1 and cassette.interactions[0].body.endswith(b"data: [DONE]\n\n")
    assert codes == [0, 2] and len(loopback.requests) == 1  # one recorded; the other refused before sending
    assert any(b"already exists" in err for _, err in results)


def test_offline_refuses_connections_and_says_what_was_attempted(loopback):
    with offline() as attempts:
        with pytest.raises(NetworkBlocked, match="network access is blocked"):
            httpx.get(loopback.url)
    assert attempts and "127.0.0.1" in attempts[0]
    assert httpx.get(loopback.url).status_code == 500  # restored afterwards


def test_new_mode_keeps_interactions_another_recorder_wrote(tmp_path):
    path = tmp_path / "c.yaml"
    one = Interaction("POST", "http://x/a", b'{"a":1}', 200, "OK", {}, {}, [b"1"])
    two = Interaction("POST", "http://x/a", b'{"a":2}', 200, "OK", {}, {}, [b"2"])
    save_interactions(path, [one], "new")
    save_interactions(path, [two], "new")
    assert [i.body for i in load_cassette(path).interactions] == [b"1", b"2"]
    with pytest.raises(CassetteError, match="already exists"):
        save_interactions(path, [one], "once")


def test_example_cassettes_hold_nothing_that_looks_like_a_key():
    cassettes = sorted((REPO / "cassettes").rglob("*.yaml"))
    assert cassettes
    for path in cassettes:
        assert not looks_like_secret(path.read_text()), path


def test_an_alias_bomb_in_a_cassette_is_refused_at_once(tmp_path):
    levels = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    for where in ("headers: {h: *i}", "method: *i", "uri: *i"):
        request = "{method: POST, uri: u, body: '{}', " + where + "}" if "headers" in where else \
            "{" + where + (", uri: u" if "method" in where else ", method: POST") + ", body: '{}'}"
        path = tmp_path / "bomb.yaml"
        path.write_text(levels + f"version: 1\ninteractions:\n- request: {request}\n"
                        "  response: {status: {code: 200, message: *i}, body: {string: x}}\n")
        with pytest.raises(CassetteError, match="must be text|text values"):
            load_cassette(path)


def test_replay_without_a_chosen_base_url_answers_from_any_host(loopback, project):
    loopback.script(json_reply(ANSWER))
    specc(loopback, project, "specs/capital.yaml", "--record")
    plain = run_cli("send", "specs/capital.yaml", "--replay", cwd=project)  # the default base URL: openrouter.ai
    assert plain.code == 0 and plain.out == "Paris.\n", plain.err
    elsewhere = run_cli("send", "specs/capital.yaml", "--replay", "--base-url", "http://example.test/api/v1",
                        cwd=project)
    assert elsewhere.code == 2 and "pass the --base-url it was recorded with" in elsewhere.err
    assert loopback.base_url in elsewhere.err


def test_the_example_specs_replay_from_their_cassettes(monkeypatch):
    monkeypatch.delenv("OPENROUTER_API_KEY")
    for spec in ("specs/chat-streaming.yaml", "specs/order-status-tool-followup.yaml"):
        result = run_cli("send", spec, "--replay", cwd=REPO)
        assert result.code == 0 and "(loopback answer to:" in result.out, result.err


def test_a_cassette_key_outside_the_project_is_refused(loopback, write_spec):
    spec = write_spec("cassette: ../../elsewhere.yaml\n" + SPEC, "specs/capital.yaml")
    loopback.script(json_reply(ANSWER))
    result = run_cli("send", str(spec), "--record", "--base-url", loopback.base_url)
    # found by lint (E009) before anything is sent, like every other error in the spec
    assert result.code == 1 and "E009" in result.err and "leads outside the project" in result.err
    assert not loopback.requests
    tested = run_cli("test", str(spec))
    assert tested.code == 1 and "leads outside the project" in tested.out


def test_an_unwritable_cassette_folder_is_one_clear_error(loopback, project):
    (project / "cassettes").write_text("a file where the folder should be")
    loopback.script(json_reply(ANSWER))
    result = specc(loopback, project, "specs/capital.yaml", "--record")
    # Known before anything is sent (the cassette's lock is taken first): nothing billed for nothing.
    assert result.code == 2 and "cannot create the cassette folder" in result.err
    assert result.out == "" and loopback.requests == [] and "internal error" not in result.err
    all_mode = specc(loopback, project, "specs/capital.yaml", "--record=all")
    assert all_mode.code == 1 and "cannot create the cassette folder" in all_mode.err and "internal error" not in all_mode.err


def test_a_fifo_in_place_of_a_cassette_is_refused_not_read(tmp_path):
    path = tmp_path / "fifo.yaml"
    os.mkfifo(path)
    with pytest.raises(CassetteError, match="not a regular file"):
        load_cassette(path)


def test_record_before_the_spec_path_and_every_spelling_of_the_mode(loopback, project):
    """`specc send --record specs/x.yaml` failed: the optional mode swallowed the spec path."""
    loopback.script(json_reply(ANSWER), json_reply(ANSWER), json_reply(ANSWER))
    first = run_cli("send", "--record", "specs/capital.yaml", "--base-url", loopback.base_url, cwd=project)
    assert first.code == 0, first.err
    recorded = cassette_of(project, "capital.yaml")
    assert recorded.exists()
    for spelling in (["--record=all"], ["--record-mode", "all"]):
        again = run_cli("send", *spelling, "specs/capital.yaml", "--base-url", loopback.base_url, cwd=project)
        assert again.code == 0, (spelling, again.err)
    assert len(loopback.requests) == 3
    bad = run_cli("send", "specs/capital.yaml", "--record=sometimes", cwd=project)
    assert bad.code == 2 and "invalid choice: 'sometimes'" in bad.err


def test_specc_test_and_the_cassette_modules_never_import_httpx():
    """`specc.transport` (the only cassette module that imports httpx) loads only where sending happens:
    `specc test`, `specc.cassette`, `specc.offline` and `specc.replay` itself leave httpx unimported."""
    code = ("import sys; import specc.replay, specc.cassette, specc.offline; from specc.cli import main;"
            "code = main(['test', 'specs']); print(code, sorted(m for m in ('httpx', 'specc.transport') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stdout + done.stderr
    from specc.replay import CassetteTransport  # the compatibility names still resolve, on first use

    assert issubclass(CassetteTransport, httpx.BaseTransport)
