"""`specc schema diff`: the impact of a newer OpenAPI document on the example specs and cassettes (issue 18).

The "new" document is the shared OpenAPI document with four changes the test writes; the report
must name exactly the specs (and the cassette) each change touches, and nothing else.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_cli, shared_path

REQUIRED_IN_CHUNK = "openrouter_metadata"


def _project(tmp: Path) -> Path:
    """A copy of the example project: its specs, cassettes and config, the packaged schema in use."""
    for name in ("specs", "cassettes"):
        shutil.copytree(REPO / name, tmp / name)
    (tmp / "pyproject.toml").write_text("[tool.specc]\ncache = false\n")
    return tmp


def _write_new(tmp: Path, change) -> Path:
    document = yaml.safe_load(shared_path("openrouter", "openapi.yaml").read_text("utf-8"))
    change(document["components"]["schemas"])
    path = tmp / "new-openapi.json"
    path.write_text(json.dumps(document))
    return path


def remove_field(c):  # a request field upstream dropped
    del c["ChatRequest"]["properties"]["seed"]


def remove_enum_value(c):
    c["ProviderPreferences"]["properties"]["data_collection"]["enum"].remove("deny")


def make_required(c):  # request side, and a stream chunk's field the recorded stream never sent
    c["ProviderPreferences"]["required"] = ["sort"]
    c["ChatStreamChunk"]["required"].append(REQUIRED_IN_CHUNK)


def add_deprecation(c):
    c["ChatRequest"]["properties"]["models"].update(deprecated=True, description="Use `route` instead.")


def _report(project: Path, source: Path) -> tuple[int, dict]:
    result = run_cli("schema", "diff", str(source), "--format", "json", cwd=project)
    assert result.code in (0, 1), result.err
    return result.code, json.loads(result.out)


def _changed(report: dict) -> dict[str, dict]:
    return {Path(spec["path"]).name: spec for spec in report["specs"]}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return _project(tmp_path_factory.mktemp("project"))


def test_the_unchanged_document_changes_nothing(project, tmp_path):
    code, report = _report(project, _write_new(tmp_path, lambda c: None))
    assert code == 0
    assert report["specs"] == [] and report["newly_deprecated"] == [] and report["retirable"] == []
    assert report["summary"]["newly failing"] == 0 and report["summary"]["unaffected"] >= 16


def test_a_removed_field_is_unknown_to_the_specs_that_send_it(project, tmp_path):
    code, report = _report(project, _write_new(tmp_path, remove_field))
    changed = _changed(report)
    assert set(changed) == {"ticket-tagging-floor.yaml"}
    appeared = changed["ticket-tagging-floor.yaml"]["appeared"]
    assert [d["code"] for d in appeared] == ["S102"] and "seed" in appeared[0]["message"]
    assert changed["ticket-tagging-floor.yaml"]["disappeared"] == []


def test_a_removed_enum_value_newly_fails_the_specs_that_use_it(project, tmp_path):
    code, report = _report(project, _write_new(tmp_path, remove_enum_value))
    changed = _changed(report)
    # support-billing-reply.yaml extends specs/base/support-assistant.yaml, where `deny` is written
    assert set(changed) == {"eu-private-routing.yaml", "support-billing-reply.yaml", "support-assistant.yaml"}
    for spec in changed.values():
        assert [d["code"] for d in spec["appeared"]] == ["S101"] and spec["newly_failing"]
    assert code == 1
    assert report["summary"]["newly failing"] == 3


def test_a_property_made_required_names_the_specs_and_the_cassette(project, tmp_path):
    code, report = _report(project, _write_new(tmp_path, make_required))
    changed = _changed(report)
    assert set(changed) == {"eu-private-routing.yaml", "invoice-extraction.yaml", "support-billing-reply.yaml",
                            "support-assistant.yaml", "chat-streaming.yaml", "compare-models.yaml"}
    # a matrix spec: the streamed variant's own cassette, named by its variant
    [failing] = changed["compare-models.yaml"]["responses_failing"]
    assert failing["variant"] == "compare-models[model=google/gemini-2.5-flash,stream=true]"
    for name in ("eu-private-routing.yaml", "invoice-extraction.yaml", "support-billing-reply.yaml", "support-assistant.yaml"):
        assert [d["code"] for d in changed[name]["appeared"]] == ["S101"], changed[name]
        assert "sort" in changed[name]["appeared"][0]["message"]
        assert changed[name]["responses_failing"] == []
    streaming = changed["chat-streaming.yaml"]
    assert streaming["appeared"] == [] and streaming["cassette"].endswith("chat-streaming.yaml")
    assert [r["interaction"] for r in streaming["responses_failing"]] == [0]
    assert REQUIRED_IN_CHUNK in streaming["responses_failing"][0]["message"]
    assert code == 1 and report["summary"]["newly failing"] == 6


def test_a_deprecation_names_the_specs_that_use_the_field_and_its_replacement(project, tmp_path):
    code, report = _report(project, _write_new(tmp_path, add_deprecation))
    assert report["newly_deprecated"] == [{"component": "ChatRequest", "field": "models",
                                           "pointer": "/$defs/ChatRequest/properties/models", "replacement": "route"}]
    changed = _changed(report)
    assert set(changed) == {"summarize-with-fallbacks.yaml"}
    assert [d["field"] for d in changed["summarize-with-fallbacks.yaml"]["deprecated"]] == ["models"]
    assert report["summary"]["newly deprecated"] == 1


def test_all_four_changes_at_once_report_exactly_their_specs(project, tmp_path):
    def everything(c):
        for change in (remove_field, remove_enum_value, make_required, add_deprecation):
            change(c)

    source = _write_new(tmp_path, everything)
    code, report = _report(project, source)
    assert set(_changed(report)) == {"ticket-tagging-floor.yaml", "eu-private-routing.yaml", "support-billing-reply.yaml",
                                     "support-assistant.yaml", "invoice-extraction.yaml", "chat-streaming.yaml", "summarize-with-fallbacks.yaml",
                                     "compare-models.yaml"}
    assert code == 1
    text = run_cli("schema", "diff", str(source), cwd=project)
    assert text.code == 1 and "newly failing" in text.out and "chat-streaming.yaml" in text.out
    markdown = run_cli("schema", "diff", str(source), "--format", "markdown", cwd=project)
    assert "| newly failing | 6 |" in markdown.out and "`" in markdown.out


def test_the_reverse_direction_reports_newly_passing(project, tmp_path):
    """The modified document as the project's schema, the shared one as new: what failed now passes."""
    old = _write_new(tmp_path, remove_enum_value)
    assert run_cli("schema", "vendor", str(old), "--dir", "old-schemas", cwd=project).code == 0
    (project / "pyproject.toml").write_text('[tool.specc]\ncache = false\nschema-dir = "old-schemas"\n')
    try:
        code, report = _report(project, shared_path("openrouter", "openapi.yaml"))
    finally:
        (project / "pyproject.toml").write_text("[tool.specc]\ncache = false\n")
    changed = _changed(report)
    assert set(changed) == {"eu-private-routing.yaml", "support-billing-reply.yaml", "support-assistant.yaml"}
    assert all(spec["newly_passing"] and not spec["newly_failing"] for spec in changed.values())
    assert code == 0 and report["summary"]["newly passing"] == 3


