"""Faults around the files specc writes: cassettes (hand-edited, corrupted, hostile, recorded by
two processes at once) and atomic writes of fixes, compiled bodies and the lint cache.

The SIGKILL-mid-recording and two-`once`-recorders cases are in tests/test_replay.py; here
the same guarantees are driven through `specc test` and `--record=all`, and every write path
is made to fail half-way to prove the user's file survives.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli
from server import Gate, json_reply, sse_reply

KEY = "sk-or-v1-" + "5eed" * 16
SPEC = "request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: hi\n"
ANSWER = {"id": "gen-1", "object": "chat.completion", "created": 1, "model": "openai/gpt-4o", "provider": "OpenAI",
          "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Paris"}}],
          "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'cassettes'\n")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "capital.yaml").write_text(SPEC)
    return tmp_path


def cassette(project: Path) -> Path:
    return project / "cassettes" / "specs" / "capital.yaml"


def record(project: Path, loopback, *extra: str):
    return run_cli("send", "specs/capital.yaml", "--record", *extra, "--base-url", loopback.base_url,
                   "--retries", "0", cwd=project, env={"OPENROUTER_API_KEY": KEY})


# ------------------------------------------------------------------ corrupted and hand-edited cassettes

BROKEN = {
    "truncated": b"version: 1\ninteractions:\n- request:\n    method: POST\n    uri: 'http://x",
    "binary": bytes(range(256)) * 4,
    "not-utf8": b"version: 1\ninteractions: []\n# \xff\xfe\n",
    "empty": b"",
    "a-list": b"- 1\n- 2\n",
    "wrong-version": b"version: 99\ninteractions: []\n",
    "interactions-mapping": b"version: 1\ninteractions: {a: 1}\n",
    "no-response": b"version: 1\ninteractions:\n- request: {method: POST, uri: u, body: '{}', headers: {}}\n",
    "status-text": b"version: 1\ninteractions:\n- request: {method: POST, uri: u, body: '{}', headers: {}}\n"
                   b"  response: {status: {code: ok}, headers: {}, body: {string: x}}\n",
    "alias-bomb": b"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                  b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                  b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                  b"version: 1\ninteractions: *f\n",
    "deep": b"version: 1\ninteractions: " + b"[" * 50_000 + b"]" * 50_000 + b"\n",
    "python-tag": b"version: 1\ninteractions: !!python/object/apply:os.system ['echo pwned']\n",
}


@pytest.mark.parametrize("name", BROKEN)
@pytest.mark.parametrize("fmt", ["text", "json", "junit"])
def test_broken_cassette_in_specc_test_names_the_file(project, name, fmt):
    cassette(project).parent.mkdir(parents=True)
    cassette(project).write_bytes(BROKEN[name])
    result = run_cli("test", "--format", fmt, "specs", cwd=project)
    assert "Traceback" not in result.err and "pwned" not in result.out + result.err
    assert result.code != 0
    assert "capital.yaml" in result.out + result.err


@pytest.mark.parametrize("name", ["truncated", "binary", "alias-bomb", "deep", "python-tag"])
def test_broken_cassette_on_replay_is_a_message(project, name):
    cassette(project).parent.mkdir(parents=True)
    cassette(project).write_bytes(BROKEN[name])
    result = run_cli("send", "specs/capital.yaml", "--replay", cwd=project)
    assert result.code in (1, 2) and "capital.yaml" in result.err and "Traceback" not in result.err


def test_a_fifo_cassette_is_refused_without_blocking(project):
    cassette(project).parent.mkdir(parents=True)
    os.mkfifo(cassette(project))
    try:
        run = subprocess.run([sys.executable, "-m", "specc", "test", "specs"], cwd=project,
                             capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:  # pragma: no cover - the failure this test exists for
        pytest.fail("specc test blocked reading a FIFO cassette")
    assert run.returncode != 0 and "capital.yaml" in run.stdout + run.stderr and "Traceback" not in run.stderr


def test_a_hand_edited_recorded_cassette_is_judged_not_crashed(project, loopback):
    loopback.script(json_reply(ANSWER))
    assert record(project, loopback).code == 0
    text = cassette(project).read_text()
    edited = text.replace("Paris", "Lyon")  # a reviewer "fixes" the recorded answer: still a valid cassette
    cassette(project).write_text(edited)
    assert run_cli("test", "specs", cwd=project).code in (0, 1)
    cassette(project).write_text(text.replace("status:", "statut:", 1))  # a key renamed by hand
    result = run_cli("test", "specs", cwd=project)
    assert result.code != 0 and "capital.yaml" in result.out + result.err and "Traceback" not in result.err


# ------------------------------------------------------------------ two recorders re-recording at once


def test_two_processes_recording_all_end_with_one_whole_cassette(project, loopback):
    gates = [Gate(), Gate()]
    answers = iter(gates)

    def reply(received):
        return sse_reply([{"id": "g", "object": "chat.completion.chunk", "created": 1, "model": "openai/gpt-4o",
                           "choices": [{"index": 0, "delta": {"content": "one "}, "finish_reason": None}]},
                          next(answers),
                          {"id": "g", "object": "chat.completion.chunk", "created": 1, "model": "openai/gpt-4o",
                           "choices": [{"index": 0, "delta": {"content": "answer"}, "finish_reason": "stop"}]}])

    loopback.script(reply)
    (project / "specs" / "capital.yaml").write_text(SPEC + "  stream: true\n")
    env = {**os.environ, "OPENROUTER_API_KEY": KEY}
    command = [sys.executable, "-m", "specc", "send", "specs/capital.yaml", "--record=all", "--base-url", loopback.base_url]
    processes = [subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in gates]
    try:
        for gate in gates:
            assert gate.reached.wait(60)  # both are mid-stream at once
        for gate in gates:
            gate.open()
        outputs = [p.communicate(timeout=60) for p in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    assert all(b"Traceback" not in err for _, err in outputs)
    from specc.replay import load_cassette

    recorded = load_cassette(cassette(project))
    assert len(recorded.interactions) == 1
    assert recorded.interactions[0].body.endswith(b"data: [DONE]\n\n")
    assert [p.name for p in cassette(project).parent.iterdir()] == ["capital.yaml"]
    assert run_cli("test", "specs", cwd=project).code == 0


# ------------------------------------------------------------------ a write that fails half-way loses nothing


@pytest.fixture
def failing_replace(monkeypatch):
    """Every atomic rename fails, as if the process died just before it (disk full, crash)."""
    def refuse(src, dst, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)


def test_fix_that_cannot_be_written_keeps_the_spec(project, failing_replace):
    spec = project / "specs" / "fixable.yaml"
    original = SPEC + "  max_tokens: 100\n  usage:\n    include: true\n  # a comment the user keeps\n"
    spec.write_text(original)
    result = run_cli("lint", "--fix", "--no-cache", "specs/fixable.yaml", cwd=project)
    assert "Traceback" not in result.err and result.code != 0
    assert spec.read_text() == original
    assert sorted(p.name for p in spec.parent.iterdir()) == ["capital.yaml", "fixable.yaml"]  # no temp file left


def test_compile_output_that_cannot_be_written_keeps_the_old_file(project, failing_replace):
    out = project / "body.json"
    out.write_text('{"old": true}\n')
    result = run_cli("compile", "specs/capital.yaml", "-o", "body.json", cwd=project)
    assert "Traceback" not in result.err and result.code != 0
    assert json.loads(out.read_text()) == {"old": True}


def test_recording_that_cannot_be_written_keeps_the_old_cassette(project, loopback, monkeypatch):
    loopback.script(json_reply(ANSWER))
    assert record(project, loopback).code == 0
    before = cassette(project).read_bytes()
    monkeypatch.setattr(os, "replace", lambda *a, **k: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    loopback.script(json_reply({**ANSWER, "choices": [{**ANSWER["choices"][0], "message": {"role": "assistant", "content": "Rome"}}]}))
    result = record(project, loopback, "all")
    assert "Traceback" not in result.err and result.code != 0
    assert cassette(project).read_bytes() == before


def test_lint_cache_that_cannot_be_written_does_not_break_lint(project, failing_replace):
    first = run_cli("lint", "--format", "json", "specs", cwd=project)
    second = run_cli("lint", "--format", "json", "specs", cwd=project)
    assert "Traceback" not in first.err + second.err
    assert first.code == second.code == 0
    assert json.loads(first.out)["diagnostics"] == json.loads(second.out)["diagnostics"] == []


# ------------------------------------------------------------------ issue 15: JSON in a cassette that nests too deep


def test_a_cassette_answer_nested_too_deep_is_reported_and_the_other_specs_still_are(project, loopback):
    import yaml

    loopback.script(json_reply(ANSWER))
    assert record(project, loopback).code == 0
    recorded = yaml.safe_load(cassette(project).read_text())
    (project / "specs" / "other.yaml").write_text(SPEC.replace("hi", "hello"))
    other = project / "cassettes" / "specs" / "other.yaml"
    other.write_text(cassette(project).read_text().replace("content: hi", "content: hello")
                     .replace('"content":"hi"', '"content":"hello"'))
    recorded["interactions"][0]["response"]["body"]["string"] = "[" * 100_000 + "]" * 100_000
    cassette(project).write_text(yaml.safe_dump(recorded))
    for fmt in ("text", "json"):
        result = run_cli("test", "--format", fmt, "specs", cwd=project)
        assert "Traceback" not in result.err and "internal error" not in result.err and "RecursionError" not in result.err
        assert result.code == 1, result.out + result.err
        assert "capital.yaml" in result.out and "other.yaml" in result.out, result.out
        assert "nested deeper than 100 levels" in result.out + result.err


# ------------------------------------------------------------------ issue 15: two `once` recorders, one request


def _blocked_on_a_lock(pid: int) -> bool:
    try:
        return "flock" in Path(f"/proc/{pid}/wchan").read_text() or "lock" in Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return False


def test_two_once_recorders_send_one_request(project, loopback):
    """The second recorder waits on the cassette's lock while the first is mid-answer, then finds
    the cassette and refuses without sending: the server sees exactly one (billed) request."""
    import time

    gate = Gate(timeout=120)

    def reply(received):
        return sse_reply([{"id": "g", "object": "chat.completion.chunk", "created": 1, "model": "openai/gpt-4o",
                           "choices": [{"index": 0, "delta": {"content": "one "}, "finish_reason": None}]},
                          gate,
                          {"id": "g", "object": "chat.completion.chunk", "created": 1, "model": "openai/gpt-4o",
                           "choices": [{"index": 0, "delta": {"content": "answer"}, "finish_reason": "stop"}]}])

    loopback.script(reply)
    (project / "specs" / "capital.yaml").write_text(SPEC + "  stream: true\n")
    env = {**os.environ, "OPENROUTER_API_KEY": KEY}
    command = [sys.executable, "-m", "specc", "send", "specs/capital.yaml", "--record=once", "--retries", "0",
               "--base-url", loopback.base_url]
    first = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    second = None
    try:
        assert gate.reached.wait(60)  # the first is mid-answer, its cassette not yet written
        second = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # Let the second run up to where it sends or waits (not a timing assertion: either outcome is seen).
        for _ in range(600):
            if len(loopback.requests) > 1 or second.poll() is not None or _blocked_on_a_lock(second.pid):
                break
            time.sleep(0.1)
        gate.open()
        out_first, err_first = first.communicate(timeout=60)
        out_second, err_second = second.communicate(timeout=60)
    finally:
        gate.open()
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
    assert len(loopback.requests) == 1, "the second recorder sent a request"
    assert first.returncode == 0 and out_first.decode().startswith("one answer"), err_first
    assert second.returncode == 2 and b"already exists" in err_second, err_second
    assert b"Traceback" not in err_first + err_second
    assert [p.name for p in cassette(project).parent.iterdir()] == ["capital.yaml"]  # no lock file left
