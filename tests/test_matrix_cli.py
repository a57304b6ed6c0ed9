"""Matrix specs end to end (issue 19): lint per variant, compile --variant/--all, send every
variant against the loopback server with a comparison table, one cassette per variant,
replay by `specc test` and by pytest with per-variant ids, and a cost bound per variant."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from conftest import REPO, run_cli, shared_path

KEY = "sk-or-v1-" + "5" * 64
SPEC = """\
matrix:
  request.model: [openai/gpt-4o-mini, anthropic/claude-haiku-4.5, google/gemini-2.5-flash]
  include:
    - {request.model: google/gemini-2.5-flash, request.stream: true}
request:
  messages: [{role: user, content: "Capital of France?"}]
  max_completion_tokens: 100
expect:
  finish_reason: stop
"""
IDS = ["compare[model=openai/gpt-4o-mini]", "compare[model=anthropic/claude-haiku-4.5]",
       "compare[model=google/gemini-2.5-flash,stream=true]"]
CASSETTES = ["compare.openai-gpt-4o-mini.yaml", "compare.anthropic-claude-haiku-4.5.yaml",
             "compare.google-gemini-2.5-flash--true.yaml"]


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "compare.yaml").write_text(SPEC)
    return tmp_path


@pytest.fixture
def fake_openrouter(loopback):
    """The loopback server answering as the example recorder does (a stream when asked)."""
    import sys

    sys.path.insert(0, str(REPO / "scripts"))
    from record_examples import reply_for

    loopback.script(reply_for)
    return loopback


def _send(project, server, *args: str):
    return run_cli("send", "specs/compare.yaml", "--base-url", server.base_url, *args, cwd=project,
                   env={"OPENROUTER_API_KEY": KEY})


def test_lint_checks_every_variant_and_names_the_one_at_fault(project):
    (project / "specs" / "compare.yaml").write_text(SPEC.replace("max_completion_tokens: 100",
                                                                 "temperature: 5\n  max_completion_tokens: 100")
                                                    .replace("  include:", "  request.top_p: [0.5, 3]\n  include:"))
    result = run_cli("lint", "--format", "json", "--no-cache", "specs", cwd=project)
    messages = [(d["code"], d["line"], d["message"]) for d in json.loads(result.out)["diagnostics"]]
    shared = [m for m in messages if "temperature" in m[2]]
    assert len(shared) == 1 and "variant" not in shared[0][2]  # every variant has it: said once, as it is
    (top_p,) = [m for m in messages if "top_p" in m[2]]
    assert top_p[1] == 3 and "(in 3 variants: compare[model=openai/gpt-4o-mini,top_p=3]," in top_p[2]


def test_compile_prints_one_variant_or_all(project):
    asked = run_cli("compile", "specs/compare.yaml", cwd=project)
    assert asked.code == 2 and all(variant_id in asked.err for variant_id in IDS)
    one = run_cli("compile", "specs/compare.yaml", "--variant", "claude", cwd=project)
    assert one.code == 0 and json.loads(one.out)["model"] == "anthropic/claude-haiku-4.5"
    every = run_cli("compile", "specs/compare.yaml", "--all", cwd=project)
    lines = [json.loads(line) for line in every.out.splitlines()]
    assert [line["variant"] for line in lines] == IDS
    assert [line["body"].get("stream") for line in lines] == [None, None, True]


def test_send_record_test_and_rerecord_one_variant(project, fake_openrouter):
    """The issue's 'done when': sent with a table, three cassettes, replayed; one re-recorded alone."""
    sent = _send(project, fake_openrouter, "--record")
    assert sent.code == 0, sent.err
    header, *rows = sent.out.splitlines()
    assert header.split()[:3] == ["variant", "served", "model"]
    assert [row.split()[0] for row in rows] == IDS
    assert all(" 200 " in row and " stop " in row and "pass (2)" in row for row in rows)
    folder = project / "cassettes" / "specs"
    assert sorted(p.name for p in folder.iterdir()) == sorted(CASSETTES)
    assert len(fake_openrouter.requests) == 3

    tested = run_cli("test", "specs", cwd=project)
    assert tested.code == 0 and tested.out.count("PASS specs/compare.yaml[") == 3, tested.out

    before = {name: (folder / name).read_bytes() for name in CASSETTES}
    again = _send(project, fake_openrouter, "--record-mode", "all", "--variant", "claude")
    assert again.code == 0 and len(again.out.splitlines()) == 2  # the header and one row
    assert len(fake_openrouter.requests) == 4
    assert (folder / CASSETTES[0]).read_bytes() == before[CASSETTES[0]]
    assert (folder / CASSETTES[2]).read_bytes() == before[CASSETTES[2]]


