"""Positions: a JSON pointer into the spec maps back to the exact line and column that wrote it."""

from __future__ import annotations

from pathlib import Path

from specc.diagnostics import Span
from specc.load import load_document
from specc.positions import narrow_to_text

SPEC = """\
name: positions
request:
  model: openai/gpt-4o-mini
  temprature: 0.2
  messages:
    - role: user
      content: "Hi {{ who }}"
    - {role: assistant, content: [{type: text, text: ok}]}
  provider:
    order: [a, b]
"""


def _doc(write_spec, text=SPEC, name="spec.yaml"):
    path = write_spec(text, name)
    return load_document(path, display=name)


def at(span: Span) -> tuple:
    return (span.path, span.line, span.column, span.end_line, span.end_column)


def test_key_versus_value(write_spec):
    doc = _doc(write_spec)
    assert at(doc.span_of(("request", "temprature"), key=True)) == ("spec.yaml", 4, 3, 4, 13)
    assert at(doc.span_of(("request", "temprature"))) == ("spec.yaml", 4, 15, 4, 18)


def test_list_items_and_flow_collections(write_spec):
    doc = _doc(write_spec)
    assert at(doc.span_of(("request", "messages", 0, "content"))) == ("spec.yaml", 7, 16, 7, 30)
    assert at(doc.span_of(("request", "messages", 1, "content", 0, "text"))) == ("spec.yaml", 8, 54, 8, 56)
    assert at(doc.span_of(("request", "provider", "order", 1))) == ("spec.yaml", 10, 16, 10, 17)


def test_block_collection_points_at_its_first_line(write_spec):
    doc = _doc(write_spec)
    assert at(doc.span_of(("request", "messages", 0))) == ("spec.yaml", 6, 7, 7, 30)


def test_missing_pointer_falls_back_to_the_deepest_existing_node(write_spec):
    doc = _doc(write_spec)
    span = doc.span_of(("request", "provider", "sort"))
    assert (span.line, span.column) == (10, 5)


def test_typo_position_through_the_cli(write_spec, cli):
    path = write_spec(SPEC)
    result = cli("lint", "--select", "S102", path.name, cwd=path.parent)
    assert result.out.splitlines()[0] == (
        "spec.yaml:4:3: S102 unknown request field 'temprature'; did you mean 'temperature'?")


def test_value_from_a_base_points_into_the_base(write_spec, cli):
    write_spec("request:\n  model: x\n  messages: [{role: user, content: hi}]\n  temperature: hot\n", "base/base.yaml")
    path = write_spec("extends: base/base.yaml\nrequest:\n  seed: 1\n")
    result = cli("lint", "--select", "S", "-q", path.name, cwd=path.parent)
    assert result.out.splitlines()[0] == (
        "base/base.yaml:4:16: S101 request.temperature: expected number or null, got string 'hot'")


def test_value_overridden_by_the_spec_points_into_the_spec(write_spec):
    write_spec("request:\n  model: base\n  temperature: 0.1\n", "base.yaml")
    doc = _doc(write_spec, "extends: base.yaml\nrequest:\n  temperature: 0.9\n")
    assert at(doc.span_of(("request", "temperature")))[:3] == ("spec.yaml", 3, 16)
    assert Path(doc.span_of(("request", "model")).path).name == "base.yaml"


def test_included_data_points_at_the_file_tag(write_spec):
    write_spec('{"name": 5}', "format.json")
    doc = _doc(write_spec, "request:\n  response_format:\n    json_schema: !file format.json\n")
    assert at(doc.span_of(("request", "response_format", "json_schema", "name"))) == ("spec.yaml", 3, 18, 3, 35)


def test_narrow_to_a_placeholder_inside_a_string(write_spec):
    doc = _doc(write_spec)
    whole = doc.span_of(("request", "messages", 0, "content"))
    assert at(narrow_to_text(doc.sources, whole, "{{ who }}")) == ("spec.yaml", 7, 20, 7, 29)
    assert narrow_to_text(doc.sources, whole, "{{ absent }}") == whole
    assert narrow_to_text(doc.sources, whole, "{{ who }}", occurrence=1) == whole


def test_narrow_inside_a_block_scalar(write_spec):
    doc = _doc(write_spec, "request:\n  content: |\n    one {{ a }}\n    two {{ a }}\nother: 1\n")
    whole = doc.span_of(("request", "content"))
    assert at(narrow_to_text(doc.sources, whole, "{{ a }}", 1)) == ("spec.yaml", 4, 9, 4, 16)


def test_crlf_and_non_ascii_columns_count_characters(write_spec, cli):
    path = write_spec("request:\r\n  messages:\r\n    - {role: user, content: 'Grüße 😀'}\r\n  temprature: 1\r\n")
    doc = load_document(path, display="spec.yaml")
    assert at(doc.span_of(("request", "temprature"), key=True)) == ("spec.yaml", 4, 3, 4, 13)
    assert at(doc.span_of(("request", "messages", 0, "content"))) == ("spec.yaml", 3, 29, 3, 38)
    result = cli("lint", "--select", "S102", path.name, cwd=path.parent, env={"NO_COLOR": "1"})
    assert result.out.splitlines()[1:4] == ["  |", "4 |   temprature: 1", "  |   ^^^^^^^^^^ error[unknown-request-field]"]
