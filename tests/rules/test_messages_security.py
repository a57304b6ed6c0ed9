"""OR7xx (messages, tools, content parts) and OR8xx (security) rules.

Case files live in tests/rules/cases/<CODE>/: every `fail_*.yaml` has a golden
`fail_*.expected` beside it (one `line:col CODE message` per diagnostic of that
code), every `pass_*.yaml` must draw no diagnostic of that code. Both kinds must
load and compile cleanly (no E-codes), so a typo in a fixture cannot make a case
pass vacuously.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from specc.rules import RuleContext, all_rules, rule_by_code_or_name

from ._harness import CASES, apply_edits, golden_lines, lint_case
from conftest import run_cli, shared_path

FAMILY = ("OR7", "OR8")
FAMILY_RULES = [rule for rule in all_rules() if rule.code.startswith(FAMILY) and not rule.needs_catalog]  # catalog rules: tests/rules/test_catalog_rules.py
FAMILY_CODES = {rule.code for rule in FAMILY_RULES}
FAKE_KEY = "sk-or-v1-example-not-a-real-key"
ENV_TOKEN = "sk-proj-EXAMPLEfromTheEnvironmentOnly"


@pytest.fixture(autouse=True)
def _upstream_token(monkeypatch):
    """pass_env_placeholder.yaml fills a key-shaped value from the environment: that is not hard-coded."""
    monkeypatch.setenv("SPECC_TEST_UPSTREAM_TOKEN", ENV_TOKEN)


def test_family_is_complete():
    expected = {f"OR7{n:02d}" for n in (*range(1, 14), 16, 17, 18, 20)} | {"OR801"}
    assert FAMILY_CODES == expected
    for code in FAMILY_CODES:
        assert list((CASES / code).glob("fail_*.yaml")), f"{code} has no fail case"
        assert list((CASES / code).glob("pass_*.yaml")), f"{code} has no pass case"


@pytest.mark.parametrize("code, case", [
    ("OR702", "fail_empty_block.yaml"),
    ("OR707", "fail_mapping.yaml"),
    ("OR707", "fail_number.yaml"),
    ("OR708", "fail_system_file_and_audio.yaml"),  # block style: both S101s of each part give way
])
def test_rule_replaces_the_schema_error_it_explains(code, case, checker):
    result = lint_case(checker, CASES / code / case)
    assert [d.code for d in result.diagnostics if d.code in (code, "S101")] == [code] * len(
        golden_lines(result, code))


# ---------------------------------------------------------------------------- real traffic and example specs


def _corpus_requests() -> list[Path]:
    return sorted(shared_path("corpus", "requests").glob("*.json"))


# ---------------------------------------------------------------------------- fixes


@pytest.mark.parametrize("code, case", [
    ("OR703", "fail_legacy_video.yaml"),
    ("OR707", "fail_mapping.yaml"),
    ("OR707", "fail_list.yaml"),
])
def test_fix_silences_the_rule_and_satisfies_the_schema(code, case, checker, schemas):
    result = lint_case(checker, CASES / code / case)
    fixes = [d.fix for d in result.diagnostics if d.code == code]
    assert fixes and all(fixes), "every finding of this case carries a fix"
    fixed = apply_edits(result.body, [edit for fix in fixes for edit in fix.edits])
    rule = rule_by_code_or_name(code)()
    assert list(rule.check(RuleContext(body=fixed))) == []
    assert list(schemas.errors(schemas.request_name, fixed)) == []


def test_lint_fix_applies_these_fixes(tmp_path):
    """Through the real `specc lint --fix`: the fixed files draw neither the rule nor a schema error."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    for code, case in (("OR703", "fail_legacy_video.yaml"), ("OR707", "fail_mapping.yaml")):
        (tmp_path / f"{code}.yaml").write_text((CASES / code / case).read_text())
    run_cli("lint", "--fix", ".", cwd=tmp_path)
    after = run_cli("lint", "--format", "json", ".", cwd=tmp_path)
    assert json.loads(after.out)["diagnostics"] == []
    assert "arguments: '{\"city\": \"Paris\", \"days\": 3}'" in (tmp_path / "OR707.yaml").read_text()


def test_or707_fix_keeps_the_arguments_meaning(checker):
    result = lint_case(checker, CASES / "OR707" / "fail_mapping.yaml")
    (finding,) = [d for d in result.diagnostics if d.code == "OR707"]
    (edit,) = finding.fix.edits
    assert json.loads(edit.value) == {"city": "Paris", "days": 3}


