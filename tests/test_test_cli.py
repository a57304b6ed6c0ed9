"""`specc test`: the example specs pass offline (and under `pytest specs/`), a one-word change fails
both with a readable diff, formats, skipped specs, orphans, the network block, the progress bar."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import REPO, run_cli


@pytest.fixture
def copy(tmp_path):
    """A copy of the repository's specs and cassettes in a fresh project."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'copy'\n")
    shutil.copytree(REPO / "specs", tmp_path / "specs")
    shutil.copytree(REPO / "cassettes", tmp_path / "cassettes")
    return tmp_path


def pytest_specs(cwd: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "OPENROUTER_API_KEY"}
    return subprocess.run([sys.executable, "-m", "pytest", "specs/", "-q", "-p", "no:cacheprovider", *extra],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_examples_pass_offline_in_process():
    result = run_cli("test", "specs/", cwd=REPO)
    assert result.code == 0, result.out + result.err
    from specc.lint import build_checker
    from specc.config import Config

    checker = build_checker(Config())
    count = sum(len(checker.check_path(p).bodies()) for p in (REPO / "specs").rglob("*.yaml"))  # variants each count
    assert f"{count} passed, 0 failed, 0 skipped" in result.out


def test_the_examples_pass_under_pytest():
    result = pytest_specs(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "skipped" not in result.stdout


def test_a_one_word_prompt_change_fails_both_with_a_readable_diff(copy):
    spec = copy / "specs" / "chat-streaming.yaml"
    spec.write_text(spec.read_text().replace("sharing a link", "sharing a URL"))
    expected = '"difference between sharing a link and inviting a collaborator." -> ' \
               '..."difference between sharing a URL and inviting a collaborator."'
    result = run_cli("test", "specs/", cwd=copy)
    assert result.code == 1 and "FAIL specs/chat-streaming.yaml" in result.out
    assert "specs/chat-streaming.yaml:11:16: drift:" in result.out and expected in result.out
    under_pytest = pytest_specs(copy)
    assert under_pytest.returncode == 1
    assert "specs/chat-streaming.yaml:11:16: drift:" in under_pytest.stdout and expected in under_pytest.stdout


def test_json_output_shape(copy):
    (copy / "cassettes" / "specs" / "preset-field.yaml").unlink()
    result = run_cli("test", "specs/", "--format", "json", cwd=copy)
    document = json.loads(result.out)
    assert result.code == 0
    statuses = {r["path"]: r["status"] for r in document["results"]}
    assert statuses["specs/preset-field.yaml"] == "skipped" and statuses["specs/chat-streaming.yaml"] == "passed"
    passed = next(r for r in document["results"] if r["path"] == "specs/chat-streaming.yaml")
    assert {"drift", "response", "expect.status"} <= {c["name"] for c in passed["checks"]}
    assert set(passed["checks"][0]) == {"name", "ok", "message"}
    summary = document["summary"]
    assert (summary["skipped"], summary["failed"], summary["passed"]) == (1, 0, summary["specs"] - 1)


def test_junit_output(copy):
    spec = copy / "specs" / "preset-field.yaml"
    spec.write_text(spec.read_text().replace("preset: support-triage", "preset: billing-triage"))
    result = run_cli("test", "specs/", "--format", "junit", cwd=copy)
    root = ElementTree.fromstring(result.out)
    suite = root.find("testsuite")
    assert result.code == 1 and suite.get("failures") == "1"
    failing = [case for case in suite.iter("testcase") if case.find("failure") is not None]
    assert [case.get("name") for case in failing] == ["specs/preset-field.yaml"]
    assert "billing-triage" in failing[0].find("failure").text


def test_require_cassettes_turns_skips_and_orphans_into_failures(copy):
    (copy / "cassettes" / "specs" / "preset-field.yaml").unlink()
    orphan = copy / "cassettes" / "specs" / "renamed-away.yaml"
    shutil.copy(copy / "cassettes" / "specs" / "chat-streaming.yaml", orphan)
    relaxed = run_cli("test", "specs/", cwd=copy)
    assert relaxed.code == 0 and "SKIP specs/preset-field.yaml" in relaxed.out
    assert "ORPHAN cassettes/specs/renamed-away.yaml" in relaxed.out
    strict = run_cli("test", "specs/", "--require-cassettes", cwd=copy)
    assert strict.code == 1 and "FAIL specs/preset-field.yaml" in strict.out


def test_a_corrupted_cassette_fails_its_spec_with_the_file_named(copy):
    (copy / "cassettes" / "specs" / "chat-streaming.yaml").write_text("version: 1\ninteractions: [{\n")
    result = run_cli("test", "specs/", cwd=copy)
    assert result.code == 1 and "cassettes/specs/chat-streaming.yaml: not a valid YAML cassette" in result.out
    assert "Traceback" not in result.out + result.err


def test_any_network_attempt_fails_the_run_with_a_clear_message(copy, monkeypatch):
    import specc.contract

    real = specc.contract.check_spec

    def sneaky(*args, **kwargs):
        import httpx

        httpx.get("https://openrouter.ai/api/v1/models")
        return real(*args, **kwargs)

    monkeypatch.setattr(specc.contract, "check_spec", sneaky)
    result = run_cli("test", "specs/chat-streaming.yaml", cwd=copy)
    assert result.code == 1
    assert "specc test runs offline and something tried to use the network" in result.out
    assert "openrouter.ai" in result.out


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_on_a_terminal_only():
    from specc.cli import main

    plain_out, plain_err = io.StringIO(), io.StringIO()
    tty_out, tty_err = io.StringIO(), Terminal()
    cwd = os.getcwd()
    try:
        os.chdir(REPO)
        assert main(["test", "specs/"], stdout=plain_out, stderr=plain_err) == 0
        assert main(["test", "specs/"], stdout=tty_out, stderr=tty_err) == 0
    finally:
        os.chdir(cwd)
    assert "\r" not in plain_err.getvalue() and "\r[" in tty_err.getvalue()
    assert "\r" not in tty_out.getvalue()  # the report itself stays clean


def test_a_path_that_does_not_exist_is_a_usage_error():
    result = run_cli("test", "no/such/specs", cwd=REPO)
    assert result.code == 2 and "no such file" in result.err


def test_specc_test_never_imports_an_http_client_it_does_not_use():
    code = ("import sys; from specc.cli import main; main(['test', 'specs/']); "
            "print('httpx' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().endswith("False"), result.stdout + result.stderr


def test_the_record_script_reproduces_the_committed_cassettes(copy):
    """scripts/record_examples.py, run on a copy, records what is committed (all but the server's port)."""
    import importlib.util

    from specc.replay import load_cassette

    spec = importlib.util.spec_from_file_location("record_examples", REPO / "scripts" / "record_examples.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for cassette in (copy / "cassettes").rglob("*.yaml"):
        cassette.unlink()
    targets = sorted(str(p) for p in (copy / "specs").rglob("*.yaml") if "request:" in p.read_text())
    assert script.main(targets) == 0
    committed = sorted(p.relative_to(REPO) for p in (REPO / "cassettes").rglob("*.yaml"))
    assert sorted(p.relative_to(copy) for p in (copy / "cassettes").rglob("*.yaml")) == committed
    for relative in committed:
        [old], [new] = load_cassette(REPO / relative).interactions, load_cassette(copy / relative).interactions
        assert (new.request_json(), new.status, new.headers, new.body) == \
               (old.request_json(), old.status, old.headers, old.body), relative
