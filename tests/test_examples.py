"""The example specs in specs/: each lints with no diagnostic at all, compiles, and together they
cover what the README promises (suffixes, fallbacks, presets, routing, plugins, ...)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SPECS, run_cli
from specc.lint import discover

EXAMPLES = sorted(target.path for target in discover([str(SPECS)]).targets)


def test_there_are_at_least_ten_examples():
    assert len(EXAMPLES) >= 10


def test_specs_folder_lints_clean_with_every_rule():
    result = run_cli("lint", "--no-cache", "specs", cwd=SPECS.parent)  # writes nothing into the checkout
    assert result.code == 0, result.out
    assert result.out.startswith("All checks passed"), result.out
    assert "skipped" not in result.out  # no non-spec YAML hides in specs/ (shared/, base/)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: Path(p).relative_to(SPECS).as_posix())
def test_example_has_no_diagnostic_and_compiles(path, checker):
    result = checker.check_path(path)
    assert [d.message for d in result.diagnostics] == []
    assert result.bodies() and all(isinstance(body, dict) and body.get("model") for _, body in result.bodies())


@pytest.fixture(scope="module")
def bodies(checker):
    """Each example's body, and each variant's of a matrix example."""
    found = {}
    for path in EXAMPLES:
        for variant, body in checker.check_path(path).bodies():
            found[Path(path).relative_to(SPECS).as_posix() + (f"[{variant.variant.label}]" if variant else "")] = body
    return found


def _models(body):
    return [body.get("model", "")] + list(body.get("models", []))


def test_examples_cover_the_features(bodies):
    all_bodies = list(bodies.values())
    models = [m for body in all_bodies for m in _models(body)]
    for suffix in (":nitro", ":floor", ":free"):
        assert any(m.endswith(suffix) for m in models), suffix
    assert any(len(body.get("models", [])) >= 2 for body in all_bodies)
    assert any(m.startswith("@preset/") for m in models)
    assert any("@preset/" in m and not m.startswith("@") for m in models)
    assert any("preset" in body for body in all_bodies)
    routing = {key for body in all_bodies for key in body.get("provider", {})}
    assert {"order", "only", "ignore", "sort", "max_price", "zdr", "data_collection", "require_parameters"} <= routing
    plugins = {plugin["id"] for body in all_bodies for plugin in body.get("plugins", [])}
    assert {"file-parser", "response-healing", "context-compression"} <= plugins
    assert any("reasoning" in body for body in all_bodies)
    assert any(body.get("stream") is True for body in all_bodies)
    assert any("[" in name for name in bodies)  # a matrix spec (issue 19)


def test_tool_example_is_a_complete_tool_loop(bodies):
    body = next(b for b in bodies.values() if any(m["role"] == "tool" for m in b["messages"]))
    assert body["tools"]
    call = next(m for m in body["messages"] if m.get("tool_calls"))["tool_calls"][0]
    assert isinstance(call["function"]["arguments"], str)
    json.loads(call["function"]["arguments"])
    result = next(m for m in body["messages"] if m["role"] == "tool")
    assert result["tool_call_id"] == call["id"]


def test_structured_output_example_pulls_its_schema_from_a_file(bodies):
    body = next(b for b in bodies.values() if b.get("response_format", {}).get("type") == "json_schema")
    assert body["provider"]["require_parameters"] is True
    schema_file = SPECS / "shared" / "schemas" / "invoice.json"
    assert body["response_format"]["json_schema"]["schema"] == json.loads(schema_file.read_text())


def test_extends_example_merges_base_vars_and_prompt_file(bodies):
    body = bodies["support-billing-reply.yaml"]
    base = bodies["base/support-assistant.yaml"]
    assert body["model"] == base["model"]
    assert body["temperature"] == 0.1 and base["temperature"] == 0.3
    system = body["messages"][0]["content"]
    assert "Acme Cloud Storage" in system and "{{" not in system  # the .md prompt, placeholders filled
    assert "charged twice" in body["messages"][1]["content"]


def test_headers_are_inherited_from_the_base(checker):
    spec = checker.check_path(SPECS / "support-billing-reply.yaml").spec
    assert spec.headers["X-OpenRouter-Title"] == "Acme Support Assistant"
    assert spec.name == "support-billing-reply"  # never inherited


def test_var_overrides_a_base_var_on_the_command_line():
    result = run_cli("compile", "specs/support-billing-reply.yaml", "--var", "question=Where is my receipt?",
                     cwd=SPECS.parent)
    assert result.code == 0, result.err
    assert json.loads(result.out)["messages"][1]["content"].endswith(": Where is my receipt?")


def test_examples_avoid_deprecated_forms(bodies):
    for name, body in bodies.items():
        assert not {"max_tokens", "route", "usage", "include_reasoning", "stream_options"} & set(body), name
        assert not any(m.endswith(":online") for m in _models(body)), name
        assert all(p["id"] != "web" for p in body.get("plugins", [])), name
