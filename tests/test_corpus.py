"""Ground truth: real requests the live API accepted draw no error and compile back unchanged;
the upstream document's own example request validates."""

from __future__ import annotations

import io
import json

import pytest

from conftest import SHARED, shared_path

CORPUS = sorted((SHARED / "corpus" / "requests").glob("*.json"))


def _refused(request_file) -> bool:
    """The live API refused this request (400), or no provider judged it (404 "No endpoints found for <model>."):
    error rules may fire on it."""
    response = json.loads((request_file.parent.parent / "responses" / request_file.name).read_text("utf-8"))
    return response["status"] == 400 or (response["status"] == 404 and "No endpoints found for " in response["body"])


def _spec_texts(body: dict) -> dict[str, str]:
    from ruamel.yaml import YAML

    stream = io.StringIO()
    yaml = YAML(typ="safe")
    yaml.allow_unicode = True
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False
    yaml.dump({"request": body}, stream)
    return {"json": json.dumps({"request": body}, indent=2), "yaml": stream.getvalue()}


def test_corpus_is_present():
    folder = shared_path("corpus", "requests")
    assert len(list(folder.glob("*.json"))) >= 70


@pytest.mark.parametrize("request_file", CORPUS, ids=lambda p: p.stem[-60:])
def test_corpus_request_lints_without_error_and_compiles_back_identical(request_file, checker, write_spec):
    body = json.loads(request_file.read_text("utf-8"))
    for form, text in _spec_texts(body).items():
        result = checker.check_path(write_spec(text, f"spec.{form}.yaml"))
        errors = [f"{d.code} {d.message}" for d in result.diagnostics if d.severity.value == "error"]
        assert errors == [] or _refused(request_file), form
        assert result.body == body, form
        assert json.dumps(result.body) == json.dumps(body), form  # same key order too


def _upstream_request_examples() -> list:
    from ruamel.yaml import YAML

    document = YAML(typ="safe").load(shared_path("openrouter", "openapi.yaml").read_text("utf-8"))
    operation = document["paths"]["/chat/completions"]["post"]
    examples = []
    for media in operation["requestBody"]["content"].values():
        if "example" in media:
            examples.append(media["example"])
        examples.extend(item["value"] for item in (media.get("examples") or {}).values() if "value" in item)
    component = document["components"]["schemas"]["ChatRequest"]
    if "example" in component:
        examples.append(component["example"])
    examples.extend(component.get("examples") or [])
    return examples


def test_every_upstream_request_example_validates(schemas):
    examples = _upstream_request_examples()
    assert examples
    for example in examples:
        assert schemas.errors(schemas.request_name, example) == []


def test_upstream_example_as_a_spec_has_no_error(checker, write_spec):
    for example in _upstream_request_examples():
        result = checker.check_path(write_spec(_spec_texts(example)["yaml"]))
        assert not result.has_errors, result.diagnostics
        assert result.body == example
