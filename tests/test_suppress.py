"""Inline `# specc: ignore[...]` comments, `ignore-file`, and unused-suppression (W001)."""

from __future__ import annotations

import pytest

from specc.check import Checker
from specc.config import Config
from specc.suppress import comment_start, find_suppressions
from tests._fakes import FAKE_RULES
from conftest import run_cli


@pytest.fixture
def check(schemas, write_spec):
    def run(text: str, **settings):
        checker = Checker(schemas=schemas, rules=[rule() for rule in FAKE_RULES], config=Config(**settings))
        return [(d.code, d.span.line) for d in checker.check_path(write_spec(text)).diagnostics]
    return run


HEAD = "request:\n  model: openai/gpt-4o\n  messages: [{role: user, content: hi}]\n"


@pytest.mark.parametrize("line, index", [
    ("a: 1  # specc: ignore", 6),
    ("# specc: ignore-file", 0),
    ("a: 'x # y'  # z", 12),
    ('a: "x \\" # y"  # z', 15),
    ("a: don't # z", 9),
    ("a: x#y", None),
    ("a: 'unterminated # z", None),
])
def test_comment_start(line, index):
    assert comment_start(line) == index


def test_find_suppressions_parses_lists_and_bare_forms():
    text = "a: 1  # specc: ignore[OR101, debug-echo-without-stream]\n# specc: ignore-file\nb: '# specc: ignore[X]'\n"
    found = find_suppressions(text, "s.yaml")
    assert [(s.span.line, s.file_wide, s.keys) for s in found] == [
        (1, False, ("OR101", "debug-echo-without-stream")), (2, True, ())]
    assert (found[0].span.column, found[0].span.end_column) == (7, 56)


def test_not_a_directive():
    assert find_suppressions("a: 1  # specc: ignored[OR1]\nb: 2 # specc: ignorance\n", "s.yaml") == []


def test_line_suppression_by_code_and_by_name(check):
    assert check(HEAD + "  max_tokens: 5\n") == [("OR990", 4)]
    assert check(HEAD + "  max_tokens: 5  # specc: ignore[OR990]\n") == []
    assert check(HEAD + "  max_tokens: 5  # specc: ignore[fake-max-tokens]\n") == []
    assert check(HEAD + "  max_tokens: 5  # specc: ignore[or990]\n") == []


def test_suppression_on_another_line_does_not_apply(check):
    assert check(HEAD + "  max_tokens: 5\n  temperature: 1  # specc: ignore[OR990]\n") == [("OR990", 4), ("W001", 5)]


def test_suppression_on_the_key_line_of_a_block_value(check):
    text = HEAD + "  usage:  # specc: ignore[OR991]\n    include: true\n"
    assert check(HEAD + "  usage:\n    include: true\n") == [("OR991", 5)]
    assert check(text.replace("usage:  #", "usage:\n    #")) != []  # a comment line of its own does not count
    assert check(HEAD + "  usage:\n    include: true  # specc: ignore[OR991]\n") == []


def test_ignore_file_anywhere_and_bare_forms(check):
    text = "# specc: ignore-file[OR990, S102]\n" + HEAD + "  max_tokens: 5\n  zzz: 1\n  usage: {include: true}\n"
    assert check(text) == [("OR991", 7)]
    assert check(text.replace("ignore-file[OR990, S102]", "ignore-file")) == []
    assert check(HEAD + "  usage: {include: true}  # specc: ignore\n") == []


def test_unused_suppressions_are_reported(check):
    assert check(HEAD + "  temperature: 1  # specc: ignore[OR990]\n") == [("W001", 4)]
    assert check(HEAD + "  temperature: 1  # specc: ignore\n") == [("W001", 4)]
    assert check("# specc: ignore-file[S102]\n" + HEAD) == [("W001", 1)]
    # one entry used, one not: the unused one is reported
    assert check(HEAD + "  max_tokens: 5  # specc: ignore[OR990, OR991]\n") == [("W001", 4)]


def test_unknown_rule_and_e_codes_in_a_suppression(schemas, write_spec):
    checker = Checker(schemas=schemas, rules=[rule() for rule in FAKE_RULES])
    path = write_spec("vars: {}\n" + HEAD + "  temperature: 1  # specc: ignore[OR000]\n"
                      "  user: '{{ nope }}'  # specc: ignore[E004]\n")
    found = {(d.code, d.span.line): d.message for d in checker.check_path(path).diagnostics}
    assert "unknown rule 'OR000'" in found[("W001", 5)]
    assert "cannot be suppressed" in found[("W001", 6)]
    assert ("E004", 6) in found  # still reported


def test_rules_not_enabled_in_this_run_are_not_called_unused(check):
    assert check(HEAD + "  temperature: 1  # specc: ignore[OR990]\n", select=("OR991",)) == []


def test_unused_suppression_can_itself_be_ignored(check):
    assert check(HEAD + "  temperature: 1  # specc: ignore[OR990, W001]\n") == []
    assert check(HEAD + "  temperature: 1  # specc: ignore[OR990]\n", ignore=("unused-suppression",)) == []
    assert check(HEAD + "  temperature: 1  # specc: ignore[OR990]\n", severity={"W001": "error"}) == [("W001", 4)]


def test_a_quoted_directive_is_not_a_suppression(check):
    text = HEAD + "  max_tokens: 5\n  stop: ['# specc: ignore-file']\n"
    assert check(text) == [("OR990", 4)]


def test_suppressions_in_an_extends_base_apply_to_its_own_lines(schemas, write_spec):
    checker = Checker(schemas=schemas, rules=[rule() for rule in FAKE_RULES])
    write_spec("request:\n  max_tokens: 5  # specc: ignore[OR990]\n  usage: {include: true}\n", "base.yaml")
    spec = write_spec("extends: base.yaml\n" + HEAD, "spec.yaml")
    found = [(d.code, d.span.path.rsplit("/", 1)[-1]) for d in checker.check_path(spec).diagnostics]
    assert found == [("OR991", "base.yaml")]


def test_suppressing_a_schema_code_through_the_cli(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "s.yaml").write_text(HEAD + "  zzz_custom: 1  # specc: ignore[S102]\n")
    assert run_cli("lint", "s.yaml", "--fail-on", "warning", cwd=tmp_path).code == 0
    (tmp_path / "s.yaml").write_text(HEAD + "  zzz_custom: 1  # specc: ignore[unknown-request-field]\n")
    assert run_cli("lint", "s.yaml", "--fail-on", "warning", cwd=tmp_path).code == 0
    (tmp_path / "s.yaml").write_text(HEAD + "  zzz_custom: 1\n")
    assert run_cli("lint", "s.yaml", "--fail-on", "warning", cwd=tmp_path).code == 1


def test_a_directive_inside_a_block_scalar_is_not_a_suppression(check):
    text = HEAD.replace("  messages: [{role: user, content: hi}]\n", "") + (
        "  messages:\n    - role: user\n      content: |\n        # specc: ignore-file\n        hello\n"
        "  max_tokens: 5  # specc: ignore[OR990]\n")
    assert check(text) == []
    assert check(text.replace("  # specc: ignore[OR990]", "")) == [("OR990", 8)]
