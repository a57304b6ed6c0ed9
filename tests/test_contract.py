"""The three checks of `specc test` on one spec and its cassette: drift, response contract, expect."""

from __future__ import annotations

import json

import pytest
from conftest import shared_path

from specc.contract import FAILED, PASSED, SKIPPED, check_spec, format_diff, json_diff
from specc.replay import Interaction, save_interactions

URI = "https://openrouter.ai/api/v1/chat/completions"
BODY = {"model": "openai/gpt-4o", "messages": [{"role": "user", "content": "Capital of France?"}]}
SPEC = """\
request:
  model: openai/gpt-4o
  messages:
    - role: user
      content: "Capital of France?"
"""
ANSWER = {
    "id": "gen-1", "object": "chat.completion", "created": 1780944466, "model": "openai/gpt-4o-2024-08-06",
    "provider": "OpenAI", "system_fingerprint": None,
    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Paris."}}],
    "usage": {"prompt_tokens": 12, "completion_tokens": 2, "total_tokens": 14, "cost": 0.00004},
}


def chunk(delta, finish=None, **extra):
    return {"id": "gen-s1", "object": "chat.completion.chunk", "created": 1, "model": "openai/gpt-4o",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}


def sse(*events, done=True):
    text = ": OPENROUTER PROCESSING\n\n" + "".join(f"data: {json.dumps(e)}\n\n" for e in events)
    return (text + ("data: [DONE]\n\n" if done else "")).encode()


def interaction(body=BODY, status=200, response=ANSWER, stream=False):
    raw = response if isinstance(response, bytes) else json.dumps(response).encode()
    content_type = "text/event-stream" if stream else "application/json"
    return Interaction("POST", URI, json.dumps(body).encode(), status, "", {}, {"Content-Type": [content_type]}, [raw])


@pytest.fixture
def run(write_spec, checker):
    """Write the spec and its cassette (at the default place), then run the checks."""
    def go(spec_text=SPEC, *items, require=False):
        path = write_spec(spec_text, "specs/s.yaml")
        if items:
            save_interactions(path.parent.parent / "cassettes" / "specs" / "s.yaml", list(items), "all")
        return check_spec(checker.check_path(path), checker.schemas, require)

    return go


def by_name(outcome):
    return {c.name: c for c in outcome.checks}


def test_everything_passes(run):
    outcome = run(SPEC, interaction())
    assert outcome.status == PASSED, outcome.checks
    assert set(by_name(outcome)) == {"drift", "response", "expect.status"}


def test_no_cassette_is_skipped_or_with_require_failed(run):
    assert run(SPEC).status == SKIPPED
    outcome = run(SPEC, require=True)
    assert outcome.status == FAILED and "no cassette" in outcome.checks[0].message


def test_a_spec_with_errors_fails_before_the_cassette(run):
    outcome = run("request: {model: 5}\n", interaction())
    assert outcome.status == FAILED and outcome.checks[0].name == "spec"


# ------------------------------------------------------------------ drift


def test_a_one_word_change_is_drift_shown_as_a_diff_at_its_position(run):
    outcome = run(SPEC.replace("France", "Italy"), interaction())
    drift = by_name(outcome)["drift"]
    assert outcome.status == FAILED and not drift.ok
    assert '~ request.messages[0].content: "Capital of France?" -> "Capital of Italy?"' in drift.message
    assert (drift.span.line, drift.span.column) == (5, 16)


def test_added_and_removed_fields_are_listed():
    changes = json_diff({"model": "a", "temperature": 0.5, "models": ["x", "y"]},
                        {"model": "a", "models": ["x"], "provider": {"sort": "price"}})
    assert format_diff(changes) == ['- request.temperature: 0.5', '- request.models[1]: "y"',
                                    '+ request.provider: {"sort": "price"}']


def test_a_long_prompt_diff_shows_only_the_changed_words():
    old = "word " * 50 + "alpha " + "word " * 50
    [line] = format_diff(json_diff({"p": old}, {"p": old.replace("alpha", "beta")}))
    assert "alpha" in line and "beta" in line and len(line) < 160


def test_json_equal_bodies_do_not_drift(run):
    reordered = {"messages": BODY["messages"], "model": BODY["model"]}
    assert by_name(run(SPEC, interaction(body=reordered)))["drift"].ok


def test_true_is_not_one(run):
    spec = SPEC + "  temperature: 1\n"
    assert not by_name(run(spec, interaction(body={**BODY, "temperature": True})))["drift"].ok


# ------------------------------------------------------------------ response contract


def test_a_response_missing_a_required_field_fails_the_contract(run):
    broken = {k: v for k, v in ANSWER.items() if k != "created"}
    response = by_name(run(SPEC, interaction(response=broken)))["response"]
    assert not response.ok and "ChatResult" in response.message and "created" in response.message


