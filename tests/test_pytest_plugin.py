"""The pytest plugin, run with pytester: specs as test items, failures with position and diff,
recording missing cassettes, and living beside pytest-recording and vcrpy users' own fixtures."""

from __future__ import annotations

import json

import pytest

# Loaded before pytester snapshots sys.modules: the C extensions of PyYAML and ruamel.yaml cannot be
# imported a second time after pytester drops the modules an in-process run imported.
import yaml  # noqa: F401

from specc.config import Config
from specc.lint import build_checker

build_checker(Config()).check_path  # schemas (ruamel) and rules loaded once, outside any inner run

from server import json_reply

from specc.replay import Interaction, load_cassette, save_interactions

pytest_plugins = ["pytester"]

URI = "https://openrouter.ai/api/v1/chat/completions"
SPEC = """\
request:
  model: openai/gpt-4o
  messages:
    - role: user
      content: "Capital of France?"
expect:
  content: {contains: Paris}
"""
BODY = {"model": "openai/gpt-4o", "messages": [{"role": "user", "content": "Capital of France?"}]}
ANSWER = {
    "id": "gen-1", "object": "chat.completion", "created": 1780944466, "model": "openai/gpt-4o-2024-08-06",
    "provider": "OpenAI", "system_fingerprint": None,
    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Paris."}}],
}


@pytest.fixture
def project(pytester):
    pytester.makepyprojecttoml("[project]\nname = 'demo'\n")
    specs = pytester.mkdir("specs")
    (specs / "capital.yaml").write_text(SPEC)
    (specs / "notes.yaml").write_text("just: some yaml\n")  # not a spec: never collected
    item = Interaction("POST", URI, json.dumps(BODY).encode(), 200, "OK", {},
                       {"content-type": ["application/json"]}, [json.dumps(ANSWER).encode()])
    save_interactions(pytester.path / "cassettes" / "specs" / "capital.yaml", [item], "all")
    return pytester


def test_json_specs_are_collected_and_other_json_is_not(project):
    (project.path / "specs" / "capital-js.json").write_text(json.dumps({"request": BODY}))
    (project.path / "specs" / "package.json").write_text('{"name": "web"}')
    result = project.runpytest("specs/", "-v")
    result.stdout.fnmatch_lines(["*specs/capital-js.json::capital-js.json *"])
    assert "package.json" not in result.stdout.str()


def test_each_spec_is_an_item_that_passes(project):
    result = project.runpytest("specs/", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*specs/capital.yaml::capital.yaml PASSED*"])


def test_a_drift_failure_shows_the_position_and_the_diff(project):
    (project.path / "specs" / "capital.yaml").write_text(SPEC.replace("France", "Spain"))
    result = project.runpytest("specs/")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["specs/capital.yaml:5:16: drift: the spec no longer compiles to the recorded request*"])
    assert '~ request.messages[0].content: "Capital of France?" -> "Capital of Spain?"' in result.stdout.str()


def test_a_failed_expectation_is_reported_by_name(project):
    (project.path / "specs" / "capital.yaml").write_text(SPEC.replace("contains: Paris", "contains: Madrid"))
    result = project.runpytest("specs/")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["specs/capital.yaml:7:23: expect.content.contains: content lacks 'Madrid': 'Paris.'"])


def test_a_spec_without_a_cassette_is_skipped(project):
    (project.path / "cassettes" / "specs" / "capital.yaml").unlink()
    result = project.runpytest("specs/", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["SKIPPED [[]1[]] specs/capital.yaml:1: no cassette at*capital.yaml*"])
    assert "pytest_plugin.py" not in result.stdout.str()  # was: SKIPPED [1] .../specc/pytest_plugin.py:89


def test_a_placeholder_without_value_fails_the_item_at_its_position(project, monkeypatch):
    monkeypatch.delenv("CAPITAL_MODEL", raising=False)
    (project.path / "specs" / "capital.yaml").write_text(SPEC.replace("openai/gpt-4o", '"{{ env.CAPITAL_MODEL }}"'))
    result = project.runpytest("specs/")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["specs/capital.yaml:2:11: spec: *E004 unresolved placeholder {{ env.CAPITAL_MODEL }}*"])
    monkeypatch.setenv("CAPITAL_MODEL", "openai/gpt-4o")
    project.runpytest("specs/").assert_outcomes(passed=1)


def test_a_base_only_is_never_collected(project):
    (project.path / "specs" / "base.yaml").write_text("abstract: true\nrequest:\n  provider: {sort: price}\n")
    result = project.runpytest("specs/", "-v", "--specc-record")
    result.assert_outcomes(passed=1)
    assert "base.yaml" not in result.stdout.str()
    assert not (project.path / "cassettes" / "specs" / "base.yaml").exists()


