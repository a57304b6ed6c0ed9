"""spec.schema.json as a YAML editor uses it: tags are their scalar text, nothing is read.

yaml-language-server (VS Code's YAML extension, and the others built on it), with specc's tags
declared in `yaml.customTags`, sees `schema: !file invoice.json` as the string `invoice.json`.
Validated with a generic validator (jsonschema), every example spec and every spec in the README
must pass, and the schema must still catch what it caught before.
"""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from specc.load import is_spec_text
from specc.schema import SPEC_SCHEMA_FILE
from specc.include_tags import INCLUDED_DATA, accept_include_tags, without_include_tags
from specc.spec_schema import spec_schema_document
from conftest import REPO, SPECS, run_cli

TAGS = ("!file", "!data-url", "!base64")


class EditorLoader(yaml.SafeLoader):
    """YAML as an editor reads it: a specc tag is a scalar whose value is its text."""


for _tag in TAGS:
    EditorLoader.add_constructor(_tag, lambda loader, node: loader.construct_scalar(node))


@pytest.fixture(scope="module")
def validator():
    schema = json.loads((REPO / "schemas" / SPEC_SCHEMA_FILE).read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def editor_errors(validator, text: str) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(yaml.load(text, Loader=EditorLoader))]


def example_specs() -> list:
    return sorted(p for p in SPECS.rglob("*.yaml") if is_spec_text(p.read_text("utf-8")))


def readme_specs() -> list[str]:
    readme = (REPO / "README.md").read_text("utf-8")
    # whole specs, not the fragments that illustrate one key
    return [block for block in re.findall(r"```yaml\n(.*?)```", readme, re.S)
            if is_spec_text(block) and re.search(r"^\s+(messages|prompt):", block, re.M)]


@pytest.mark.parametrize("path", example_specs(), ids=lambda p: p.relative_to(SPECS).as_posix())
def test_every_example_spec_is_valid_as_an_editor_sees_it(validator, path):
    assert editor_errors(validator, path.read_text("utf-8")) == []


def test_the_examples_use_file_for_data_and_text(validator):
    """The cases the fix is for: `!file` standing for a JSON schema (an object) and for a prompt."""
    texts = "\n".join(p.read_text("utf-8") for p in example_specs())
    assert re.search(r"schema: !file \S+\.json", texts)
    assert re.search(r"content: !file \S+\.md", texts)


def test_every_spec_in_the_readme_is_valid_as_an_editor_sees_it(validator):
    blocks = readme_specs()
    assert any("!file" in block for block in blocks)
    for block in blocks:
        assert editor_errors(validator, block) == [], block


def test_the_readme_expect_block_with_a_file_schema_is_valid(validator):
    readme = (REPO / "README.md").read_text("utf-8")
    block = re.search(r"```yaml\n(expect:\n.*?)```", readme, re.S).group(1)
    assert "json_schema: !file" in block
    spec = "request: {model: m, messages: [{role: user, content: hi}]}\n" + block
    assert editor_errors(validator, spec) == []


MINIMAL = "request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: {content}\n{extra}"


@pytest.mark.parametrize("extra", [
    "  response_format: {type: json_schema, json_schema: {name: x, schema: !file schema.yaml}}\n",
    "  tools: !file tools.json\n",
    "vars: !file vars.yml\n",
    "expect: {content: {json_schema: !file s.JSON}}\n",
])
def test_file_tags_that_read_data_are_accepted_where_data_goes(validator, extra):
    assert editor_errors(validator, MINIMAL.format(content="hi", extra=extra)) == []


@pytest.mark.parametrize("content", ["!file prompt.md", "!data-url notes.txt"])
def test_text_tags_are_accepted_where_strings_go(validator, content):
    assert editor_errors(validator, MINIMAL.format(content=content, extra="")) == []


@pytest.mark.parametrize("extra", [
    "  temperature: hot\n",                         # a wrong type: still an error
    "  tools: !file tools.md\n",                    # text where a list goes: specc would refuse it too
    "  stream: !file stream.md\n",                  # text where a boolean goes
    "nmae: typo\n",                                 # a misspelt spec key
    "  messages: !file\n",                          # no path at all
])
def test_the_schema_still_catches_what_it_caught(validator, extra):
    text = "request:\n  model: m\n" + extra if extra.startswith("  messages") else MINIMAL.format(content="hi", extra=extra)
    assert editor_errors(validator, text) != []


