"""No key leaks: every command and failure path, with a recognisable fake key everywhere a key can hide.

The key (generated per run: `sk-or-v1-` + 64 hex) sits in the environment, in a spec (in the
request, in a `!file` include and in an `extends` base), in a server's answer and in a
server's error message. Every byte specc writes (stdout, stderr, DEBUG logs, every file it
creates under the project) is then searched for the key and for its distinctive tail.
"""

from __future__ import annotations

import json
import logging
import secrets
from pathlib import Path

import pytest

from conftest import run_cli
from server import json_reply, sse_reply

KEY = "sk-or-v1-" + secrets.token_hex(32)
TAIL = KEY[-16:]
ANSWER = {"id": "gen-1", "object": "chat.completion", "created": 1, "model": "openai/gpt-4o", "provider": "OpenAI",
          "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": f"echo {KEY}"}}],
          "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
CLEAN = "request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: hi\n"


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'leaks'\n")
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "clean.yaml").write_text(CLEAN)
    (specs / "stream.yaml").write_text(CLEAN + "  stream: true\n")
    (specs / "inline.yaml").write_text(CLEAN.replace("content: hi", f"content: 'my key is {KEY}'"))
    (specs / "headers.yaml").write_text(CLEAN + f"headers:\n  X-Debug: {KEY}\n")
    (specs / "prompt.txt").write_text(f"use {KEY} to call the API\n")
    (specs / "included.yaml").write_text(CLEAN.replace("content: hi", "content: !file prompt.txt"))
    (specs / "base.yaml").write_text(f"vars:\n  token: {KEY}\nrequest:\n  temperature: 0.1\n")
    (specs / "child.yaml").write_text("extends: base.yaml\n" + CLEAN)
    (specs / "vars.yaml").write_text("vars:\n  who: x\n" + CLEAN.replace("content: hi", "content: 'hi {{ who }}'"))
    return tmp_path


class Outputs:
    """Everything specc wrote during a test: CLI streams and the files it created or changed."""

    def __init__(self, root: Path):
        self.root = root
        self.before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
        self.streams: list[tuple[str, str]] = []

    def run(self, *args: str, **env: str):
        result = run_cli(*args, cwd=self.root, env={"OPENROUTER_API_KEY": KEY, **env})
        self.streams.append((f"{' '.join(args)}: stdout", result.out))
        self.streams.append((f"{' '.join(args)}: stderr", result.err))
        assert "Traceback" not in result.err, result.err
        return result

    def written(self) -> list[tuple[str, bytes]]:
        return [(str(p), p.read_bytes()) for p in self.root.rglob("*")
                if p.is_file() and self.before.get(p) != p.read_bytes()]

    def assert_no_key(self, logs: str) -> None:
        leaks = [where for where, text in [*self.streams, ("logs", logs)] if KEY in text or TAIL in text]
        leaks += [where for where, data in self.written() if KEY.encode() in data or TAIL.encode() in data]
        assert leaks == [], f"the key leaked into: {leaks}"


@pytest.fixture
def outputs(project, caplog, capfd):
    caplog.set_level(logging.DEBUG)  # httpx/httpcore debug logging included
    recorder = Outputs(project)
    yield recorder
    real_out, real_err = capfd.readouterr()  # anything written past the CLI's streams
    recorder.streams += [("process stdout", real_out), ("process stderr", real_err)]
    records = caplog.get_records("setup") + caplog.get_records("call")
    logs = "\n".join(f"{r.getMessage()} {r.args} {r.exc_text or ''}" for r in records)
    recorder.assert_no_key(logs)