def test_specs_are_collected_only_from_paths_named_or_configured(project):
    tests = project.mkdir("tests")
    (tests / "test_plain.py").write_text("def test_ok():\n    assert True\n")
    (tests / "fixture_spec.yaml").write_text(SPEC)  # a spec used as test data must not become a test
    project.makepyprojecttoml("[project]\nname = 'demo'\n[tool.pytest.ini_options]\ntestpaths = ['tests']\n")
    project.runpytest().assert_outcomes(passed=1)
    project.makepyprojecttoml("[project]\nname = 'demo'\n[tool.pytest.ini_options]\n"
                              "testpaths = ['tests', 'specs']\nspecc_paths = ['specs']\n")
    project.runpytest().assert_outcomes(passed=2)


def test_record_missing_cassettes(project, loopback, monkeypatch):
    (project.path / "cassettes" / "specs" / "capital.yaml").unlink()
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-or-v1-" + "ab12" * 16)
    monkeypatch.setenv("OPENROUTER_BASE_URL", loopback.base_url)
    loopback.script(json_reply(ANSWER))
    result = project.runpytest("specs/", "--specc-record")
    result.assert_outcomes(passed=1)
    cassette = load_cassette(project.path / "cassettes" / "specs" / "capital.yaml")
    assert cassette.interactions[0].uri == loopback.base_url + "/chat/completions"
    assert "ab12ab12" not in (project.path / "cassettes" / "specs" / "capital.yaml").read_text()
    project.runpytest("specs/", "--specc-record").assert_outcomes(passed=1)
    assert len(loopback.requests) == 1  # an existing cassette is never re-recorded


def test_coexists_with_pytest_recording_and_vcrpy_fixtures(project):
    """A vcrpy/pytest-recording user's suite: their fixtures, marker and cassettes work, ours is collected too."""
    tests = project.mkdir("tests")
    (tests / "conftest.py").write_text(
        "import pytest\n\n"
        "@pytest.fixture(scope='module')\n"
        "def vcr_config():\n"
        "    return {'match_on': ['method', 'uri']}\n\n"
        "@pytest.fixture\n"
        "def cassette_name():\n"
        "    return 'mine'\n")
    cassettes = tests / "cassettes" / "test_app"
    cassettes.mkdir(parents=True)
    # a vcrpy cassette: YAML, but no top-level `request:`, so never a spec item
    (cassettes / "test_uses_vcr.yaml").write_text(
        "interactions:\n- request:\n    body: null\n    headers: {}\n    method: GET\n"
        "    uri: http://example.invalid/ping\n  response:\n    body: {string: pong}\n"
        "    headers: {}\n    status: {code: 200, message: OK}\nversion: 1\n")
    (tests / "test_app.py").write_text(
        "import httpx, pytest\n\n"
        "@pytest.mark.vcr\n"
        "def test_uses_vcr(vcr, cassette_name):\n"
        "    assert cassette_name == 'mine'\n"
        "    assert httpx.get('http://example.invalid/ping').text == 'pong'\n")
    result = project.runpytest("specs/", "tests/", "--record-mode=none", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*capital.yaml PASSED*", "*test_uses_vcr PASSED*"])


def test_the_plugin_defines_no_fixtures(project):
    result = project.runpytest("--fixtures", "specs/")
    assert "fixtures defined from pytest_recording" in result.stdout.str()  # the listing works
    assert "fixtures defined from specc" not in result.stdout.str()


def test_run_from_another_folder(project, monkeypatch, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    result = project.runpytest(str(project.path / "specs"), "--rootdir", str(project.path))
    result.assert_outcomes(passed=1)


def _answer(project, response: dict) -> None:
    item = Interaction("POST", URI, json.dumps(BODY).encode(), 200, "OK", {},
                       {"content-type": ["application/json"]}, [json.dumps(response).encode()])
    save_interactions(project.path / "cassettes" / "specs" / "capital.yaml", [item], "all")


ERROR_IN_200 = {"error": {"code": 502, "message": "Provider returned error"}, "user_id": "user_1"}


def test_an_api_error_and_a_broken_contract_fail_each_with_its_own_message(project):
    _answer(project, ERROR_IN_200)
    result = project.runpytest("specs/")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["specs/capital.yaml: api_error: the API reported an error: an error inside HTTP 200: "
                                 "code 502: 'Provider returned error'*"])
    assert ": response:" not in result.stdout.str()
    _answer(project, {key: value for key, value in ANSWER.items() if key != "created"})
    result = project.runpytest("specs/")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["specs/capital.yaml: response: body does not fit ChatResult*created*"])
    assert ": api_error:" not in result.stdout.str()


def test_a_stated_api_error_passes(project):
    _answer(project, ERROR_IN_200)
    (project.path / "specs" / "capital.yaml").write_text(
        SPEC.replace("  content: {contains: Paris}\n", "  api_error: {code: 502, message: Provider}\n"))
    project.runpytest("specs/").assert_outcomes(passed=1)