def test_an_enum_is_still_checked(validator):
    assert editor_errors(validator, MINIMAL.format(content="hi", extra="").replace("role: user", "role: usr")) != []


def test_include_alternatives_are_added_and_removed_exactly(schemas):
    document = spec_schema_document(schemas)
    assert INCLUDED_DATA in document["$defs"]
    plain = without_include_tags(document)
    assert INCLUDED_DATA not in json.dumps(plain)
    assert accept_include_tags(plain) == document
    assert json.dumps(plain).count("anyOf") < json.dumps(document).count("anyOf")


def test_a_position_that_takes_strings_is_left_as_it_is():
    document = {"type": "object", "properties": {
        "text": {"type": "string"}, "either": {"anyOf": [{"type": "string"}, {"type": "array"}]},
        "number": {"type": "number", "description": "a number"}, "untyped": {}}}
    properties = accept_include_tags(document)["properties"]
    assert properties["text"] == {"type": "string"} and properties["untyped"] == {}
    assert properties["either"] == document["properties"]["either"]
    assert properties["number"] == {"anyOf": [{"type": "number"}, {"$ref": f"#/$defs/{INCLUDED_DATA}"}],
                                    "description": "a number"}


def test_a_request_must_be_complete_unless_the_spec_extends_a_base(validator):
    partial = "request:\n  model: m\n  temperature: 0.2\n"
    assert any("messages" in e or "valid under any" in e for e in editor_errors(validator, partial))
    assert editor_errors(validator, "extends: base.yaml\n" + partial) == []
    assert editor_errors(validator, "extends: base.yaml\nrequest:\n  temperature: hot\n") != []


def test_a_base_only_need_not_be_complete(validator):
    partial = "request:\n  provider: {sort: price}\n"
    assert editor_errors(validator, "abstract: true\n" + partial) == []
    assert editor_errors(validator, "abstract: false\n" + partial) != []
    assert editor_errors(validator, "abstract: true\nrequest:\n  temperature: hot\n") != []


# ------------------------------------------------------------------ the README's Editors section, as written


def _editors_section() -> str:
    readme = (REPO / "README.md").read_text("utf-8")
    return readme[readme.index("## Editors\n"):readme.index("## Using specs at runtime")]


def test_the_readme_editor_settings_are_what_specc_init_writes_with_the_published_url():
    import json

    from specc.about import SPEC_SCHEMA_PATH, raw_url
    from specc.init import editor_settings

    block = re.search(r"```json\n(.*?)```", _editors_section(), re.S).group(1)
    url = raw_url(SPEC_SCHEMA_PATH)
    assert json.loads(block) == editor_settings(url)
    assert run_cli("schema", "path", "--url").out.strip() == url


def test_the_schemastore_entry_names_the_published_schema_and_the_specs_glob():
    import json

    from specc.about import SPEC_SCHEMA_PATH, raw_url
    from specc.init import SPECS_GLOB

    entry = json.loads((REPO / "docs" / "schemastore-catalog-entry.json").read_text("utf-8"))
    assert entry["url"] == raw_url(SPEC_SCHEMA_PATH) and SPECS_GLOB in entry["fileMatch"]
    assert set(entry) == {"name", "description", "fileMatch", "url"}  # the keys a SchemaStore catalog entry has


def test_the_helix_and_neovim_snippets_start_specc_server():
    import tomllib

    section = _editors_section()
    helix = tomllib.loads(re.search(r"```toml\n(.*?)```", section, re.S).group(1).replace("\n  ", "\n"))
    assert [helix["language-server"]["specc"]["command"], *helix["language-server"]["specc"]["args"]] == ["specc", "server"]
    assert "specc" in helix["language"][0]["language-servers"]
    assert 'cmd = { "specc", "server" }' in re.search(r"```lua\n(.*?)```", section, re.S).group(1)
