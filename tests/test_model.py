"""The spec model: top-level keys, their types, defaults, and the diagnostics for each problem."""

from __future__ import annotations

import pytest

from specc.load import load_document
from specc.model import Spec
from specc.specfile import SPEC_KEYS, build_spec

REQUEST = "request:\n  model: m\n  messages: [{role: user, content: hi}]\n"


def _build(write_spec, text, name="my-spec.yaml"):
    path = write_spec(text, name)
    doc = load_document(path, display=name)
    assert doc.data is not None, doc.diagnostics
    return build_spec(doc, path.stem)


def _codes(problems):
    return [(d.code, d.span.line, d.span.column, d.message) for d in problems]


def test_minimal_spec_and_defaults(write_spec):
    spec, problems = _build(write_spec, REQUEST)
    assert problems == []
    assert spec.name == "my-spec" and spec.endpoint == "chat/completions"
    assert spec.vars is None and spec.extends is None and spec.headers is None


def test_every_key_of_the_format(write_spec):
    text = ("name: n\ndescription: d\nvars: {a: x, b: 1, c: 0.5, d: true}\nheaders: {HTTP-Referer: 'https://acme.test'}\n"
            "endpoint: chat/completions\nexpect: {status: 200}\ncassette: cassettes/n.yaml\n" + REQUEST)
    spec, problems = _build(write_spec, text)
    assert problems == []
    assert (spec.name, spec.description, spec.cassette) == ("n", "d", "cassettes/n.yaml")
    assert spec.vars == {"a": "x", "b": 1, "c": 0.5, "d": True}
    assert spec.headers == {"HTTP-Referer": "https://acme.test"} and spec.expect.status == 200


def test_spec_keys_match_the_issues():
    assert set(SPEC_KEYS) == {"request", "name", "description", "extends", "vars", "headers", "endpoint",
                              "expect", "cassette", "abstract", "matrix"}  # abstract: issue 17, matrix: 19


def test_unknown_key_suggests(write_spec):
    _, problems = _build(write_spec, "descripton: x\n" + REQUEST)
    [(code, line, column, message)] = _codes(problems)
    assert (code, line, column) == ("E002", 1, 1)
    assert message.startswith("unknown spec key 'descripton'; did you mean 'description'?")


def test_unknown_key_without_a_close_match_lists_the_keys(write_spec):
    _, problems = _build(write_spec, "owner: team-search\n" + REQUEST)
    assert _codes(problems) == [("E002", 1, 1, "unknown spec key 'owner' (spec keys: " + ", ".join(SPEC_KEYS) + ")")]


def test_authorization_header_is_refused(write_spec):
    _, problems = _build(write_spec, "headers:\n  authorization: Bearer x\n" + REQUEST)
    [(code, line, column, message)] = _codes(problems)
    assert (code, line, column) == ("E008", 2, 3) and "OPENROUTER_API_KEY" in message


@pytest.mark.parametrize("text, expected", [
    ("request: [1]\n", ("E008", 1, 10, "request must be a mapping (the chat-completions body)")),
    ("name: [a]\n" + REQUEST, ("E008", 1, 7, "name must be a string, not a list")),
    ("vars:\n  a: {b: 1}\n" + REQUEST,
     ("E008", 2, 6, "vars.a must be a string, an integer, a number or a boolean, not a mapping")),
    ("expect: 5\n" + REQUEST, ("E008", 1, 9, "expect must be a mapping, not a number")),
    ("cassette: 5\n" + REQUEST, ("E008", 1, 11, "cassette must be a string, not a number")),
])
def test_wrong_types_are_one_e008_each(write_spec, text, expected):
    _, problems = _build(write_spec, text)
    assert _codes(problems) == [expected]


def test_unknown_key_and_wrong_type_are_both_reported(write_spec):
    _, problems = _build(write_spec, "nmae: x\nname: 5\n" + REQUEST)
    assert sorted(code for code, *_ in _codes(problems)) == ["E002", "E008"]


def test_spec_is_immutable(write_spec):
    spec, _ = _build(write_spec, REQUEST)
    with pytest.raises(Exception):
        spec.name = "other"
    assert isinstance(spec, Spec)
