"""`specc init` on a scratch repository that already has a pyproject.toml and a pre-commit config:
it adds what is missing, never changes anything else, and `--dry-run` writes nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from specc import init as specc_init
from specc.config import _tomllib, load_config
from conftest import REPO, run_cli

PYPROJECT = """# the demo project
[project]
name = "demo"   # keep this comment
version = "1.0"

[tool.ruff]
line-length = 100

[other]
x = 1"""  # no final newline, on purpose

# pre-commit's own sample layout (`-   repo:`), with comments that must survive
PRECOMMIT = """# hooks for the demo
repos:
-   repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.6.0   # pinned
    hooks:
    -   id: trailing-whitespace
    -   id: end-of-file-fixer
"""


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.parts}


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "demo"
    root.mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / ".pre-commit-config.yaml").write_text(PRECOMMIT)
    (root / "README.md").write_text("# demo\n")
    return root


def _checkout_head() -> str:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("the checkout is not a git repository")
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()


def test_dry_run_writes_nothing_and_shows_every_file(repo):
    before = _snapshot(repo)
    result = run_cli("init", "--dry-run", str(repo))
    assert result.code == 0, result.out + result.err
    assert _snapshot(repo) == before
    assert not (repo / "specs").exists() and not (repo / "cassettes").exists()
    for path in ("pyproject.toml", ".pre-commit-config.yaml", "specs/base/default.yaml", "specs/example.yaml",
                 "cassettes/.gitkeep", ".vscode/settings.json"):
        assert f"would {'update' if path in ('pyproject.toml', '.pre-commit-config.yaml') else 'create'} {path}" in result.out
    assert "+[tool.specc]" in result.out and "+-   repo: https://github.com/specc/specc" in result.out
    assert "extends: base/default.yaml" in result.out  # the content it would write


def test_init_adds_what_is_missing_and_changes_nothing_else(repo):
    head = _checkout_head()
    result = run_cli("init", str(repo))
    assert result.code == 0, result.out + result.err

    pyproject = (repo / "pyproject.toml").read_text()
    assert pyproject.startswith(PYPROJECT + "\n\n[tool.specc]\n")  # every byte before it as it was
    data = _tomllib().loads(pyproject)
    assert data["tool"]["ruff"] == {"line-length": 100} and data["other"] == {"x": 1}
    assert data["tool"]["specc"]["select"] == ["ALL"]
    assert load_config(repo / "pyproject.toml").fail_on == "error"  # a config specc lint accepts

    precommit = (repo / ".pre-commit-config.yaml").read_text()
    assert specc_init.only_insertions(PRECOMMIT, precommit) and precommit.startswith(PRECOMMIT)
    assert f"-   repo: https://github.com/specc/specc\n    rev: {head}\n    hooks:\n    -   id: specc-lint\n" in precommit

    settings = json.loads((repo / ".vscode" / "settings.json").read_text())
    (url, glob), = settings["yaml.schemas"].items()
    assert glob == "specs/**/*.yaml" and url.endswith(f"/{head}/schemas/spec.schema.json")
    assert settings["yaml.customTags"] == ["!file scalar", "!data-url scalar", "!base64 scalar"]
    assert (repo / "cassettes").is_dir() and (repo / "README.md").read_text() == "# demo\n"

    lint = run_cli("lint", "--format", "json", str(repo / "specs"), cwd=repo)
    assert lint.code == 0, lint.out + lint.err
    report = json.loads(lint.out)
    assert report["summary"]["files"] == 2 and report["diagnostics"] == []
    compiled = run_cli("compile", str(repo / "specs" / "example.yaml"), cwd=repo)
    body = json.loads(compiled.out)
    assert body["temperature"] == 0.1 and body["model"] == "openai/gpt-4o-mini"  # extends the base


def test_the_written_precommit_config_is_valid_for_the_real_tool(repo):
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed")
    assert run_cli("init", str(repo)).code == 0
    done = subprocess.run([str(pre_commit), "validate-config", ".pre-commit-config.yaml"], cwd=repo,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_second_run_changes_nothing_and_reports_every_file_left_alone(repo):
    assert run_cli("init", str(repo)).code == 0
    before = _snapshot(repo)
    again = run_cli("init", str(repo))
    assert again.code == 0 and _snapshot(repo) == before
    assert again.out.count("left alone") == 6 and "would" not in again.out


def test_existing_files_are_left_alone_and_the_editor_snippet_is_printed(repo):
    (repo / ".vscode").mkdir()
    (repo / ".vscode" / "settings.json").write_text('{\n  // mine\n  "editor.tabSize": 2\n}\n')
    (repo / "specs").mkdir()
    (repo / "specs" / "example.yaml").write_text("mine\n")
    before = _snapshot(repo)
    result = run_cli("init", str(repo))
    assert result.code == 0
    after = _snapshot(repo)
    assert all(after[path] == content for path, content in before.items() if path not in ("pyproject.toml", ".pre-commit-config.yaml"))
    assert "left alone .vscode/settings.json" in result.out and "left alone specs/example.yaml: exists" in result.out
    snippet = result.out.split("left alone .vscode/settings.json", 1)[1].split("add by hand:\n", 1)[1]
    assert json.loads(snippet)["yaml.customTags"]  # the snippet to merge by hand, as JSON


def test_a_repository_without_config_files_gets_new_ones(tmp_path):
    result = run_cli("init", str(tmp_path))
    assert result.code == 0
    assert _tomllib().loads((tmp_path / "pyproject.toml").read_text()) == {
        "tool": {"specc": {"select": ["ALL"], "fail-on": "error", "exclude": []}}}
    assert (tmp_path / ".pre-commit-config.yaml").read_text().startswith("repos:\n  - repo: https://github.com/specc/specc\n")


def test_a_file_init_cannot_edit_safely_is_left_alone_with_the_snippet_and_exit_1(repo):
    (repo / "pyproject.toml").write_text('tool = { ruff = { line-length = 100 } }\n')  # a [tool.specc] header cannot extend it
    (repo / ".pre-commit-config.yaml").write_text("repos: [\n")
    before = _snapshot(repo)
    result = run_cli("init", str(repo))
    assert result.code == 1
    assert {p: c for p, c in _snapshot(repo).items() if p in before} == before
    assert "cannot change pyproject.toml" in result.out and "cannot change .pre-commit-config.yaml: not valid YAML" in result.out
    assert "[tool.specc]" in result.out.split("cannot change pyproject.toml", 1)[1]  # the snippet to add by hand
    assert (repo / "specs" / "example.yaml").is_file()  # the rest was still done


def test_nothing_is_written_through_a_symlink_out_of_the_project(repo, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, repo / "specs")
    result = run_cli("init", str(repo))
    assert result.code == 1 and list(outside.iterdir()) == []
    assert "cannot change specs/example.yaml: leads outside the project" in result.out


def test_rev_and_repo_can_be_chosen_and_the_pin_falls_back_to_the_release_tag(repo, monkeypatch):
    result = run_cli("init", "--repo", "https://example.com/mirror/specc", "--rev", "v9.9.9", str(repo))
    assert result.code == 0
    assert "-   repo: https://example.com/mirror/specc\n    rev: v9.9.9\n" in (repo / ".pre-commit-config.yaml").read_text()
    monkeypatch.setattr("specc.about.source_revision", lambda: None)
    assert specc_init.default_pin() == specc_init.Pin("https://github.com/specc/specc", "v0.1.0", "this version's release tag")


def test_a_missing_folder_is_a_usage_error(tmp_path):
    result = run_cli("init", str(tmp_path / "nope"))
    assert result.code == 2 and "not a folder" in result.err