def test_or703_offers_no_fix_when_the_part_has_extra_keys(checker):
    result = lint_case(checker, CASES / "OR703" / "fail_legacy_video_extra_key.yaml")
    fixes = [d.fix for d in result.diagnostics if d.code == "OR703"]
    assert fixes[0] is None  # `fps` beside `url`: not certainly the same shape
    assert fixes[1] is not None


def test_or707_offers_no_fix_for_scalars(checker):
    result = lint_case(checker, CASES / "OR707" / "fail_number.yaml")
    assert [d.fix for d in result.diagnostics if d.code == "OR707"] == [None]


# ---------------------------------------------------------------------------- OR711's abridged doc example


def test_or711_doc_shows_the_pattern_and_runs_the_full_spec():
    rule = rule_by_code_or_name("OR711")
    shown = rule.section("Example")
    assert shown.count("role:") == 2 and "repeated 501 times" in shown
    assert rule.example("Example").count("role: user") == 501
    assert rule.example("Fix").count("role: assistant") == 501


# ---------------------------------------------------------------------------- OR801 never leaks the secret


def _fragments(secret: str, size: int = 6) -> list[str]:
    """Every run of `size` characters of the secret's distinctive tail (after `sk-or-v1-`)."""
    tail = secret[len("sk-or-v1-"):]
    return [tail[i:i + size] for i in range(len(tail) - size + 1)]


