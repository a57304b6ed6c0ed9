"""A vendored schema is always used with specc's overlay, wherever it lives; a team's overlay applies after (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path

from specc.schema import SchemaSet
from conftest import REPO, run_cli, shared_path

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
    assert "request.provider.sort" in before.out, before.out  # S103: a value the schema lacks
    (project / "specc-overlay.yaml").write_text(
        "- why: seen in our traffic\n"
        "  evidence: [cassettes/x.yaml#0]\n"
        "  set: /$defs/ProviderPreferences/properties/sort\n"
        "  value: {type: string}\n")
    after = run_cli("lint", "specs", cwd=project)
    assert "request.provider.sort" not in after.out, after.out


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


# ---------------------------------------------------------------------------- specc schema status


def _copied_schema(tmp: Path, date: str = "2026-11-25", patch=None) -> Path:
    folder = tmp / "schemas"
    folder.mkdir()
    vendored = json.loads((REPO / "schemas" / "openrouter.schema.json").read_text())
    if patch:
        patch(vendored)
    lock = json.loads((REPO / "schemas" / "openrouter.lock.json").read_text())
    lock["date"] = date
    (folder / "openrouter.schema.json").write_text(json.dumps(vendored))
    (folder / "openrouter.lock.json").write_text(json.dumps(lock))
    return folder


def test_status_names_the_schema_in_use_and_its_overlay(tmp_path):
    project = _project(tmp_path, 'schema-dir = "schemas"')
    _copied_schema(project, "2020-01-02")
    (project / "specc-overlay.yaml").write_text("- why: ours\n  set: /$defs/ChatRequest/properties/ours\n  value: {type: string}\n")
    result = run_cli("schema", "status", cwd=project)
    assert result.code == 0, result.err
    assert "schema:    project" in result.out and "2020-01-02 (" in result.out
    assert "team overlay " in result.out and "1 entries, 1 applying" in result.out
    data = json.loads(run_cli("schema", "status", "--format", "json", cwd=project).out)
    assert data["schema"] == "project" and data["date"] == "2020-01-02" and data["age_days"] > 365
    assert [entry["pointer"] for entry in data["entries"] if entry["origin"] == "team"] == ["/$defs/ChatRequest/properties/ours"]
    assert not any(entry["retirable"] for entry in data["entries"])


def test_status_reports_entries_upstream_caught_up_with_as_retirable(tmp_path):
    def caught_up(vendored):
        caps = vendored["$defs"]["ProviderPreferences"]["properties"]["max_price"]["properties"]
        for name in ("prompt", "completion", "request", "image", "audio"):
            caps[name] = {"type": ["number", "string"]}

    project = _project(tmp_path, 'schema-dir = "schemas"')
    _copied_schema(project, patch=caught_up)
    data = json.loads(run_cli("schema", "status", "--format", "json", cwd=project).out)
    retirable = [entry["pointer"] for entry in data["entries"] if entry["retirable"]]
    assert retirable == ["/$defs/ProviderPreferences/properties/max_price/properties"]
    assert "retirable: 1" in run_cli("schema", "status", cwd=project).out


def test_lint_warns_once_when_the_schema_is_older_than_the_configured_age(tmp_path):
    project = _project(tmp_path, 'schema-dir = "schemas"\nschema-max-age-days = 30')
    (project / "specs" / "second.yaml").write_text(MAX_PRICE_SPEC.replace("capped", "second"))
    _copied_schema(project, "2020-01-02")
    result = run_cli("lint", "specs", cwd=project)
    assert (result.out + result.err).count("vendored OpenRouter schema is") == 1, result.out + result.err
    again = run_cli("lint", "specs", cwd=project)  # from the cache: still said
    assert (again.out + again.err).count("vendored OpenRouter schema is") == 1
    fresh = _project(tmp_path / "fresh", 'schema-dir = "schemas"\nschema-max-age-days = 100000') if (tmp_path / "fresh").mkdir() is None else None
    _copied_schema(fresh, "2020-01-02")
    quiet = run_cli("lint", "specs", cwd=fresh)
    assert "vendored OpenRouter schema is" not in quiet.out + quiet.err
