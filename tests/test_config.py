"""`[tool.specc]` discovery, parsing and validation, and CLI flags overriding it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from specc.config import Config, ConfigError, find_config_file, load_config, parse_config
from conftest import run_cli

UNKNOWN_FIELD_SPEC = "request:\n  model: openai/gpt-4o\n  messages: [{role: user, content: hi}]\n  zzz_custom: 1\n"


def project(tmp_path: Path, config: str, name: str = "pyproject.toml") -> Path:
    (tmp_path / name).write_text(config)
    (tmp_path / "specs").mkdir(exist_ok=True)
    (tmp_path / "specs" / "a.yaml").write_text(UNKNOWN_FIELD_SPEC)
    return tmp_path


def codes(result) -> list[str]:
    return [d["code"] for d in json.loads(result.out)["diagnostics"]]


# ------------------------------------------------------------------ discovery


def test_nearest_pyproject_with_a_specc_table_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.specc]\nfail-on = 'warning'\n")
    inner = tmp_path / "team" / "specs"
    inner.mkdir(parents=True)
    (tmp_path / "team" / "pyproject.toml").write_text("[project]\nname = 'x'\n")  # no [tool.specc]: skipped
    assert find_config_file(inner) == tmp_path / "pyproject.toml"


def test_specc_toml_is_found_and_may_be_bare_or_a_tool_table(tmp_path):
    (tmp_path / "specc.toml").write_text("ignore = ['S102']\n")
    assert find_config_file(tmp_path / "spec.yaml") == tmp_path / "specc.toml"
    assert load_config(tmp_path / "specc.toml").ignore == ("S102",)
    (tmp_path / "specc.toml").write_text("[tool.specc]\nignore = ['S101']\n")
    assert load_config(tmp_path / "specc.toml").ignore == ("S101",)


def test_no_config_means_defaults(tmp_path):
    assert load_config(None) == Config()


@pytest.mark.parametrize("text, is_config", [
    ("[project]\nname = 'x'\n", False),
    ("[project]\nname = 'x'\ndependencies = ['specc']\n", False),  # names specc, configures nothing
    ("[tool.ruff]\nline-length = 120\n[tool.specc]\nfail-on = 'warning'\n", True),
    ("tool.specc.fail-on = 'warning'\n", True),
    ("[tool]\nspecc = { fail-on = 'warning' }\n", True),
    ('[tool."spe\\u0063c"]\nfail-on = "warning"\n', True),  # the name spelt with an escape
    ("[project\n", True),  # broken TOML naming specc: reported by load_config
])
def test_a_pyproject_is_the_config_only_with_a_specc_table(tmp_path, text, is_config):
    (tmp_path / "pyproject.toml").write_text(text + "# specc\n" * text.startswith("[project\n"))
    assert find_config_file(tmp_path) == ((tmp_path / "pyproject.toml") if is_config else None)


def test_the_config_root_is_the_resolved_folder_of_the_file(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "specc.toml").write_text("fail-on = 'warning'\n")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    config = load_config(tmp_path / "link" / "specc.toml")
    assert config.root == str((tmp_path / "real").resolve()) and config.source == str(tmp_path / "link" / "specc.toml")
    assert config.fail_on == "warning" and config.replace(fail_on="error").fail_on == "error"


# ------------------------------------------------------------------ parsing


def test_every_documented_key_parses():
    config = parse_config({
        "select": ["OR", "S"], "ignore": ["OR101"], "severity": {"S102": "error", "unused-suppression": "info"},
        "per-file-ignores": {"legacy/*.yaml": ["S102"]}, "fail-on": "warning", "exclude": ["vendor/"],
    }, "pyproject.toml", root="/project")
    assert config.select == ("OR", "S") and config.ignore == ("OR101",)
    assert config.severity == {"S102": "error", "unused-suppression": "info"}
    assert config.per_file_ignores == {"legacy/*.yaml": ("S102",)}
    assert config.fail_on == "warning" and config.exclude == ("vendor/",) and config.root == "/project"


@pytest.mark.parametrize("table, named", [
    ({"selct": ["OR"]}, "'selct'; did you mean 'select'"),
    ({"select": "OR1"}, "select must be a list"),
    ({"severity": {"S102": "fatal"}}, "severity of 'S102' is 'fatal'"),
    ({"severity": ["S102"]}, "severity must be a table"),
    ({"per-file-ignores": {"a/*.yaml": "S102"}}, "per-file-ignores['a/*.yaml'] must be a list"),
    ({"fail-on": "info"}, "fail-on must be"),
])
def test_bad_values_name_the_key(table, named):
    with pytest.raises(ConfigError) as caught:
        parse_config(table, "pyproject.toml")
    assert named in str(caught.value)
    assert str(caught.value).startswith("pyproject.toml: [tool.specc]")


# ------------------------------------------------------------------ through the CLI


def test_unknown_key_is_a_usage_error_naming_it(tmp_path):
    root = project(tmp_path, "[tool.specc]\nfail_onn = 'warning'\n")
    result = run_cli("lint", "specs", cwd=root)
    assert result.code == 2
    assert "fail_onn" in result.err and "pyproject.toml" in result.err


@pytest.mark.parametrize("config, named", [
    ("select = ['OR9Z']", "'OR9Z' in select"),
    ("ignore = ['no-such-rule']", "'no-such-rule' in ignore"),
    ("[tool.specc.severity]\nnot-a-rule = 'error'", "'not-a-rule' in severity"),
    ("[tool.specc.per-file-ignores]\n'x/*.yaml' = ['S1O2']", "'S1O2' in per-file-ignores"),
    ("ignore = ['E004']", "cannot be ignored"),
])
def test_unknown_rule_in_the_config_is_a_usage_error_naming_it(tmp_path, config, named):
    root = project(tmp_path, "[tool.specc]\n" + config + "\n")
    result = run_cli("lint", "specs", cwd=root)
    assert result.code == 2, result
    assert named in result.err


def test_unknown_rule_on_the_command_line_names_the_flag(tmp_path):
    root = project(tmp_path, "[tool.specc]\n")
    result = run_cli("lint", "specs", "--select", "S,BOGUS", cwd=root)
    assert result.code == 2
    assert "'BOGUS'" in result.err and "command line" in result.err


def test_fail_on_from_the_file_and_the_flag_overrides_it(tmp_path):
    root = project(tmp_path, "[tool.specc]\nfail-on = 'warning'\n")
    assert run_cli("lint", "specs", cwd=root).code == 1          # S102 is a warning
    assert run_cli("lint", "specs", "--fail-on", "error", cwd=root).code == 0


def test_ignore_from_the_file_and_select_flag_overrides_select(tmp_path):
    root = project(tmp_path, "[tool.specc]\nignore = ['unknown-request-field']\n")
    assert codes(run_cli("lint", "specs", "--format", "json", cwd=root)) == []
    root = project(tmp_path, "[tool.specc]\nselect = ['OR']\n")
    assert codes(run_cli("lint", "specs", "--format", "json", cwd=root)) == []
    assert codes(run_cli("lint", "specs", "--format", "json", "--select", "S", cwd=root)) == ["S102"]


def test_severity_override_changes_the_exit_code(tmp_path):
    root = project(tmp_path, "[tool.specc.severity]\nS102 = 'error'\n")
    result = run_cli("lint", "specs", "--format", "json", cwd=root)
    assert result.code == 1
    assert json.loads(result.out)["diagnostics"][0]["severity"] == "error"


def test_per_file_ignores_apply_to_matching_files_only(tmp_path):
    root = project(tmp_path, "[tool.specc.per-file-ignores]\n'specs/legacy/*.yaml' = ['S102']\n")
    (root / "specs" / "legacy").mkdir()
    (root / "specs" / "legacy" / "old.yaml").write_text(UNKNOWN_FIELD_SPEC)
    result = run_cli("lint", "specs", "--format", "json", cwd=root)
    paths = [d["path"] for d in json.loads(result.out)["diagnostics"]]
    assert paths == ["specs/a.yaml"]


def test_exclude_globs_skip_files(tmp_path):
    root = project(tmp_path, "[tool.specc]\nexclude = ['specs/generated/']\n")
    (root / "specs" / "generated").mkdir()
    (root / "specs" / "generated" / "g.yaml").write_text(UNKNOWN_FIELD_SPEC)
    summary = json.loads(run_cli("lint", "specs", "--format", "json", cwd=root).out)["summary"]
    assert summary["files"] == 1


BROKEN_SPEC = "request:\n  model: openai/gpt-4o\n  messages: [{role: user, content: hi}]\n  temperature: hot\n"


def test_exclude_applies_to_files_named_on_the_command_line(tmp_path):
    """pre-commit names each staged file: an excluded one must not fail the commit."""
    root = project(tmp_path, "[tool.specc]\nexclude = ['fixtures/']\n")
    (root / "fixtures").mkdir()
    (root / "fixtures" / "broken.yaml").write_text(BROKEN_SPEC)
    result = run_cli("lint", "--specs-only", "fixtures/broken.yaml", "specs/a.yaml", "--format", "json", cwd=root)
    assert result.code == 0, result.out + result.err
    assert [d["path"] for d in json.loads(result.out)["diagnostics"]] == ["specs/a.yaml"]
    assert "not checked, excluded by [tool.specc] exclude: fixtures/broken.yaml" in result.err
    tested = run_cli("test", "fixtures/broken.yaml", "specs/a.yaml", cwd=root)
    assert "fixtures/broken.yaml" not in tested.out, tested.out


def test_force_exclude_false_checks_named_files_anyway(tmp_path):
    root = project(tmp_path, "[tool.specc]\nexclude = ['fixtures/']\nforce-exclude = false\n")
    (root / "fixtures").mkdir()
    (root / "fixtures" / "broken.yaml").write_text(BROKEN_SPEC)
    assert run_cli("lint", "fixtures/broken.yaml", cwd=root).code == 1
    assert json.loads(run_cli("lint", ".", "--format", "json", cwd=root).out)["summary"]["files"] == 1  # walks still exclude


@pytest.mark.parametrize("glob, matched", [
    ("legacy/", True), ("legacy", True), ("./legacy/*.yaml", True), ("legacy/*.yaml", True),
    ("old.yaml", True), ("*.yaml", True), ("specs/*", False), ("legacy/new.yaml", False),
])
def test_exclude_and_per_file_ignores_read_a_glob_the_same_way(tmp_path, glob, matched):
    """One glob, the same files, whichever key it is under (walked and named alike)."""
    from specc.config import matches_glob
    from specc.selection import path_matches

    root = project(tmp_path, "[tool.specc]\n")
    (root / "legacy").mkdir()
    (root / "legacy" / "old.yaml").write_text(UNKNOWN_FIELD_SPEC)
    (root / "pyproject.toml").write_text(f"[tool.specc]\nexclude = [{glob!r}]\n")
    excluded_walked = json.loads(run_cli("lint", "legacy", "--allow-empty", "--format", "json", cwd=root).out)["summary"]["files"] == 0
    excluded_named = "excluded" in run_cli("lint", "legacy/old.yaml", cwd=root).err
    (root / "pyproject.toml").write_text(f"[tool.specc.per-file-ignores]\n{glob!r} = ['S102']\n")
    ignored = codes(run_cli("lint", "legacy/old.yaml", "--format", "json", cwd=root)) == []
    assert excluded_walked == excluded_named == ignored == matched
    legacy = str(root / "legacy" / "old.yaml")
    assert matches_glob(legacy, (glob,), os.path.realpath(root)) == path_matches(legacy, glob, os.path.realpath(root)) == matched


def test_explicit_config_flag(tmp_path):
    root = project(tmp_path, "[tool.specc]\n")
    (root / "strict.toml").write_text("fail-on = 'warning'\n")
    assert run_cli("lint", "specs", "--config", "strict.toml", cwd=root).code == 1
    assert run_cli("lint", "specs", "--config", "missing.toml", cwd=root).code == 2
