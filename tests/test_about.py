"""One version, one repository URL: what `--version`, `schema path --url`, rule links and init derive."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata

import specc
from specc import about
from specc.config import _tomllib
from specc.schema import SPEC_SCHEMA_FILE, default_schema_dir
from conftest import REPO, run_cli

PYPROJECT = _tomllib().loads((REPO / "pyproject.toml").read_text("utf-8"))


def test_the_version_is_single_sourced_from_the_package():
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "specc/__init__.py"
    assert metadata.version("specc") == specc.__version__
    assert run_cli("--version").out == f"specc {specc.__version__}\n"


def test_the_repository_url_is_written_once_and_read_from_the_metadata():
    assert about.repository_url() == PYPROJECT["project"]["urls"]["Repository"].rstrip("/")
    assert about._checkout_repository() == PYPROJECT["project"]["urls"]["Repository"]


def test_schema_path_prints_the_installed_editor_schema():
    done = run_cli("schema", "path")
    assert done.code == 0, done.err
    assert done.out == f"{default_schema_dir() / SPEC_SCHEMA_FILE}\n"


def test_schema_path_url_is_a_versioned_raw_url_in_the_repository():
    done = run_cli("schema", "path", "--url")
    assert done.code == 0, done.err
    owner_repo = PYPROJECT["project"]["urls"]["Repository"].removeprefix("https://github.com/")
    assert done.out == (f"https://raw.githubusercontent.com/{owner_repo}/v{specc.__version__}"
                        f"/schemas/spec.schema.json\n")
    schema = json.loads((REPO / "schemas" / SPEC_SCHEMA_FILE).read_text("utf-8"))
    assert schema["$id"] == done.out.strip()


def test_other_forges_get_their_raw_url(monkeypatch):
    monkeypatch.setattr(about, "repository_url", lambda: "https://codeberg.org/team/specc")
    assert about.raw_url("schemas/x.json", "v1") == "https://codeberg.org/team/specc/raw/v1/schemas/x.json"


def test_rule_pages_link_to_the_file_whose_docstring_is_the_page():
    url = about.rule_page_url("OR703")
    prefix = f"{about.repository_url()}/blob/v{specc.__version__}/"
    assert url.startswith(prefix)
    page = REPO / url.removeprefix(prefix)
    assert page.is_file() and '"""' in page.read_text("utf-8")
    assert about.rule_page_url("E001").startswith(prefix + "README.md#")


def test_the_source_revision_of_this_checkout_is_its_head_commit():
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True)
    if head.returncode != 0:
        import pytest

        pytest.skip("not a git checkout")
    repo, commit = about.source_revision()
    assert commit == head.stdout.strip()
    assert repo == str(REPO)


def test_version_stays_on_the_fast_path():
    """`specc --version` imports none of what about.py needs (metadata, subprocess)."""
    code = "import sys; from specc.cli import main; main(['--version']); print(sorted(m for m in sys.modules if m.startswith('specc')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert "specc.about" not in done.stdout
