"""Loading: every load-time E-code at its position, `extends` merging, `!file` includes, limits."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from specc.load import Limits, deep_merge, find_project_root, is_spec_text, load_document

BODY = "request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: hi\n"


@pytest.fixture
def project(tmp_path):
    """A temporary project root; `write(name, text)` creates files in it."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")

    def write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text)
        return path

    write.root = tmp_path
    return write


def load(path: Path, **kwargs):
    return load_document(path, display=path.name, **kwargs)


def only(doc):
    assert len(doc.diagnostics) == 1, doc.diagnostics
    d = doc.diagnostics[0]
    return d.code, d.span.line, d.span.column, d.message


# ------------------------------------------------------------------ plain loading


def test_valid_spec_loads_to_plain_data(project):
    doc = load(project("s.yaml", BODY))
    assert doc.diagnostics == []
    assert doc.data == {"request": {"model": "openai/gpt-4o", "messages": [{"role": "user", "content": "hi"}]}}


def test_scalars_are_typed_by_the_yaml_12_core_schema(project):
    doc = load(project("s.yaml", "request:\n  a: yes\n  b: 0o17\n  c: 1e3\n  d: ~\n  e: '5'\n  f: 012\n  g: true\n"))
    assert doc.data["request"] == {"a": "yes", "b": 15, "c": 1000.0, "d": None, "e": "5", "f": 12, "g": True}


@pytest.mark.parametrize("text, line, column, words", [
    ("request: [\n", 1, 11, "YAML syntax error"),
    ("request:\n  model: a\n  model: b\n", 3, 3, "duplicate key 'model'"),
    ("base: &b {a: 1}\nrequest:\n  <<: *b\n", 3, 3, "merge keys"),
    ("request:\n  t: !!python/object x\n", 2, 6, "unknown YAML tag"),
    ("request:\n  t: .nan\n", 2, 6, "not a JSON number"),
    ("request:\n  ? [a, b]\n  : 1\n", 2, 5, "mapping keys must be plain scalars"),
    ("a: 1\n---\nb: 2\n", 2, 1, "more than one YAML document"),
    ("request: {url: https://x.test, model: a: b}\n", 1, 40, "did not find expected ','"),
    ("request:\n\tmodel: x\n", 2, 1, "(a tab); indent with spaces"),
])
def test_yaml_problems_are_one_e001_at_their_position(project, text, line, column, words):
    code, got_line, got_column, message = only(load(project("s.yaml", text)))
    assert (code, got_line, got_column) == ("E001", line, column)
    assert words in message


def test_a_url_in_a_flow_mapping_is_valid_yaml(project):
    """YAML 1.2 lets a plain scalar in a flow collection hold `:` followed by a non-space."""
    doc = load(project("s.yaml", "request: {url: https://x.test/a:b}\n"))
    assert doc.diagnostics == [] and doc.data == {"request": {"url": "https://x.test/a:b"}}


def test_empty_file_is_e006(project):
    assert only(load(project("s.yaml", "# only a comment\n")))[:3] == ("E006", 1, 1)


@pytest.mark.parametrize("text, kind", [("- 1\n- 2\n", "a list"), ("just text\n", "a str"), ("5\n", "a int")])
def test_non_mapping_document_is_e006(project, text, kind):
    code, line, column, message = only(load(project("s.yaml", text)))
    assert (code, line, column) == ("E006", 1, 1)
    assert message.endswith(f"not {kind}")


def test_binary_file_is_refused(project):
    code, _, _, message = only(load(project("s.yaml", b"request:\x00\x01\x02")))
    assert code == "E001" and "binary" in message


def test_invalid_utf8_names_the_byte_and_its_line(project):
    code, line, _, message = only(load(project("s.yaml", b"request:\n  model: \xff\n")))
    assert (code, line) == ("E001", 2)
    assert "not valid UTF-8" in message and "0xff" in message


def test_utf8_bom_is_accepted(project):
    assert load(project("s.yaml", b"\xef\xbb\xbf" + BODY.encode())).diagnostics == []


def test_file_over_the_size_limit_is_e007(project):
    path = project("s.yaml", BODY + "#" * 2000)
    code, _, _, message = only(load(path, limits=Limits(max_file_bytes=1000)))
    assert code == "E007" and "limit" in message


def test_nesting_limit(project):
    deep = "request: " + "[" * 30 + "]" * 30 + "\n"
    assert only(load(project("s.yaml", deep), limits=Limits(max_depth=10)))[0] == "E007"


def test_string_length_limit(project):
    assert only(load(project("s.yaml", "request: {a: " + "x" * 50 + "}\n"), limits=Limits(max_string_length=20)))[0] == "E007"