SPECS_WITH_KEY = ["specs/inline.yaml", "specs/headers.yaml", "specs/included.yaml", "specs/child.yaml"]


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "junit"])
def test_lint_every_format_finds_the_key_and_never_prints_it(outputs, fmt):
    for spec in SPECS_WITH_KEY:
        result = outputs.run("lint", "--format", fmt, "--no-cache", spec)
        assert result.code == 1
        assert "OR801" in result.out or "hard-coded-api-key" in result.out, (spec, result.out)
    outputs.run("lint", "--format", fmt, "--output", f"report.{fmt}", "--statistics", "specs")
    assert (outputs.root / f"report.{fmt}").exists()


def test_lint_fix_and_diff(outputs):
    outputs.run("lint", "--diff", "specs")
    outputs.run("lint", "--fix", "specs")


def test_compile_a_spec_holding_a_key(outputs):
    for spec in SPECS_WITH_KEY:
        result = outputs.run("compile", spec)
        assert result.code == 1  # the hard-coded key is an error: nothing compiled
        result = outputs.run("compile", spec, "-o", "out.json")
    result = outputs.run("compile", "specs/vars.yaml", "--var", f"who={KEY}")
    assert result.code in (0, 1)


def test_send_dry_run_curl_json_and_answers(outputs, loopback):
    base = ["--base-url", loopback.base_url, "--retries", "0"]
    for flag in ("--dry-run", "--curl"):
        result = outputs.run("send", "specs/clean.yaml", flag, *base)
        assert result.code == 0 and ("REDACTED" in result.out or "$OPENROUTER_API_KEY" in result.out)
    loopback.script(json_reply(ANSWER), json_reply(ANSWER))
    assert outputs.run("send", "specs/clean.yaml", *base).code == 0
    assert outputs.run("send", "specs/clean.yaml", "--json", *base).code == 0
    chunk = {"id": "g", "object": "chat.completion.chunk", "model": "openai/gpt-4o",
             "choices": [{"index": 0, "delta": {"content": f"token {KEY} end"}, "finish_reason": None}]}
    loopback.script(sse_reply([chunk]))
    assert outputs.run("send", "specs/stream.yaml", *base).code == 0


@pytest.mark.parametrize("status", [400, 401, 402, 403, 429, 502])
def test_send_api_errors_echoing_the_key(outputs, loopback, status):
    error = {"error": {"code": status, "message": f"Invalid key {KEY}", "metadata": {"raw": f"Bearer {KEY}",
                                                                                  "provider_name": KEY}}}
    loopback.script(json_reply(error, status))
    result = outputs.run("send", "specs/clean.yaml", "--base-url", loopback.base_url, "--retries", "0")
    assert result.code == 1
    loopback.script(json_reply(error, status))
    outputs.run("send", "specs/clean.yaml", "--json", "--base-url", loopback.base_url, "--retries", "0")


def test_send_network_failures_and_bad_base_urls(outputs):
    outputs.run("send", "specs/clean.yaml", "--base-url", f"http://specc-test.invalid/{KEY}", "--retries", "0")
    outputs.run("send", "specs/clean.yaml", "--base-url", f"ftp://{KEY}@example.com", "--retries", "0")
    outputs.run("send", "specs/clean.yaml", "--base-url", f"http://user:{KEY}@specc-test.invalid/", "--retries", "0")


def test_send_refuses_specs_with_keys_and_usage_errors(outputs, loopback):
    for spec in SPECS_WITH_KEY:
        outputs.run("send", spec, "--base-url", loopback.base_url, "--dry-run")
    outputs.run("send", f"specs/{KEY}.yaml", "--base-url", loopback.base_url)
    outputs.run("compile", f"specs/{KEY}.yaml")
    outputs.run("lint", f"specs/{KEY}.yaml")
    outputs.run("compile", "specs/clean.yaml", "--var", f"{KEY}")