def test_a_padded_json_body_is_fine(run):
    padded = b"\n   \n" + json.dumps(ANSWER).encode()
    assert run(SPEC, interaction(response=padded)).status == PASSED


def test_every_stream_chunk_is_checked(run):
    stream_spec = SPEC.replace("request:\n", "request:\n  stream: true\n")
    body = {**BODY, "stream": True}
    good = sse(chunk({"role": "assistant", "content": "Par"}), chunk({"content": "is."}, "stop"))
    outcome = run(stream_spec, interaction(body=body, response=good, stream=True))
    assert outcome.status == PASSED, outcome.checks
    assert "2 chunk(s) fit ChatStreamChunk, 1 comment line(s)" in by_name(outcome)["response"].message
    bad = sse(chunk({"content": "Par"}), {**chunk({"content": "is."}, "stop"), "created": "yesterday"})
    response = by_name(run(stream_spec, interaction(body=body, response=bad, stream=True)))["response"]
    assert not response.ok and "chunk 2" in response.message


def test_a_stream_without_done_fails(run):
    body = {**BODY, "stream": True}
    truncated = sse(chunk({"content": "Par"}), done=False)
    response = by_name(run(SPEC.replace("request:\n", "request:\n  stream: true\n"),
                           interaction(body=body, response=truncated, stream=True)))["response"]
    assert not response.ok and "[DONE]" in response.message


def test_a_mid_stream_error_is_reported_as_such(run):
    body = {**BODY, "stream": True}
    error = {**chunk({"content": ""}, "error"), "error": {"code": 502, "message": "Provider disconnected"}}
    stream = sse(chunk({"role": "assistant", "content": "Par"}), error, done=False)
    response = by_name(run(SPEC.replace("request:\n", "request:\n  stream: true\n"),
                           interaction(body=body, response=stream, stream=True)))["response"]
    assert not response.ok and "mid-stream error after HTTP 200: code 502: 'Provider disconnected'" in response.message


def test_error_bodies_are_checked_against_their_status_schema(run):
    valid = {"error": {"code": 429, "message": "Rate limit exceeded"}}
    outcome = run(SPEC + "expect: {status: 429}\n", interaction(status=429, response=valid))
    assert outcome.status == PASSED, outcome.checks
    assert "TooManyRequestsResponse" in by_name(outcome)["response"].message
    invalid = {"message": "no error object"}
    response = by_name(run(SPEC + "expect: {status: 400}\n", interaction(status=400, response=invalid)))["response"]
    assert not response.ok and "BadRequestResponse" in response.message


def test_an_error_status_fails_the_default_expectation(run):
    outcome = run(SPEC, interaction(status=402, response={"error": {"code": 402, "message": "no credits"}}))
    assert outcome.status == FAILED and not by_name(outcome)["expect.status"].ok


# ------------------------------------------------------------------ expectations


def test_expectations_run_on_the_assembled_stream(run):
    spec = SPEC.replace("request:\n", "request:\n  stream: true\n") + (
        "expect:\n  finish_reason: stop\n  content: {contains: Paris}\n  usage: {max_total_tokens: 10}\n")
    stream = sse(chunk({"role": "assistant", "content": "Par"}),
                 chunk({"content": "is."}, "stop", usage={"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11}))
    outcome = run(spec, interaction(body={**BODY, "stream": True}, response=stream, stream=True))
    checks = by_name(outcome)
    assert checks["expect.finish_reason"].ok and checks["expect.content.contains"].ok
    assert not checks["expect.usage.max_total_tokens"].ok and outcome.status == FAILED
    span = checks["expect.usage.max_total_tokens"].span
    assert (span.line, span.column) == (10, 29)  # points at the bound in the spec


# ------------------------------------------------------------------ the real corpus


def corpus_names():
    folder = shared_path("corpus", "responses")
    return sorted(p.stem for p in folder.glob("*.json"))


def test_real_responses_pass_drift_and_contract(write_spec, checker):
    failures = []
    for name in corpus_names():
        root = shared_path("corpus")
        request = json.loads((root / "requests" / f"{name}.json").read_text())
        response = json.loads((root / "responses" / f"{name}.json").read_text())
        spec_text = json.dumps({"request": request, "expect": {"status": response["status"]}})
        path = write_spec(spec_text, f"specs/{name}.yaml")
        content_type = "text/event-stream" if response["stream"] else response["headers"]["content-type"]
        item = Interaction("POST", URI, json.dumps(request).encode(), response["status"], "", {},
                           {"content-type": [content_type]}, [response["body"].encode()])
        save_interactions(path.parent.parent / "cassettes" / "specs" / f"{name}.yaml", [item], "all")
        result = checker.check_path(path)
        outcome = check_spec(result, checker.schemas)
        checks = {c.name: c for c in outcome.checks}
        if not (checks.get("drift") and checks["drift"].ok and checks["response"].ok and outcome.status == PASSED):
            failures.append((name, [c for c in outcome.checks if not c.ok]))
    assert failures == []
