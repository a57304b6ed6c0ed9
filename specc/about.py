"""Facts about this installation of specc: its version, its repository, and where things are published.

The repository URL is written once, in pyproject.toml's `[project.urls]`, and read here from
the installed metadata (or, running from a checkout that was never installed, from that
pyproject.toml). Everything that links to the repository (the schema's stable URL, the rule
pages the language server links to, the pre-commit entry `specc init` writes) is derived here.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from . import __version__

DISTRIBUTION = "specc"
PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent
SPEC_SCHEMA_PATH = "schemas/spec.schema.json"  # where the editor schema lives in the repository


class AboutError(Exception):
    """A fact about the installation that cannot be known (a broken install)."""


def repository_url() -> str:
    """The project's repository, from `[project.urls] Repository` (no trailing slash)."""
    url = _metadata_repository() or _checkout_repository()
    if not url:
        raise AboutError("specc's metadata names no Repository URL; reinstall specc")
    return url.rstrip("/")


def _metadata_repository() -> str | None:
    from importlib import metadata

    try:
        urls = metadata.distribution(DISTRIBUTION).metadata.get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "repository" and url.strip():
            return url.strip()
    return None


def _checkout_repository() -> str | None:
    pyproject = CHECKOUT_DIR / "pyproject.toml"
    if not pyproject.is_file():
        return None
    from .config import _tomllib

    try:
        data = _tomllib().loads(pyproject.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    url = data.get("project", {}).get("urls", {}).get("Repository")
    return url if isinstance(url, str) else None


def release_tag(version: str = __version__) -> str:
    """The git tag a release is made under (`v0.1.0`)."""
    return f"v{version}"


def raw_url(path: str, ref: str | None = None) -> str:
    """The raw-file URL of `path` in the repository at `ref` (the release tag by default)."""
    ref = ref or release_tag()
    repo = repository_url()
    github = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?", repo)
    if github:
        return f"https://raw.githubusercontent.com/{github.group(1)}/{github.group(2)}/{ref}/{path}"
    return f"{repo}/raw/{ref}/{path}"  # GitLab, Gitea and Forgejo spell it this way


def blob_url(path: str, ref: str | None = None) -> str:
    """The web page of `path` in the repository at `ref` (the release tag by default)."""
    return f"{repository_url()}/blob/{ref or release_tag()}/{path}"


def spec_schema_url() -> str:
    """The stable URL the editor schema of this version is published at."""
    return raw_url(SPEC_SCHEMA_PATH)


def rule_page_url(code: str) -> str:
    """Where a code's documentation page is: a rule's module (its docstring is the page), or, for a
    core code, the README's table of core codes."""
    from .rules import rule_by_code_or_name

    rule = rule_by_code_or_name(code)
    if rule is None:
        return blob_url("README.md") + "#rules"
    return blob_url(rule.__module__.replace(".", "/") + ".py")  # modules are named for their files


def source_revision() -> tuple[str, str] | None:
    """(repository, commit) this installation was made from, when known: a `pip install git+URL@...`
    records both; an install from a local git checkout (editable or not) has its HEAD commit."""
    from importlib import metadata

    try:
        raw = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        raw = None
    info = json.loads(raw) if raw else {}
    vcs = info.get("vcs_info") or {}
    if vcs.get("vcs") == "git" and vcs.get("commit_id") and info.get("url"):
        return info["url"], vcs["commit_id"]
    url = info.get("url", "")
    folder = Path(_file_url_path(url)) if url.startswith("file://") else CHECKOUT_DIR
    commit = _git_head(folder)
    return (str(folder), commit) if commit else None


def _file_url_path(url: str) -> str:
    from urllib.parse import unquote, urlparse

    return unquote(urlparse(url).path)


def _git_head(folder: Path) -> str | None:
    """The HEAD commit of the git checkout at `folder` that holds specc's sources, else None."""
    if not (folder / ".git").exists() or not (folder / "specc" / "__init__.py").is_file():
        return None
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}", commit) else None