def test_record_replay_and_contract_test(outputs, loopback):
    loopback.script(json_reply(ANSWER))
    outputs.run("send", "specs/clean.yaml", "--record", "--base-url", loopback.base_url, "--retries", "0")
    error = {"error": {"code": 401, "message": f"bad key {KEY}"}}
    loopback.script(json_reply(error, 401))
    outputs.run("send", "specs/stream.yaml", "--record", "--base-url", loopback.base_url, "--retries", "0")
    outputs.run("send", "specs/clean.yaml", "--replay")
    for fmt in ("text", "json", "junit"):
        outputs.run("test", "--format", fmt, "specs")
    assert any("cassettes" in where for where, _ in outputs.written()), "nothing was recorded"


def test_rules_rule_schema_and_models(outputs):
    outputs.run("rules")
    outputs.run("rule", "OR801")
    outputs.run("rule", KEY)
    outputs.run("schema", "vendor", f"https://specc-test.invalid/{KEY}/openapi.yaml")
    outputs.run("models", "show", KEY)
    outputs.run("models", "search", KEY)


def test_lint_compile_test_and_dry_runs_open_no_connection(outputs, monkeypatch):
    """SECURITY.md's promise: no network in lint, compile and test (nor in --dry-run / --curl)."""
    import socket

    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args))
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for fmt in ("text", "json", "sarif"):
        outputs.run("lint", "--format", fmt, "--no-cache", "specs")
    outputs.run("compile", "specs/clean.yaml")
    outputs.run("test", "specs")
    outputs.run("send", "specs/clean.yaml", "--dry-run")
    outputs.run("send", "specs/clean.yaml", "--curl")
    assert attempts == []


# ------------------------------------------------------------------ the one scrubbing function


def test_scrub_removes_the_key_whole_or_cut(monkeypatch):
    from specc.secrets import KEY_PLACEHOLDER, scrub

    monkeypatch.setenv("OPENROUTER_API_KEY", KEY)
    secret = KEY.split("-")[-1]
    for text in (KEY, f"Bearer {KEY}", f"x{KEY}y", f"...{secret[-20:]}", f"{secret[:20]}...", f"key={secret}",
                 json.dumps({"k": KEY}), f"http://u:{KEY}@host/"):
        cleaned = scrub(text)
        assert KEY not in cleaned and TAIL not in cleaned and secret[:12] not in cleaned, text
        assert scrub(cleaned) == cleaned  # idempotent
    assert scrub(f"Bearer {KEY_PLACEHOLDER}") == f"Bearer {KEY_PLACEHOLDER}"
    ordinary = "model: openai/gpt-4o, temperature 0.2, see https://openrouter.ai/docs"
    assert scrub(ordinary) == ordinary


def test_scrub_catches_keys_not_in_the_environment(monkeypatch):
    from specc.secrets import scrub

    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    other = "sk-or-v1-" + secrets.token_hex(32)
    assert other[-16:] not in scrub(f"error: invalid key {other}")
    assert "ghp_" not in scrub("token ghp_" + "a" * 36)


# ------------------------------------------------------------------ issue 15: the six leaks


def _cache_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (root / ".specc_cache").rglob("*") if p.is_file())


def test_cache_never_holds_a_var_value_raw(outputs):
    """`specc lint --var t=$KEY` wrote the whole key into .specc_cache/; any value stays out of it."""
    plain = "an-ordinary-value-" + secrets.token_hex(4)
    for value in (KEY, plain):
        assert outputs.run("lint", "--var", f"who={value}", "specs/vars.yaml").code == 0
    cached = _cache_bytes(outputs.root)
    assert cached and KEY.encode() not in cached and plain.encode() not in cached
    salt = (outputs.root / ".specc_cache" / "salt").read_text()
    assert len(salt) >= 32
    # the salted key still tells runs apart: another value is another cache entry, the same value a hit
    assert outputs.run("lint", "--var", f"who={plain}", "specs/vars.yaml").code == 0


def test_salted_digest_depends_on_the_folders_salt(tmp_path):
    from specc.cache import salted_digest

    first, again = salted_digest(tmp_path / "a", KEY), salted_digest(tmp_path / "a", KEY)
    assert first == again and first != salted_digest(tmp_path / "b", KEY) and KEY not in first


