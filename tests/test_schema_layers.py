"""A vendored schema is always used with specc's overlay, wherever it lives; a team's overlay applies after (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path

from specc.schema import SchemaSet
from tests.conftest import REPO, run_cli, shared_path

MAX_PRICE_SPEC = """\
name: capped
request:
  model: openai/gpt-4o-mini
  provider:
    max_price: {prompt: 1, completion: 2}
  messages: [{role: user, content: hi}]
"""


def _project(tmp: Path, config: str) -> Path:
    (tmp / "pyproject.toml").write_text(f"[tool.specc]\n{config}\n")
    (tmp / "specs").mkdir()
    (tmp / "specs" / "capped.yaml").write_text(MAX_PRICE_SPEC)
    return tmp


def test_a_project_schema_dir_vendored_from_upstream_keeps_specc_overlay(tmp_path):
    """Regression: `schema vendor` into a team's folder wrote no overlay, and every numeric
    `max_price` became S101 (expected string, got number)."""
    source = shared_path("openrouter", "openapi.yaml")
    project = _project(tmp_path, 'schema-dir = "schemas"\ncache = false')
    vendored = run_cli("schema", "vendor", str(source), "--dir", "schemas", cwd=project)
    assert vendored.code == 0, vendored.err
    assert not (project / "schemas" / "overlay.yaml").exists()
    result = run_cli("lint", "specs", cwd=project)
    assert "S101" not in result.out, result.out
    assert result.code == 0, result.out + result.err


def test_the_upstream_document_alone_refuses_numeric_max_price(tmp_path):
    """The test above can fail: without the overlay the vendored schema types the caps as strings."""
    source = shared_path("openrouter", "openapi.yaml")
    assert run_cli("schema", "vendor", str(source), "--dir", str(tmp_path / "schemas")).code == 0
    vendored = json.loads((tmp_path / "schemas" / "openrouter.schema.json").read_text())
    caps = vendored["$defs"]["ProviderPreferences"]["properties"]["max_price"]["properties"]["prompt"]
    assert "number" not in json.dumps(caps)


def test_team_overlay_applies_after_specc_overlay(tmp_path):
    project = _project(tmp_path, 'cache = false')
    (project / "specs" / "capped.yaml").write_text(MAX_PRICE_SPEC.replace("max_price: {prompt: 1, completion: 2}",
                                                                          "max_price: {prompt: 1, completion: 2}\n    sort: cheapest"))
    before = run_cli("lint", "specs", cwd=project)
    assert "S101" in before.out, before.out
    (project / "specc-overlay.yaml").write_text(
        "- why: seen in our traffic\n"
        "  evidence: [cassettes/x.yaml#0]\n"
        "  set: /$defs/ProviderPreferences/properties/sort\n"
        "  value: {type: string}\n")
    after = run_cli("lint", "specs", cwd=project)
    assert "S101" not in after.out, after.out


def test_overlay_key_names_the_team_overlay(tmp_path):
    overlay = tmp_path / "mine.yaml"
    overlay.write_text("- why: x\n  set: /$defs/ChatRequest/properties/team_field\n  value: {type: integer}\n")
    schemas = SchemaSet.load(None, overlay)
    assert "team_field" in schemas.request_properties
    assert "team_field" not in SchemaSet.load().request_properties
    assert SchemaSet.load(None, overlay).digest != SchemaSet.load().digest


def test_a_broken_team_overlay_is_one_usage_error(tmp_path):
    project = _project(tmp_path, 'overlay = "bad.yaml"\ncache = false')
    (project / "bad.yaml").write_text("- why: x\n  set: /$defs/NoSuchThing/properties/a\n  value: {}\n")
    result = run_cli("lint", "specs", cwd=project)
    assert result.code == 2
    assert "NoSuchThing" in result.err and "Traceback" not in result.err


def test_specc_overlay_entries_that_do_not_fit_another_vendored_schema_are_skipped(tmp_path):
    folder = tmp_path / "schemas"
    folder.mkdir()
    vendored = json.loads((REPO / "schemas" / "openrouter.schema.json").read_text())
    del vendored["$defs"]["ProviderPreferences"]
    (folder / "openrouter.schema.json").write_text(json.dumps(vendored))
    (folder / "openrouter.lock.json").write_text((REPO / "schemas" / "openrouter.lock.json").read_text())
    from specc.schema import entry_pointer, load_layers

    layers = load_layers(folder)
    skipped: list = []
    layers.applied(skipped)
    assert skipped and all("ProviderPreferences" in entry_pointer(entry) for entry in skipped)
    SchemaSet.load(folder)  # loads