def test_an_upstream_fix_makes_an_overlay_entry_retirable(project, tmp_path):
    def caught_up(c):
        caps = c["ProviderPreferences"]["properties"]["max_price"]["properties"]
        for name in ("prompt", "completion", "request", "image", "audio"):
            caps[name] = {"type": ["number", "string"]}

    code, report = _report(project, _write_new(tmp_path, caught_up))
    assert [r["pointer"] for r in report["retirable"]] == ["/$defs/ProviderPreferences/properties/max_price/properties"]
    assert report["specs"] == []


def test_an_unreadable_new_source_is_one_usage_error(project, tmp_path):
    missing = run_cli("schema", "diff", str(tmp_path / "nope.yaml"), cwd=project)
    assert missing.code == 2 and "nope.yaml" in missing.err and "Traceback" not in missing.err
    (tmp_path / "bad.yaml").write_text("openapi: 3.1.0\npaths: {}\n")
    broken = run_cli("schema", "diff", str(tmp_path / "bad.yaml"), cwd=project)
    assert broken.code == 2 and "Traceback" not in broken.err


def test_vendor_ends_with_the_summary_of_what_adopting_changes(tmp_path):
    project = _project(tmp_path / "project")
    source = _write_new(tmp_path, remove_enum_value)
    result = run_cli("schema", "vendor", str(source), "--dir", "vendored", cwd=project)
    assert result.code == 0, result.err
    assert (project / "vendored" / "openrouter.schema.json").is_file()
    tail = result.err.split("what it changes for the project's specs")[1]
    counts = {line.split(None, 1)[1]: int(line.split(None, 1)[0]) for line in tail.splitlines()[1:] if line.strip()}
    assert counts["newly failing"] == 3 and counts["unaffected"] > 0, result.err  # as `schema diff` says


def test_vendor_outside_a_project_with_specs_prints_no_summary(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.specc]\ncache = false\n")
    result = run_cli("schema", "vendor", str(_write_new(tmp_path, lambda c: None)), "--dir", "out", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "what it changes" not in result.err
