"""yamlfast: libyaml composition and the YAML 1.2 core schema typing of plain scalars."""

from __future__ import annotations

import math

import pytest

from specc.yamlfast import PLAIN, STR, compose, compose_pure, plain_value

# The core schema's tag resolution table (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
CORE_SCHEMA = [
    ("null", None), ("Null", None), ("NULL", None), ("~", None), ("", None),
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False),
    ("0", 0), ("-19", -19), ("+12", 12), ("007", 7), ("0o14", 12), ("0x3A", 58), ("0xff", 255),
    ("1.5", 1.5), ("-0.0", -0.0), (".5", 0.5), ("0.", 0.0), ("+12e03", 12000.0), ("-2E+05", -200000.0),
    (".inf", math.inf), ("-.Inf", -math.inf), ("+.INF", math.inf),
]
# Plain text that only looks close: YAML 1.1 booleans, words starting like a constant, near-numbers.
STRINGS = ["function", "tool", "text", "type", "nullable", "truthy", "falsey", "yes", "no", "on", "off", "tRUE",
           "nULL", "0x", "0o8", "1_000", "12:30", "1.2.3", "+", "-", ".", "..", "-.5e", "inf", "nan", ".nan.", "~x", "1e"]


@pytest.mark.parametrize(("text", "value"), CORE_SCHEMA)
def test_core_schema_values(text, value):
    result = plain_value(text)
    assert result == value and type(result) is type(value)


def test_nan():
    assert math.isnan(plain_value(".nan")) and math.isnan(plain_value(".NaN"))


@pytest.mark.parametrize("text", STRINGS)
def test_everything_else_is_a_string(text):
    assert plain_value(text) == text


def test_compose_tags_plain_and_quoted_scalars_apart():
    node = compose("a: 1\nb: '1'\n")
    (_, plain), (_, quoted) = node.value
    assert plain.tag == PLAIN and quoted.tag == STR
    assert (plain.start_mark.line, plain.start_mark.column) == (0, 3)


def test_compose_of_nothing_is_none():
    assert compose("") is None and compose("# only a comment\n") is None
    assert compose_pure("") is None


def test_the_pure_composer_builds_the_same_tree():
    text = "a: [1, 'x', {b: ~}]\nc: !file x.json\nd: &anchor\n  e: |\n    text\nf: *anchor\n"

    def shape(node):
        items = node.value if isinstance(node.value, list) else None
        children = None if items is None else [shape(i) if not isinstance(i, tuple) else (shape(i[0]), shape(i[1]))
                                               for i in items]
        return (type(node).__name__, node.tag, children if children is not None else node.value,
                node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)

    assert shape(compose_pure(text)) == shape(compose(text))