def test_drift_says_which_variant_and_what_changed(project, fake_openrouter):
    assert _send(project, fake_openrouter, "--record").code == 0
    (project / "specs" / "compare.yaml").write_text(SPEC.replace("Capital of France?", "Capital of Spain?"))
    drifted = run_cli("test", "specs", cwd=project)
    assert drifted.code == 1
    assert "FAIL specs/compare.yaml[model=openai/gpt-4o-mini]" in drifted.out
    assert "specc send specs/compare.yaml --variant 'model=openai/gpt-4o-mini' --record=all" in drifted.out
    assert '"Capital of France?" -> "Capital of Spain?"' in drifted.out


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_the_table_in_other_formats(project, fake_openrouter, fmt):
    sent = _send(project, fake_openrouter, "--format", fmt, "--concurrency", "2")
    assert sent.code == 0, sent.err
    if fmt == "json":
        rows = json.loads(sent.out)
        assert [row["variant"] for row in rows] == IDS and all(row["status"] == 200 for row in rows)
        assert rows[2]["ttft_s"] is not None and rows[0]["prompt_tokens"] > 0
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(sent.out)))
        assert [row["variant"] for row in rows] == IDS and rows[0]["expect"] == "pass (2)"
    else:
        lines = sent.out.splitlines()
        assert lines[0].startswith("| variant | served model |") and len(lines) == 5


def test_a_failed_variant_fails_the_run_and_the_others_still_report(project, loopback):
    from server import json_reply

    loopback.script(json_reply({"error": {"code": 503, "message": "no provider"}}, 503))
    sent = _send(project, loopback, "--retries", "0", "--variant", "gpt")
    assert sent.code == 1 and "[compare[model=openai/gpt-4o-mini]]" in sent.err
    assert sent.out.splitlines()[1].split()[0] == IDS[0]


def test_dry_run_sends_nothing(project, loopback):
    dry = _send(project, loopback, "--dry-run")
    assert dry.code == 0 and loopback.requests == []
    assert [line for line in dry.out.splitlines() if line.startswith("# ")] == [f"# {i}" for i in IDS]
    assert KEY not in dry.out


def test_an_unknown_variant_is_a_usage_error(project, loopback):
    result = _send(project, loopback, "--variant", "mistral")
    assert result.code == 2 and "matches no variant" in result.err and loopback.requests == []


def test_pytest_collects_one_item_per_variant_and_spreads_them(project, fake_openrouter):
    import subprocess
    import sys

    assert _send(project, fake_openrouter, "--record").code == 0
    (project / "pyproject.toml").write_text("[project]\nname = 'app'\n[tool.pytest.ini_options]\nspecc_paths = ['specs']\n")
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "2", "specs", "-v"],
                         cwd=project, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    for variant_id in IDS:
        assert f"PASSED specs/compare.yaml::compare.yaml[{variant_id.split('[', 1)[1]}" in run.stdout, run.stdout
    assert "[gw0]" in run.stdout and "[gw1]" in run.stdout  # spread over both workers
    picked = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "specs", "-k", "claude"],
                            cwd=project, capture_output=True, text=True, timeout=300)
    assert "1 passed, 2 deselected" in picked.stdout, picked.stdout


def test_cost_gives_a_bound_for_each_variant_from_the_shared_catalog(project):
    snapshot = shared_path("catalog", "models.chlnga-models-pie.2026-06-16.json")
    from specc.catalog import Catalog, parse_models_response

    catalog = Catalog.build(parse_models_response(json.loads(snapshot.read_text("utf-8"))), "2026-06-16", source="shared")
    (project / "specc-catalog.json").write_text(catalog.to_text())
    result = run_cli("cost", "--format", "json", "specs/compare.yaml", cwd=project)
    assert result.code == 0, result.err
    bounds = json.loads(result.out)
    assert [b["spec"] for b in bounds] == IDS
    assert all(b["least_usd"] is not None for b in bounds)
    assert all(b["least_usd"] <= b["most_usd"] for b in bounds if b["most_usd"] is not None)
    assert any(b["most_usd"] is not None for b in bounds)


def test_the_example_matrix_spec_replays_from_its_three_cassettes(tmp_path):
    project = tmp_path / "repo"
    shutil.copytree(REPO / "specs", project / "specs")
    shutil.copytree(REPO / "cassettes", project / "cassettes")
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    result = run_cli("test", "specs/compare-models.yaml", cwd=project)
    assert result.code == 0 and result.out.count("PASS specs/compare-models.yaml[") == 3, result.out


def test_a_finding_a_matrix_value_caused_is_at_that_value_and_never_fixed_in_the_request(project):
    text = SPEC.replace("  include:", "  request.include_reasoning: [true]\n  include:")
    (project / "specs" / "compare.yaml").write_text(text)
    result = run_cli("lint", "--format", "json", "--no-cache", "--select", "OR203", "specs", cwd=project)
    [found] = json.loads(result.out)["diagnostics"]
    assert (found["code"], found["line"]) == ("OR203", 3)  # the matrix entry, not the request
    fixed = run_cli("lint", "--fix", "--no-cache", "--select", "OR203", "specs", cwd=project)
    assert "OR203" in fixed.out and (project / "specs" / "compare.yaml").read_text() == text


def test_a_flow_style_matrix_spec_is_collected_per_variant_too(project, fake_openrouter):
    import subprocess
    import sys

    (project / "specs" / "compare.yaml").unlink()
    (project / "specs" / "flow.yaml").write_text(
        "{request: {messages: [{role: user, content: hi}]},"
        " matrix: {request.model: [openai/gpt-4o-mini, anthropic/claude-haiku-4.5]}}\n")
    sent = run_cli("send", "specs/flow.yaml", "--base-url", fake_openrouter.base_url, "--record", cwd=project,
                   env={"OPENROUTER_API_KEY": KEY})
    assert sent.code == 0, sent.err
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "specs", "-q"],
                         cwd=project, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "2 passed" in run.stdout, run.stdout
