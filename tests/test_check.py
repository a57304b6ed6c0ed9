"""The checker: load → model → compile → schema → rules, as one CheckResult of plain data."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specc.check import Checker, drop_schema_duplicates
from specc.diagnostics import Diagnostic, Severity, Span, core
from specc.rules import Finding, Rule

BODY = "request:\n  model: openai/gpt-4o-mini\n  messages:\n    - role: user\n      content: Hello\n"


class Crashes(Rule):
    """Always crashes (a stand-in for a buggy rule)."""

    code = "OR998"
    name = "always-crashes"
    severity = Severity.ERROR

    def check(self, ctx):
        raise KeyError("boom")


class FlagsModel(Rule):
    """Flags the model value (a stand-in rule that fires where the schema also complains)."""

    code = "OR997"
    name = "flags-model"
    severity = Severity.ERROR

    def check(self, ctx):
        yield Finding(("model",), "model flagged")


def _check(schemas, write_spec, text, rules=(), **kwargs):
    path = write_spec(text)
    return Checker(schemas=schemas, rules=list(rules), **kwargs).check_path(path, display="spec.yaml")


def _found(result):
    return [(d.code, d.severity.value, d.span.line, d.span.column) for d in result.diagnostics]


def test_clean_spec_has_body_and_spec(schemas, write_spec):
    result = _check(schemas, write_spec, BODY)
    assert result.diagnostics == [] and not result.has_errors
    assert result.body == {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]}
    assert result.spec.name == "spec"


def test_close_typo_is_an_error_and_a_far_unknown_field_a_warning(schemas, write_spec):
    result = _check(schemas, write_spec, BODY + "  temprature: 1\n  x_team_tag: search\n")
    assert _found(result) == [("S102", "error", 6, 3), ("S102", "warning", 7, 3)]
    assert result.count(Severity.ERROR) == 1 and result.count(Severity.WARNING) == 1


def test_schema_violation_at_the_value(schemas, write_spec):
    result = _check(schemas, write_spec, BODY + "  temperature: hot\n")
    assert _found(result) == [("S101", "error", 6, 16)]
    assert result.diagnostics[0].pointer == ("request", "temperature")


def test_unresolved_placeholder_env_from_the_checker(schemas, write_spec):
    text = "vars: {}\n" + BODY.replace("Hello", "'Hi {{ env.WHO }} {{ env.NOT_SET }}'")
    result = _check(schemas, write_spec, text, environ={"WHO": "Ada"})
    assert _found(result) == [("E004", "error", 6, 34)]
    assert result.body["messages"][0]["content"] == "Hi Ada {{ env.NOT_SET }}"


def test_load_errors_stop_before_the_model(schemas, write_spec):
    result = _check(schemas, write_spec, "request: [\n")
    assert [d.code for d in result.diagnostics] == ["E001"] and result.body is None and result.spec is None


def test_a_crashing_rule_is_reported_not_raised(schemas, write_spec):
    result = _check(schemas, write_spec, BODY, rules=[Crashes()])
    [diagnostic] = result.diagnostics
    assert diagnostic.code == "X001" and diagnostic.severity is Severity.WARNING
    assert "OR998" in diagnostic.message and "KeyError" in diagnostic.message


def test_a_rule_at_the_same_place_replaces_the_schema_error(schemas, write_spec):
    result = _check(schemas, write_spec, BODY.replace("openai/gpt-4o-mini", "[not, a, string]"), rules=[FlagsModel()])
    assert [d.code for d in result.diagnostics] == ["OR997"]


def test_drop_schema_duplicates_keeps_unrelated_schema_errors():
    span = Span("s.yaml", 3, 5, 3, 9)
    schema = core("S101", "bad", span, pointer=("request", "a"))
    other = core("S101", "bad too", Span("s.yaml", 4, 5, 4, 9), pointer=("request", "b"))
    rule = Diagnostic("OR100", "x", Severity.ERROR, "rule", span, ("request", "a"))
    assert drop_schema_duplicates([schema, other, rule]) == [other, rule]


def test_diagnostics_are_sorted_by_position(schemas, write_spec):
    result = _check(schemas, write_spec, BODY + "  stream: 'no'\n  temprature: 1\n  seed: x\n")
    lines = [d.span.line for d in result.diagnostics]
    assert lines == sorted(lines) and len(lines) == 3


# ------------------------------------------------------------------ robustness

PIECES = ["request:", "\n", "  ", "- ", "model: x", "messages:", "- role: user", "content: ", "{", "}", "[", "]",
          ":", ",", "&a ", "*a", "!file x.json", "!!str ", "!!int ", "? ", "'", '"', "{{ v }}", "vars:",
          "extends: spec.yaml", "extends: [", "tools:", "null", "~", "1e400", "-.inf", "0x1F", "\t", "#", "|", ">",
          "---", "...", "%YAML 1.2\n", "<<: *a", "!!binary aGk=", "!!timestamp 2001-12-14", "!!set {a}", "é", "\x85"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30))
def test_any_text_gives_diagnostics_never_an_exception(checker, write_spec, pieces):
    result = checker.check_path(write_spec("".join(pieces)), display="spec.yaml")
    assert result.body is not None or result.has_errors
    assert all(d.code != "X001" for d in result.diagnostics), [d.message for d in result.diagnostics]


def test_a_rule_warning_never_replaces_a_schema_error():
    """A warning at the spot of an S101 must not hide the error (the API rejects the request)."""
    from specc.check import drop_schema_duplicates
    from specc.diagnostics import Diagnostic, Severity, Span

    span = Span("spec.yaml", 3, 5, 3, 9)
    schema_error = Diagnostic("S101", "schema-violation", Severity.ERROR, "bad", span, ("request", "route"))
    warning = Diagnostic("OR103", "route-deprecated", Severity.WARNING, "deprecated", span, ("request", "route"))
    error = Diagnostic("OR101", "models-too-many", Severity.ERROR, "too many", span, ("request", "route"))
    assert drop_schema_duplicates([schema_error, warning]) == [schema_error, warning]
    assert drop_schema_duplicates([schema_error, error]) == [error]