def test_server_quoting_the_middle_of_the_key(outputs, loopback):
    """scrub redacted only the key's ends: a reply quoting its middle printed 19 real hex characters."""
    middle = KEY[25:44]
    answer = json.loads(json.dumps(ANSWER))
    answer["choices"][0]["message"]["content"] = f"part of it: {middle} (x{KEY[30:50]}y)"
    loopback.script(json_reply(answer), json_reply(answer), json_reply(answer))
    base = ["--base-url", loopback.base_url, "--retries", "0"]
    for extra in ([], ["--json"], ["--record"]):
        outputs.run("send", "specs/clean.yaml", *extra, *base)
    outputs.run("test", "--format", "json", "specs")
    texts = [t for _, t in outputs.streams] + [d.decode("utf-8", "replace") for _, d in outputs.written()]
    assert not [t for t in texts if middle in t or KEY[30:50] in t]


@pytest.mark.parametrize("cut", [12, 40, 60])
def test_key_split_across_two_sse_deltas(outputs, loopback, cut):
    """Scrubbed per delta, 31 of the key's 64 hex characters reached stdout and the cassette."""
    def chunk(text):
        return {"id": "g", "object": "chat.completion.chunk", "model": "openai/gpt-4o",
                "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}

    loopback.script(sse_reply([chunk(f"token {KEY[:cut]}"), chunk(f"{KEY[cut:]} end")]))
    result = outputs.run("send", "specs/stream.yaml", "--record", "--base-url", loopback.base_url, "--retries", "0")
    assert result.code == 0 and "token" in result.out and "end" in result.out
    secret = KEY.split("-")[-1]
    texts = [t for _, t in outputs.streams] + [d.decode("utf-8", "replace") for _, d in outputs.written()]
    assert any("cassettes" in where for where, _ in outputs.written())
    assert not [t for t in texts if any(secret[i:i + 16] in t for i in range(0, len(secret) - 15))]


def test_base64_of_the_key_in_a_401_body(outputs, loopback):
    """The base64 of the key (in a 401 body) reached stderr, --json and the cassette."""
    import base64

    encoded = [base64.b64encode(pad + f"Bearer {KEY}".encode()).decode() for pad in (b"", b"a", b"ab")]
    error = {"error": {"code": 401, "message": f"bad credentials {' '.join(encoded)}",
                       "metadata": {"raw": base64.urlsafe_b64encode(KEY.encode()).decode()}}}
    base = ["--base-url", loopback.base_url, "--retries", "0"]
    for extra in ([], ["--json"], ["--record"]):
        loopback.script(json_reply(error, 401))
        outputs.run("send", "specs/clean.yaml", *extra, *base)
    texts = [t for _, t in outputs.streams] + [d.decode("utf-8", "replace") for _, d in outputs.written()]
    cores = [e[8:40] for e in encoded]
    assert not [t for t in texts if any(core in t for core in cores)]


def test_url_encoded_key_is_redacted(monkeypatch):
    from urllib.parse import quote

    from specc.secrets import scrub

    odd = "Zx9/+q=" + secrets.token_urlsafe(24)
    monkeypatch.setenv("OPENROUTER_API_KEY", odd)
    assert quote(odd, safe="")[3:30] not in scrub(f"GET /?k={quote(odd, safe='')}")


def test_stream_redactor_catches_every_split(monkeypatch):
    from specc.secrets import StreamRedactor

    monkeypatch.setenv("OPENROUTER_API_KEY", KEY)
    text = f"the key {KEY} and again{KEY}."
    for size in (1, 3, 7, 16, 50):
        stream = StreamRedactor()
        out = "".join(stream.feed(text[i:i + size]) for i in range(0, len(text), size)) + stream.finish()
        assert TAIL not in out and KEY[20:36] not in out and out.startswith("the key ") and out.endswith(".")
    stream = StreamRedactor()
    assert stream.feed("Half an answer ") == "Half an answer "  # text that cannot start a key is not held


def test_terminal_control_characters_from_the_server(outputs, loopback):
    """X-Generation-Id and content with escape sequences were printed raw to the terminal."""
    answer = json.loads(json.dumps(ANSWER))
    answer["id"] = "gen-\x1b]0;pwned\x07"
    answer["choices"][0]["message"]["content"] = "hi \x1b[2J\x1b[31mred\x9b1m"
    loopback.script(json_reply(answer, headers={"X-Generation-Id": "gen-\x1b[31m"}), json_reply(answer))
    base = ["--base-url", loopback.base_url, "--retries", "0"]
    text = outputs.run("send", "specs/clean.yaml", *base)
    assert "red" in text.out and "\\u001b" in text.out
    as_json = outputs.run("send", "specs/clean.yaml", "--json", *base)
    assert json.loads(as_json.out)["choices"][0]["message"]["content"] == answer["choices"][0]["message"]["content"]
    for _, stream in outputs.streams:
        assert not any(c in stream for c in "\x1b\x07\x9b"), stream


def _prefixless_specs(root: Path) -> dict[str, str]:
    """Specs holding a secret without any known prefix: the values OR801 must flag and never repeat."""
    import base64

    bare_hex = secrets.token_hex(32)
    encoded = base64.b64encode(f"sk-or-v1-{secrets.token_hex(32)}".encode()).decode()
    # 64 random characters, as generated keys are: at 40, one token in 130 falls under the entropy bar
    random_token = secrets.token_urlsafe(48).replace("-", "a").replace("_", "b") + "Q7z"
    values = {"hex": bare_hex, "base64": encoded, "random": random_token}
    for name, value in values.items():
        # in a field the schema checks (an S101 would quote it) and in a header (sent, --curl)
        (root / "specs" / f"bare_{name}.yaml").write_text(
            CLEAN + f"  temperature: '{value}'\nheaders:\n  X-Token: {value}\n")
    return values


def test_or801_finds_prefixless_secrets_and_no_output_repeats_them(outputs):
    values = _prefixless_specs(outputs.root)
    outputs.before = {p: p.read_bytes() for p in outputs.root.rglob("*") if p.is_file()}  # the specs are input
    for name, value in values.items():
        spec = f"specs/bare_{name}.yaml"
        for fmt in ("text", "json", "sarif"):
            result = outputs.run("lint", "--format", fmt, spec)
            assert result.code == 1 and ("OR801" in result.out or "hard-coded-api-key" in result.out), (name, fmt)
        outputs.run("compile", spec)
        outputs.run("send", spec, "--curl")
        outputs.run("send", spec, "--dry-run")
    texts = [t for _, t in outputs.streams] + [d.decode("utf-8", "replace") for where, d in outputs.written()]
    leaks = [(name, t[:200]) for name, v in values.items() for t in texts if v in t or v[8:24] in t]
    assert leaks == []


def test_or801_stays_quiet_on_ordinary_text_and_media():
    import base64

    from specc.secrets import find_secrets

    ordinary = ["Summarise the release notes in three bullet points.", "openai/gpt-4o-mini:nitro",
                "https://example.com/images/oEx786EYW2ZVL4Xf9hparOVLjHI.png", "gen-1748708011-Q5TMAKDhTBwiwgBqYyxU",
                "call_HkR3x9Qm2ZbLw8TnVd4YpF1s", "toolu_01A09q90qw90lq917835lq9",
                "data:image/png;base64," + base64.b64encode(secrets.token_bytes(3000)).decode(),
                "internationalization_and_localization_configuration_parameters"]
    assert [t[:40] for t in ordinary if find_secrets(t)] == []
    assert find_secrets(secrets.token_hex(32)) and find_secrets("sk-ant-api03-" + "x" * 40)