def test_a_string_the_file_limit_admits_is_admitted(project):
    """The corpus holds a 3.7 MB inline base64 image the live API answered: one string may be as
    long as a file may be, and a raised file limit raises the string limit with it."""
    image = "data:image/png;base64," + "A" * 3_700_000
    assert load(project("s.yaml", f"request: {{url: '{image}'}}\n")).diagnostics == []
    from specc.config import Config

    limits = Config(max_file_bytes=8_000_000).limits()
    assert limits.max_string_length == 8_000_000
    assert Config(max_file_bytes=8_000_000, max_string_length=100).limits().max_string_length == 100


def test_alias_bomb_is_stopped(project):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]")
    lines.append("request: {model: *a7}")
    code, _, _, message = only(load(project("s.yaml", "\n".join(lines) + "\n")))
    assert code == "E007" and "alias" in message


def test_aliases_are_copied_not_shared(project):
    doc = load(project("s.yaml", "request:\n  a: &x {k: [1]}\n  b: *x\n"))
    assert doc.data["request"]["a"] == doc.data["request"]["b"]
    assert doc.data["request"]["a"] is not doc.data["request"]["b"]


def test_fifo_is_refused_without_blocking(project):
    path = project.root / "pipe.yaml"
    os.mkfifo(path)
    code, _, _, message = only(load(path))
    assert code == "E001" and "not a regular file" in message


# ------------------------------------------------------------------ extends


def test_extends_merges_mappings_and_replaces_lists_and_scalars(project):
    project("base.yaml", "request:\n  model: base/model\n  provider: {order: [a, b], sort: price}\n"
                         "  messages: [{role: system, content: base}]\n  temperature: 0.5\n")
    doc = load(project("s.yaml", "extends: base.yaml\nrequest:\n  provider: {order: [c]}\n"
                                 "  messages: [{role: user, content: mine}]\n"))
    assert doc.diagnostics == []
    assert doc.data == {"request": {
        "model": "base/model", "provider": {"order": ["c"], "sort": "price"},
        "messages": [{"role": "user", "content": "mine"}], "temperature": 0.5}}


def test_later_bases_win_and_the_spec_wins_last(project):
    project("one.yaml", "request: {model: one, temperature: 1, top_p: 0.1}\n")
    project("two.yaml", "request: {model: two, temperature: 2}\n")
    doc = load(project("s.yaml", "extends: [one.yaml, two.yaml]\nrequest: {model: mine}\n"))
    assert doc.data["request"] == {"model": "mine", "temperature": 2, "top_p": 0.1}


def test_bases_chain_and_do_not_pass_on_their_name(project):
    project("base/root.yaml", "name: root\ndescription: d\nvars: {x: 1}\nrequest: {model: root, seed: 1}\n")
    project("base/mid.yaml", "extends: root.yaml\nrequest: {model: mid}\n")
    doc = load(project("s.yaml", "extends: base/mid.yaml\nrequest: {}\n"))
    assert doc.data == {"vars": {"x": 1}, "request": {"model": "mid", "seed": 1}}


def test_base_is_not_mutated_by_merging():
    base = {"request": {"provider": {"order": ["a"]}}}
    merged = deep_merge(base, {"request": {"provider": {"sort": "price"}}})
    merged["request"]["provider"]["order"].append("b")
    assert base == {"request": {"provider": {"order": ["a"]}}}


def test_missing_base_is_e003_at_the_entry(project):
    path = project("s.yaml", "name: x\nextends:\n  - ok.yaml\n  - gone.yaml\nrequest: {}\n")
    project("ok.yaml", "request: {}\n")
    assert only(load(path))[:3] == ("E003", 4, 5)


def test_cycle_is_e003_at_the_specs_own_entry_with_the_chain(project):
    project("b.yaml", "request: {}\nextends: a.yaml\n")
    code, line, column, message = only(load(project("a.yaml", "# a\nextends: b.yaml\nrequest: {}\n")))
    assert (code, line, column) == ("E003", 2, 10)
    assert message == "extends cycle: a.yaml -> b.yaml -> a.yaml"


def test_self_extension_is_a_cycle(project):
    assert only(load(project("a.yaml", "extends: a.yaml\nrequest: {}\n")))[:3] == ("E003", 1, 10)


@pytest.mark.parametrize("target", ["../outside.yaml", "/etc/hosts", "https://example.com/base.yaml"])
def test_extends_outside_the_project_is_refused(project, target):
    code, line, column, message = only(load(project("s.yaml", f"extends: '{target}'\nrequest: {{}}\n")))
    assert (code, line, column) == ("E003", 1, 10)
    assert target in message


def test_extends_must_be_paths(project):
    assert only(load(project("s.yaml", "extends: {a: 1}\nrequest: {}\n")))[:3] == ("E003", 1, 10)


def test_error_inside_a_base_points_into_the_base(project):
    project("base.yaml", "request:\n  model: [unclosed\n")
    code, line, _, _ = only(load(project("s.yaml", "extends: base.yaml\nrequest: {}\n")))
    assert code == "E001" and line == 2  # the unclosed bracket's line, in the base
    assert load(project("s2.yaml", "extends: base.yaml\nrequest: {}\n")).diagnostics[0].span.path.endswith("base.yaml")


