"""The small immutable records (diagnostics.Record) behave as the frozen dataclasses they replaced."""

from __future__ import annotations

import copy
import inspect
import pickle

import pytest

from specc.config import Config
from specc.diagnostics import Diagnostic, Edit, Fix, Record, Severity, Span

RECORDS = [Span, Edit, Fix, Diagnostic, Config]


@pytest.mark.parametrize("record", RECORDS)
def test_init_takes_the_fields_in_slot_order(record):
    """`_fill` assigns values by position: a parameter out of order would land in the wrong field."""
    assert list(inspect.signature(record).parameters) == list(record.__slots__)


def _diagnostic(fix: Fix | None = None, severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic("S102", "unknown-request-field", severity, "unknown field", Span("a.yaml", 2, 3, 2, 9),
                      ("request", "x"), fix)


def test_value_semantics():
    fix = Fix("remove it", (Edit("delete", ("request", "x")), Edit("set", ("a",), {"b": [1]})))
    found = _diagnostic(fix)
    assert found == _diagnostic() and hash(found) == hash(_diagnostic())  # the fix takes no part
    assert found != _diagnostic(severity=Severity.WARNING) and Span("a.yaml") != ("a.yaml", 0, 0, 0, 0)
    assert len({found, _diagnostic()}) == 1
    assert repr(Span("a.yaml", 1)) == "Span(path='a.yaml', line=1, column=0, end_line=0, end_column=0)"
    for copied in (pickle.loads(pickle.dumps(found)), copy.deepcopy(found), copy.copy(found)):
        assert copied == found and copied.fix == fix and copied.span.end_column == 9
    assert found.with_severity(Severity.INFO).severity is Severity.INFO and found.severity is Severity.ERROR
    assert Config(fail_on="warning").replace(select=("OR",)) == Config(fail_on="warning", select=("OR",))


def test_records_are_immutable():
    span = Span("a.yaml", 1)
    with pytest.raises(AttributeError):
        span.line = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del span.path
    assert isinstance(span, Record) and span.line == 1