@pytest.mark.parametrize("case", sorted(p.name for p in (CASES / "OR801").glob("fail_*.yaml")))
def test_or801_message_never_contains_the_secret(case, checker):
    result = lint_case(checker, CASES / "OR801" / case)
    messages = [d.message for d in result.diagnostics if d.code == "OR801"]
    assert messages
    for message in messages:
        assert "sk-or-v1-" not in message and "sk-proj-" not in message
        assert not [f for f in _fragments(FAKE_KEY) if f in message], message


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_or801_secret_never_reaches_cli_output(fmt, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    (tmp_path / "prompt.txt").write_text(f"call back with {FAKE_KEY}\n")
    (tmp_path / "base.yaml").write_text(f"vars:\n  token: {FAKE_KEY}\nrequest:\n  model: openai/gpt-4o-mini\n")
    (tmp_path / "spec.yaml").write_text(
        "extends: base.yaml\n"
        f"headers:\n  X-Api-Key: {FAKE_KEY}\n"
        "request:\n"
        f"  metadata:\n    {FAKE_KEY}: owner\n"
        "  messages:\n"
        f"    - role: user\n      content: 'my key is {FAKE_KEY}'\n"
        "    - role: user\n      content: !file prompt.txt\n")
    result = run_cli("lint", "spec.yaml", "--format", fmt, cwd=tmp_path)
    assert result.code == 1
    output = result.out + result.err
    if fmt == "json":
        found = [d for d in json.loads(result.out)["diagnostics"] if d["code"] == "OR801"]
    else:
        found = [line for line in result.out.splitlines() if " OR801 " in line]
    assert len(found) == 5  # header, base var, metadata key, message content, !file include
    assert "example-not-a-real-key" not in output
    assert not [f for f in _fragments(FAKE_KEY) if f in output]


def test_or801_extends_finding_points_into_the_base_file(checker):
    result = lint_case(checker, CASES / "OR801" / "fail_through_extends_base.yaml")
    (finding,) = [d for d in result.diagnostics if d.code == "OR801"]
    assert finding.span.path.endswith("base_with_key.yaml")
    assert finding.pointer == ("vars", "key")


# OR801 screens the spec's text rather than its data: each of these writes a secret the text
# does not spell out as such, so the rule must fall back to the exact screen and still find it.
_REQUEST = "request:\n  model: openai/gpt-4o-mini\n  messages: [{role: user, content: hi}]\n"
HIDDEN_SECRETS = {
    "double-quoted escape": ('vars:\n  k: "\\x73k-or-v1-abcdefgh1234"\n' + _REQUEST, ("vars", "k")),
    "line continuation": ('vars:\n  k: "sk-or-\\\n    v1-abcdefgh1234"\n' + _REQUEST, ("vars", "k")),
    "escaped key": ('headers:\n  "AKIA\\x41BCDEFGHIJKLMNOP": x\n' + _REQUEST, ("headers", "AKIAABCDEFGHIJKLMNOP")),
    "unicode escape in JSON style": ('{"vars": {"k": "\\u0073k-or-v1-abcdefgh1234"}, "request": '
                                     '{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}}',
                                     ("vars", "k")),
    "!file JSON key": (_REQUEST + "  metadata: !file inc.json\n",
                       ("request", "metadata", "ghp_0123456789abcdefghijklmnopqrstuvwxyz")),
    "!file YAML value": (_REQUEST + "  metadata: !file inc.yaml\n", ("request", "metadata", "list", 0)),
    "!file in a flow mapping": (_REQUEST + '  metadata: {"k":!file inc.yaml}\n',
                                ("request", "metadata", "k", "list", 0)),
    # base64 of these bytes is shaped like a Google API key: the data holds it, the text cannot
    "!base64 media": ("vars:\n  k: !base64 media.txt\n" + _REQUEST, ("vars", "k")),
}


@pytest.mark.parametrize("name", sorted(HIDDEN_SECRETS))
def test_or801_finds_secrets_the_text_does_not_spell_out(name, checker, write_spec):
    import base64

    write_spec('{"ghp_0123456789abcdefghijklmnopqrstuvwxyz": 1}', "inc.json")
    write_spec(f"list: [{FAKE_KEY}]\n", "inc.yaml")
    write_spec("", "media.txt").write_bytes(base64.b64decode("AIzaSyA0123456789abcdefghijklmnopqrstuw="))
    text, pointer = HIDDEN_SECRETS[name]
    result = checker.check_path(write_spec(text))
    assert not [d for d in result.diagnostics if d.code.startswith(("E", "X"))], result.diagnostics
    assert [d.pointer for d in result.diagnostics if d.code == "OR801"] == [pointer]


@pytest.mark.parametrize("text", ["# an old key: sk-or-v1-abcdefgh1234\n", "request: {messages: [{content: 'Hello!'}]}\n"])
def test_or801_text_screen_stays_exact(text, checker, write_spec):
    """A key in a comment passes the text screen but not the walk; a `!` ending a word is no tag."""
    from specc.load import load_document
    from specc.rules.or801_hard_coded_api_key import might_hold_a_secret

    body = "request:\n  model: openai/gpt-4o-mini\n  messages: [{role: user, content: 'Hello!'}]\n"
    path = write_spec(text + body)
    assert might_hold_a_secret(load_document(path)) is ("sk-or" in text)
    assert not [d for d in checker.check_path(path).diagnostics if d.code == "OR801"]


def test_or801_scans_the_body_when_no_document_is_given():
    rule = rule_by_code_or_name("OR801")()
    body = {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": f"key {FAKE_KEY}"}]}
    (finding,) = rule.check(RuleContext(body=body))
    assert finding.pointer == ("messages", 0, "content") and not finding.in_spec
    assert finding.message.startswith("request.messages[0].content contains")


# ---------------------------------------------------------------------------- robustness

ODD_BODIES = [
    {},
    {"messages": "hello"},
    {"messages": None, "prompt": None, "tools": "x", "tool_choice": {"function": "x"}},
    {"messages": [None, 1, "x", [], {"role": 5, "content": 7}]},
    {"messages": [{"role": "assistant", "tool_calls": {"id": 1}}, {"role": "tool", "tool_call_id": None}]},
    {"messages": [{"role": "assistant", "tool_calls": [1, {"function": None}, {"function": {"arguments": {1: 2}}}]}]},
    {"messages": [{"role": "system", "content": [None, {"type": 3}, {"type": "image_url"}]}]},
    {"messages": [{"role": "user", "content": [{"type": "input_audio", "input_audio": "https://x"},
                                               {"type": "input_video", "video_url": "https://x"},
                                               {"type": "video_url", "video_url": {"url": "http://[::1"}}]}],
     "model": "google/gemini-2.5-pro", "provider": {"only": "google-vertex", "order": [None, 3], "ignore": 5}},
    {"model": ["anthropic/claude"], "models": "x", "messages": [{}] * 1001, "plugins": [None, "x"], "transforms": 3},
    {"model": "anthropic/claude-sonnet-4.5", "messages": [{}] * 1001, "plugins": {"id": "context-compression"}},
    {"metadata": {"k": [1, 2.5, True, None, {"sk": {"deep": ["sk-or-v1-xxxxxxxx"]}}]}},
]


@pytest.mark.parametrize("rule", FAMILY_RULES, ids=lambda r: r.code)
@pytest.mark.parametrize("body", ODD_BODIES, ids=range(len(ODD_BODIES)))
def test_rules_never_raise_on_odd_bodies(rule, body):
    findings = list(rule().check(RuleContext(body=body)))
    for finding in findings:
        assert isinstance(finding.pointer, tuple) and finding.message
