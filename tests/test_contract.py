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


STREAM_SPEC = SPEC.replace("request:\n", "request:\n  stream: true\n")
STREAM_BODY = {**BODY, "stream": True}


def test_a_mid_stream_error_is_an_api_error_not_a_contract_failure(run):
    error = {**chunk({"content": ""}, "error"), "error": {"code": 502, "message": "Provider disconnected"}}
    stream = sse(chunk({"role": "assistant", "content": "Par"}), error, done=False)
    outcome = run(STREAM_SPEC, interaction(body=STREAM_BODY, response=stream, stream=True))
    checks = by_name(outcome)
    assert outcome.status == FAILED and checks["response"].ok, checks["response"].message
    reported = checks["api_error"]
    assert not reported.ok and reported.message.startswith("the API reported an error: a mid-stream error after "
                                                           "HTTP 200 (event 2): code 502: 'Provider disconnected'")
    assert "expect: {api_error: {code: 502}}" in reported.message  # says how to keep it as a test


def test_an_error_event_without_chunk_fields_fits_and_needs_no_done(run):
    bare = {"error": {"code": 502, "message": "Upstream error from Venice", "metadata": {"provider_name": "Venice"}},
            "user_id": "user_1"}
    outcome = run(STREAM_SPEC, interaction(body=STREAM_BODY, response=sse(bare, done=False), stream=True))
    checks = by_name(outcome)
    assert checks["response"].ok, checks["response"].message
    assert "code 502: 'Upstream error from Venice' (metadata {\"provider_name\": \"Venice\"})" in checks["api_error"].message
    misshapen = {"error": {"code": 502}}  # an error report without its message breaks the contract
    response = by_name(run(STREAM_SPEC, interaction(body=STREAM_BODY, response=sse(misshapen, done=False),
                                                    stream=True)))["response"]
    assert not response.ok and "ChatErrorReport" in response.message and "message" in response.message


ERROR_IN_200 = {"error": {"code": 502, "message": "ConnectionError: literal_error on response_format.type"},
                "user_id": "user_1"}


def test_an_error_inside_a_200_is_an_api_error_not_a_contract_failure(run):
    outcome = run(SPEC, interaction(response=ERROR_IN_200))
    checks = by_name(outcome)
    assert outcome.status == FAILED and checks["response"].ok and checks["expect.status"].ok
    assert not checks["api_error"].ok
    assert checks["api_error"].message.startswith("the API reported an error: an error inside HTTP 200: code 502")


def test_finish_reason_error_is_an_api_error(run):
    answer = {**ANSWER, "choices": [{**ANSWER["choices"][0], "finish_reason": "error"}]}
    checks = by_name(run(SPEC, interaction(response=answer)))
    assert checks["response"].ok and not checks["api_error"].ok
    assert "finish_reason 'error' in choice 0 of HTTP 200" in checks["api_error"].message
    assert "expect: {api_error: {}}" in checks["api_error"].message
    stream = sse(chunk({"role": "assistant", "content": "Par"}), chunk({"content": ""}, "error"))
    checks = by_name(run(STREAM_SPEC, interaction(body=STREAM_BODY, response=stream, stream=True)))
    assert checks["response"].ok and "in choice 0 of chunk 2 after HTTP 200" in checks["api_error"].message


def test_an_error_on_a_choice_is_an_api_error(run):
    error = {"code": 502, "message": "Error processing stream", "metadata": {"provider_name": "Nebius"}}
    answer = {**ANSWER, "choices": [{**ANSWER["choices"][0], "finish_reason": None, "error": error}]}
    checks = by_name(run(SPEC, interaction(response=answer)))
    assert checks["response"].ok, checks["response"].message
    assert checks["api_error"].message.startswith("the API reported an error: an error in choice 0 of HTTP 200: "
                                                  "code 502: 'Error processing stream'")


@pytest.mark.parametrize("stated, passing", [
    ("{}", True),
    ("{code: 502}", True),
    ("{code: 502, message: literal_error}", True),
    ("{message: '^ConnectionError'}", True),
    ("{code: 400}", False),
    ("{message: rate.limit}", False),
])
def test_an_expected_api_error_keeps_the_exchange_as_a_passing_test(run, stated, passing):
    outcome = run(SPEC + f"expect:\n  api_error: {stated}\n", interaction(response=ERROR_IN_200))
    checks = by_name(outcome)
    assert "api_error" not in checks  # stated: judged by the expectation alone
    assert checks["expect.api_error"].ok is passing and outcome.status == (PASSED if passing else FAILED)


def test_an_expected_api_error_that_does_not_come_fails(run):
    outcome = run(SPEC + "expect: {api_error: {}}\n", interaction())
    assert outcome.status == FAILED
    assert by_name(outcome)["expect.api_error"].message == "the API reported no error, expected one"


def test_an_expected_api_error_can_name_an_error_status_body(run):
    no_endpoint = {"error": {"code": 404, "message": "No endpoints found that support tool use."}}
    outcome = run(SPEC + "expect: {status: 404, api_error: {message: No endpoints found}}\n",
                  interaction(status=404, response=no_endpoint))
    assert outcome.status == PASSED, outcome.checks
    assert "api_error" not in by_name(outcome)  # an error status is judged by `status`, as before


def test_a_broken_contract_still_fails_beside_an_expected_api_error(run):
    broken = {**ERROR_IN_200, "error": {"code": "502"}}  # no message, code not a number
    outcome = run(SPEC + "expect: {api_error: {code: 502}}\n", interaction(response=broken))
    checks = by_name(outcome)
    assert outcome.status == FAILED and not checks["response"].ok and checks["expect.api_error"].ok


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


def carries_an_api_error(response: dict) -> bool:
    """A plain reading of a recorded 200: a top-level `error` in the body or in any SSE event, or a
    choice with an `error` or finished with `error`."""
    if response["stream"]:
        values = [json.loads(line[6:]) for line in response["body"].splitlines()
                  if line.startswith("data: ") and line[6:].strip() != "[DONE]"]
    else:
        values = [json.loads(response["body"])]
    return any(value.get("error") is not None
               or any(c.get("error") is not None or c.get("finish_reason") == "error" for c in value.get("choices") or [])
               for value in values)


def test_real_responses_pass_drift_and_contract(write_spec, checker):
    """Every recorded exchange: the spec compiles back to the recorded request, the answer fits the
    contract, and an error the API reported after HTTP 200 is reported as such (never as a contract
    failure). Lint verdicts are the corpus lint tests' business: they do not hide these checks."""
    from specc.contract import check_drift, check_responses
    from specc.replay import load_cassette

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
        cassette_path = path.parent.parent / "cassettes" / "specs" / f"{name}.yaml"
        save_interactions(cassette_path, [item], "all")
        result = checker.check_path(path)
        if result.body is None:  # the spec did not even load (a limit, say): nothing to compare
            failures.append((name, "no compiled body", [f"{d.code} {d.message}" for d in result.diagnostics]))
            continue
        drift, matched = check_drift(result, load_cassette(cassette_path))
        contract, [reported] = check_responses(matched, checker.schemas)
        after_ok = [error for error in reported if not error.http]
        expected_api_error = response["status"] == 200 and carries_an_api_error(response)
        if not (drift.ok and contract.ok and bool(after_ok) == expected_api_error):
            failures.append((name, drift.message if not drift.ok else contract.message, after_ok))
    assert failures == []
