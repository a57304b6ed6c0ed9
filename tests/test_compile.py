"""Compiling: placeholders (vars, --var, env, defaults, the escape), and the round trip property
that a body written under `request:` (its braces escaped) compiles back to exactly itself."""

from __future__ import annotations

import io
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specc.compile import compile_request
from specc.compile import canonical_json, escape_placeholders, render, to_json
from specc.load import load_document
from specc.specfile import build_spec


def test_vars_fill_placeholders_anywhere_in_strings():
    body, missing = render({"a": "Hi {{ name }}!", "b": [{"c": "{{name}}{{ n }}"}], "d": 5},
                           {"name": "Ada", "n": 2})
    assert body == {"a": "Hi Ada!", "b": [{"c": "Ada2"}], "d": 5}
    assert missing == []


def test_values_are_substituted_as_text():
    body, _ = render({"a": "{{ t }} {{ f }} {{ x }}"}, {"t": True, "f": False, "x": 0.5})
    assert body == {"a": "true false 0.5"}


def test_env_placeholders_read_the_given_environment():
    body, missing = render({"a": "{{ env.TEAM }}/{{ env.GONE }}"}, {}, environ={"TEAM": "search"})
    assert body == {"a": "search/{{ env.GONE }}"}
    assert [(m.pointer, m.name) for m in missing] == [(("a",), "env.GONE")]


def test_unresolved_placeholder_is_reported_with_its_pointer_never_emptied():
    body, missing = render({"messages": [{"content": "x {{ who }} y"}]}, {})
    assert body["messages"][0]["content"] == "x {{ who }} y"
    assert [(m.pointer, m.name) for m in missing] == [(("messages", 0, "content"), "who")]


def test_defaults_fill_what_nothing_else_does():
    request = {"a": "{{ env.MODEL | openai/gpt-4o }}", "b": "{{ who|}}!", "c": "{{ env.SET | unused }}",
               "d": "{{ tone | a calm, friendly tone }}"}
    body, missing = render(request, {"tone": "terse"}, environ={"SET": "x"})
    assert body == {"a": "openai/gpt-4o", "b": "!", "c": "x", "d": "terse"}
    assert missing == []


def test_an_escaped_placeholder_is_literal_text():
    body, missing = render({"a": r"Write \{{ name }} and \{{ env.HOME }} as they are"}, {"name": "Ada"})
    assert body == {"a": "Write {{ name }} and {{ env.HOME }} as they are"} and missing == []


@given(st.text(alphabet="{}\\ |ae.v_x", max_size=30))
def test_escaping_any_text_compiles_back_to_it(text):
    body, missing = render({"a": escape_placeholders(text)}, {"a": "VAR"}, environ={"x": "ENV"})
    assert body == {"a": text} and missing == []


def test_other_brace_text_is_left_alone():
    text = "Return {{\"json\": true}} or {{ 1 }} or {{ a-b }} or {single}"
    assert render({"a": text}, {})[0] == {"a": text}


def _compile(path, cli_vars=None, environ=None):
    doc = load_document(path, display=path.name)
    assert doc.diagnostics == [], doc.diagnostics
    spec, problems = build_spec(doc, path.stem)
    assert problems == []
    return compile_request(spec, cli_vars, environ or {})


def test_cli_vars_override_spec_vars(write_spec):
    path = write_spec("vars: {who: spec, what: x}\nrequest:\n  content: '{{ who }} {{ what }}'\n")
    assert _compile(path)[0] == {"content": "spec x"}
    assert _compile(path, {"who": "cli"})[0] == {"content": "cli x"}


def test_cli_vars_fill_a_spec_without_vars(write_spec):
    path = write_spec("request:\n  content: '{{ who }} {{ other }}'\n")
    body, missing = _compile(path, {"who": "cli"})
    assert body == {"content": "cli {{ other }}"}
    assert [m.name for m in missing] == ["other"]


def test_a_spec_without_vars_still_never_sends_a_placeholder_literally(write_spec):
    path = write_spec("request:\n  content: 'Reply as {{ \"k\": 1 }} and {{ name }}'\n")
    body, missing = _compile(path)
    assert body == {"content": 'Reply as {{ "k": 1 }} and {{ name }}'}
    assert [m.name for m in missing] == ["name"]


def test_placeholders_in_included_files_are_filled(write_spec, tmp_path):
    (tmp_path / "prompt.md").write_text("You work for {{ company }}.")
    path = write_spec("vars: {company: Acme}\nrequest:\n  content: !file prompt.md\n")
    assert _compile(path)[0] == {"content": "You work for Acme."}


def test_to_json_keeps_order_and_unicode():
    assert to_json({"z": 1, "a": "é"}) == '{\n  "z": 1,\n  "a": "é"\n}\n'
    assert canonical_json({"z": 1, "a": [1]}) == b'{"a":[1],"z":1}'


# ------------------------------------------------------------------ round trip property

JSON_SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(2 ** 70), max_value=2 ** 70)
                | st.floats(allow_nan=False, allow_infinity=False) | st.text())
# YAML limits an implicit key (JSON's `"key":`) to 1024 characters of source; escaped as \uXXXX
# a character takes up to 6, so keys stay well under that. Request keys are short names anyway.
KEYS = st.text(max_size=64)
JSON_VALUES = st.recursive(
    JSON_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20)
BODIES = st.dictionaries(KEYS, JSON_VALUES, max_size=6)


def _same(a, b) -> bool:
    """Exact JSON equality: types matter (1 is not 1.0 nor True), -0.0 is 0.0."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b and not math.isnan(a)
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _as_yaml(body) -> str:
    from ruamel.yaml import YAML

    stream = io.StringIO()
    yaml = YAML(typ="safe")  # libyaml's emitter, the twin of the C parser specc reads with
    yaml.allow_unicode = True
    yaml.default_flow_style = False  # block style, as people write specs
    yaml.sort_base_mapping_type_on_output = False  # keep the body's key order
    yaml.dump({"request": body}, stream)
    return stream.getvalue()


def _as_json(body) -> str:
    return json.dumps({"request": body}, ensure_ascii=True)


@pytest.mark.parametrize("writer", [_as_yaml, _as_json], ids=["yaml", "json"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BODIES)
def test_any_json_body_compiles_back_to_itself(writer, body, write_spec):
    path = write_spec(writer(escape_placeholders(body)))
    compiled, missing = _compile(path)
    assert missing == []
    assert _same(compiled, body), (compiled, body)
    assert json.loads(to_json(compiled)) == json.loads(json.dumps(body))


@pytest.mark.parametrize("body", [
    {"emoji": "😀 \U0001f680", "nel": "a\x85b", "bom": "\ufeffx", "ls": "a\u2028b"},
    {"big": 2 ** 64 + 1, "neg": -(2 ** 63), "tiny": 5e-324, "huge": 1.7976931348623157e308, "zero": -0.0},
    {"yes": "yes", "no": "no", "null": "null", "tilde": "~", "octal": "0o17", "date": "2026-11-25", "num": "1e3"},
    {"": "", " lead": " trail ", "multi": "line1\nline2\n", "tab": "\t"},
])
@pytest.mark.parametrize("writer", [_as_yaml, _as_json], ids=["yaml", "json"])
def test_edge_case_bodies_round_trip(writer, body, write_spec):
    assert _same(_compile(write_spec(writer(body)))[0], body)