def test_span_of_a_value_from_a_base_is_in_the_base(project):
    project("sub/base.yaml", "request:\n  model: base\n  temperature: 0.5\n")
    doc = load(project("s.yaml", "extends: sub/base.yaml\nrequest:\n  model: mine\n"))
    temperature = doc.span_of(("request", "temperature"))
    assert (Path(temperature.path).name, temperature.line, temperature.column) == ("base.yaml", 3, 16)
    model = doc.span_of(("request", "model"))
    assert (model.path, model.line, model.column) == ("s.yaml", 3, 10)


# ------------------------------------------------------------------ !file


def test_file_include_text_json_and_yaml(project):
    project("prompts/system.md", "You are helpful.\n")
    project("schemas/out.json", '{"type": "object", "properties": {"n": {"type": "integer"}}}')
    project("schemas/out.yaml", "type: object\nrequired: [n]\n")
    doc = load(project("s.yaml", "request:\n  a: !file prompts/system.md\n  b: !file schemas/out.json\n"
                                 "  c: !file schemas/out.yaml\n"))
    assert doc.diagnostics == []
    assert doc.data["request"] == {"a": "You are helpful.\n",
                                   "b": {"type": "object", "properties": {"n": {"type": "integer"}}},
                                   "c": {"type": "object", "required": ["n"]}}


def test_file_include_is_relative_to_the_file_that_names_it(project):
    project("base/prompt.md", "from base")
    project("base/base.yaml", "request:\n  p: !file prompt.md\n")
    doc = load(project("s.yaml", "extends: base/base.yaml\nrequest: {}\n"))
    assert doc.data["request"]["p"] == "from base"


@pytest.mark.parametrize("target, words", [
    ("../secret.txt", "outside the project"),
    ("/etc/hostname", "absolute paths"),
    ("https://example.com/p.md", "URLs"),
    ("missing.md", "not found"),
    ("", "needs a path"),
])
def test_bad_file_include_is_e005_at_the_tag(project, target, words):
    code, line, column, message = only(load(project("s.yaml", f"request:\n  content: !file {target}\n")))
    assert (code, line, column) == ("E005", 2, 12)
    assert words in message


def test_symlink_leading_out_of_the_project_is_refused(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.txt"
    outside.write_text("secret")
    (project.root / "link.txt").symlink_to(outside)
    code, _, _, message = only(load(project("s.yaml", "request:\n  content: !file link.txt\n")))
    assert code == "E005" and "outside the project" in message


def test_symlink_inside_the_project_is_followed(project):
    project("real.md", "inside")
    (project.root / "link.md").symlink_to(project.root / "real.md")
    assert load(project("s.yaml", "request:\n  content: !file link.md\n")).data["request"]["content"] == "inside"


def test_unparsable_included_json_is_e005(project):
    project("bad.json", "{not json")
    code, line, _, message = only(load(project("s.yaml", "request:\n  schema: !file bad.json\n")))
    assert (code, line) == ("E005", 2) and "invalid JSON" in message


def test_yaml_include_that_includes_itself_is_e005(project):
    project("loop.yaml", "a: !file loop.yaml\n")
    code, _, _, message = only(load(project("s.yaml", "request:\n  x: !file loop.yaml\n")))
    assert code == "E005" and "cycle" in message


def test_include_position_is_the_tag(project):
    project("schema.json", json.dumps({"type": "object"}))
    doc = load(project("s.yaml", "request:\n  response_format:\n    schema: !file schema.json\n"))
    span = doc.span_of(("request", "response_format", "schema", "type"))
    assert (span.line, span.column) == (3, 13)


# ------------------------------------------------------------------ helpers


def test_project_root_is_the_nearest_pyproject_or_git(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / ".git").mkdir()
    assert find_project_root(tmp_path / "a" / "b") == (tmp_path / "a").resolve()
    assert find_project_root(tmp_path) == tmp_path.resolve()


@pytest.mark.parametrize("text, expected", [
    ("request:\n  model: x\n", True), ("# c\nname: n\nrequest: {}\n", True), ('"request": {}', True),
    ("repos:\n  - repo: x\n", False), ("foo:\n  request: 1\n", False),
    ("\ufeffrequest:\n  model: x\n", True), ('{"request": {"model": "x"}}', True),
    ('{\n  "name": "n",\n  "request": {}\n}', True), ('{"name": "n"}', False), ("{not json", False),
])
def test_is_spec_text(text, expected):
    assert is_spec_text(text) is expected


def test_json_document_with_surrogate_pair_escapes_loads(project):
    text = json.dumps({"request": {"content": "launch \U0001f680", "raw": "\\ud83d\\ude80"}})
    assert "\\ud83d\\ude80" in text  # Python's json writes the rocket as a surrogate pair
    doc = load(project("s.yaml", text))
    assert doc.diagnostics == []
    assert doc.data == {"request": {"content": "launch \U0001f680", "raw": "\\ud83d\\ude80"}}
