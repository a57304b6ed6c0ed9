"""`specc lint` says the same thing however it runs: one process or several, cached or not.

Issue 6 made lint fast with a result cache and forked workers; neither may change a
single diagnostic or its order, for any fixture or example spec.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_cli

FIXTURE_TREES = [REPO / "specs", REPO / "tests" / "fixtures" / "bad", REPO / "tests" / "rules" / "cases"]


@pytest.fixture
def project(tmp_path):
    """A copy of every fixture tree in one project, so the cache lives in tmp."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'fixtures'\n")
    for tree in FIXTURE_TREES:
        shutil.copytree(tree, root / tree.name, ignore=shutil.ignore_patterns("*.expected", "specc.toml"))
    return root


def _lint(root: Path, *flags: str):
    result = run_cli("lint", "--format", "json", *flags, ".", cwd=root)
    assert result.code in (0, 1), result.err
    return result.code, json.loads(result.out)


def test_jobs_and_cache_never_change_the_report(project):
    reference = _lint(project, "--no-cache", "--jobs", "1")
    assert reference[1]["summary"]["files"] > 100  # the trees were really linted
    assert reference[1]["diagnostics"], "the fixtures hold findings"
    assert _lint(project, "--no-cache", "--jobs", "2") == reference
    assert _lint(project, "--jobs", "2") == reference  # fills the cache
    assert (project / ".specc_cache").is_dir()
    assert _lint(project, "--jobs", "1") == reference  # answered from the cache
    assert _lint(project, "--jobs", "2") == reference


def test_a_changed_file_is_linted_again(project):
    spec = project / "specs" / "chat-streaming.yaml"
    first = _lint(project)
    assert not [d for d in first[1]["diagnostics"] if d["path"].endswith("chat-streaming.yaml")]
    spec.write_text(spec.read_text().replace("stream: true", "stream: true\n  temprature: 0.2"))
    again = _lint(project)
    found = [d for d in again[1]["diagnostics"] if d["path"].endswith("chat-streaming.yaml")]
    assert [d["code"] for d in found] == ["S102"]


def test_a_changed_base_spec_invalidates_its_children(project):
    base = next((project / "specs" / "base").glob("*.yaml"))
    _lint(project)
    base.write_text(base.read_text().replace("request:", "request:\n  temprature: 0.2", 1))
    children = [d for d in _lint(project)[1]["diagnostics"] if d["code"] == "S102"]
    assert children, "a spec extending the changed base must be re-linted"


def test_a_changed_file_include_invalidates_the_spec(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    (tmp_path / "format.json").write_text('{"type": "json_object"}')
    (tmp_path / "spec.yaml").write_text(
        "request:\n  model: openai/gpt-4o\n  response_format: !file format.json\n"
        "  messages:\n    - role: user\n      content: hi\n")
    assert run_cli("lint", ".", cwd=tmp_path).code == 0
    (tmp_path / "format.json").write_text('{"type": "json_objectt"}')
    again = run_cli("lint", ".", cwd=tmp_path)
    assert again.code == 1 and "S101" in again.out


def test_env_placeholders_are_never_served_from_the_cache(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    (tmp_path / "spec.yaml").write_text(
        "request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: '{{ env.SPECC_TEST_TOPIC }}'\n"
        "vars: {}\n")
    missing = run_cli("lint", ".", cwd=tmp_path)
    assert missing.code == 1 and "E004" in missing.out
    present = run_cli("lint", ".", cwd=tmp_path, env={"SPECC_TEST_TOPIC": "tides"})
    assert present.code == 0, present.out


def test_a_cached_rerun_loads_neither_the_schema_nor_the_rules(tmp_path):
    """The point of the cache: an unchanged tree is answered without the checker's imports."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "specs", project / "specs")
    (project / "pyproject.toml").write_text("[project]\nname = 'examples'\n")
    _lint(project)
    probe = (
        "import sys, io\n"
        "from specc.cli import main\n"
        "code = main(['lint', '-q', '.'], stdout=io.StringIO(), stderr=io.StringIO())\n"
        "heavy = [m for m in ('specc.check', 'specc.schema', 'specc.selection', 'pydantic', 'jsonschema_rs',"
        " 'ruamel.yaml', 'httpx', 'vcr') if m in sys.modules]\n"
        "print(code, heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(REPO)), check=True).stdout
    assert out.strip().endswith("[]"), out
