"""The pydantic-free read of a spec's keys agrees with the pydantic model it stands in for.

Linting checks a spec's own keys with the compiled validator of `spec.schema.json` and
never imports pydantic for a valid spec. That is only sound if whatever the schema
accepts, the model accepts too, with the same values; these tests hold it to that on
every fixture and on generated key values.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from conftest import REPO, SPECS
from specc.load import load_document
from specc.model import Spec
from specc.specfile import build_spec
from specc.schema import SPEC_SCHEMA_FILE, default_schema_dir
from specc.specfile import SPEC_KEYS, SpecFile, SpecKeys, read_spec

KEYS = SpecKeys.from_file(default_schema_dir() / SPEC_SCHEMA_FILE)
FIXTURES = sorted([*SPECS.rglob("*.yaml"), *(REPO / "tests" / "fixtures").rglob("*.yaml"),
                   *(REPO / "tests" / "rules" / "cases").rglob("*.yaml")])


def _typed(fields):
    try:
        return Spec.model_validate(fields)
    except ValidationError:
        return None


def _values(spec):
    return {key: getattr(spec, key) for key in SPEC_KEYS}


def test_the_key_list_is_the_model_s():
    assert SPEC_KEYS == tuple(Spec.model_fields)


def test_the_validator_is_built_from_the_packaged_schema():
    assert KEYS is not None
    assert KEYS.is_valid({"request": {}}) and not KEYS.is_valid({"request": {}, "name": 3})


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(REPO)))
def test_fixtures_read_the_same_with_and_without_pydantic(path):
    doc = load_document(path)
    if not isinstance(doc.data, dict):
        return
    fast, fast_problems = read_spec(doc, path.stem, KEYS)
    slow, slow_problems = build_spec(doc, path.stem)
    assert fast_problems == slow_problems
    assert (fast is None) == (slow is None)
    if fast is not None:
        assert _values(fast) == _values(slow)
        fields = {k: v for k, v in doc.data.items() if k in SPEC_KEYS}
        if fields.get("expect") is None and not fast_problems:
            assert KEYS.is_valid({"name": path.stem, **fields}), "a valid fixture went the slow way"


JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
                         st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8))
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)), max_leaves=8)
KEY_VALUES = {
    "request": st.one_of(st.dictionaries(st.text(max_size=5), JSON_SCALARS, max_size=2), JSON_VALUES),
    "name": JSON_VALUES, "description": JSON_VALUES, "cassette": JSON_VALUES,
    "extends": st.one_of(st.text(max_size=5), st.lists(st.text(max_size=5), max_size=2), JSON_VALUES),
    "vars": st.one_of(st.dictionaries(st.text(max_size=5), JSON_SCALARS, max_size=3), JSON_VALUES),
    "headers": st.one_of(st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2), JSON_VALUES),
    "endpoint": st.one_of(st.just("chat/completions"), JSON_VALUES),
}


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries({"request": KEY_VALUES["request"]},
                             optional={key: strategy for key, strategy in KEY_VALUES.items() if key != "request"}))
def test_what_the_schema_accepts_the_model_accepts_with_the_same_values(fields):
    if not KEYS.is_valid(fields):
        return  # the model decides, and words the message: nothing to agree on
    typed = _typed(fields)
    assert typed is not None, f"the schema accepts what the model refuses: {fields!r}"
    assert _values(SpecFile(**fields)) == _values(typed)


def test_a_typed_spec_is_built_on_demand_and_kept(write_spec):
    path = write_spec("vars: {who: Ada}\nrequest:\n  model: m\n  messages: [{role: user, content: hi}]\n")
    spec, problems = read_spec(load_document(path), "spec", KEYS)
    assert problems == [] and spec is not None
    typed = spec.typed()
    assert isinstance(typed, Spec) and typed.vars == {"who": "Ada"} and spec.typed() is typed


def test_linting_a_valid_spec_does_not_import_pydantic(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "spec.yaml").write_text("request:\n  model: openai/gpt-4o\n  messages: [{role: user, content: hi}]\n")
    code = ("import sys; from specc.cli import main; code = main(['lint', '--no-cache', 'spec.yaml']); "
            "print(code, 'pydantic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert done.stdout.split()[-2:] == ["0", "False"], done.stdout + done.stderr
