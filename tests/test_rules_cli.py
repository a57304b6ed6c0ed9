"""`specc rules`, `specc rule CODE|NAME`, and the generated README table."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from specc.diagnostics import CORE_CODES
from specc.rules import all_rules
from specc.ruledocs import README_END, README_START, all_infos, markdown_table, replace_readme_table
from conftest import REPO, run_cli

CORE = ["E001", "E002", "E003", "E004", "E005", "E006", "E007", "E008", "E009", "E010", "I001", "S101", "S102", "S103", "W001", "X001"]


def test_rules_lists_core_codes_and_every_rule():
    result = run_cli("rules")
    assert result.code == 0
    lines = result.out.splitlines()
    assert [line.split()[0] for line in lines] == CORE + [r.code for r in all_rules()]
    for rule in all_rules():
        line = next(line for line in lines if line.startswith(rule.code + " "))
        assert rule.name in line and rule.severity.value in line and rule.summary() in line
        assert (f"opt-in: --select {rule.code}" in line) is rule.opt_in, line


def test_rules_json():
    listed = json.loads(run_cli("rules", "--format", "json").out)
    assert [item["code"] for item in listed] == [i.code for i in all_infos()]
    w001 = next(item for item in listed if item["code"] == "W001")
    assert w001 == {"code": "W001", "name": "unused-suppression", "severity": "warning", "fixable": False,
                    "needs_catalog": False, "opt_in": False, "core": True, "summary": w001["summary"]}
    assert {item["code"] for item in listed if item["opt_in"]} == {r.code for r in all_rules() if r.opt_in} != set()


@pytest.mark.parametrize("rule", all_rules(), ids=[r.code for r in all_rules()])
def test_rule_page_by_code_and_name(rule):
    by_code = run_cli("rule", rule.code.lower())
    assert by_code.code == 0
    assert by_code.out == run_cli("rule", rule.name).out
    header = by_code.out.splitlines()[0]
    assert header.startswith(f"{rule.code} {rule.name} ({rule.severity.value}, ")
    assert ("fixable with --fix" in header) is rule.fixable
    for section in ("## Why", "## Example", "## Fix", "## Source"):
        assert section in by_code.out
    assert rule.summary() in by_code.out


@pytest.mark.parametrize("code", sorted(CORE_CODES) + ["W001", "X001"])
def test_a_core_code_page_has_the_sections_of_a_rule_page(code):
    """`specc rule E004` was one line; a core code's page reads like a rule's."""
    page = run_cli("rule", code).out
    for section in ("## Why", "## Example", "## Fix"):
        assert section in page, page
    assert page.count("```") % 2 == 0


def _yaml_block(page: str, section: str) -> str:
    import re

    body = page.split(f"## {section}\n", 1)[1]
    return re.search(r"```yaml\n(.*?)```", body, re.S).group(1)


@pytest.mark.parametrize("code", sorted(set(CORE_CODES) - {"E007"}) + ["W001"])
def test_a_core_code_example_draws_the_code_and_its_fix_does_not(code, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.specc]\nselect = ['ALL']\n")
    (tmp_path / "base.yaml").write_text("request:\n  model: openai/gpt-4o\n")
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts" / "system.md").write_text("You are terse.\n")
    page = run_cli("rule", code).out

    def codes(text: str) -> set[str]:
        (tmp_path / "spec.yaml").write_text(text)
        result = run_cli("lint", "--no-cache", "--format", "json", "spec.yaml", cwd=tmp_path)
        return {d["code"] for d in json.loads(result.out)["diagnostics"]}

    assert code in codes(_yaml_block(page, "Example"))
    assert code not in codes(_yaml_block(page, "Fix"))


def test_core_code_page():
    page = run_cli("rule", "E004").out
    assert "unresolved-placeholder" in page and "cannot be suppressed" in page
    assert "cannot be suppressed" not in run_cli("rule", "W001").out


def test_unknown_rule_suggests():
    result = run_cli("rule", "unused-supression")
    assert result.code == 2 and "did you mean 'unused-suppression'" in result.err


def test_readme_rules_table_is_up_to_date():
    readme = (REPO / "README.md").read_text("utf-8")
    assert README_START in readme and README_END in readme
    assert replace_readme_table(readme, markdown_table(all_infos())) == readme, \
        "README.md's rules table is out of date: run python scripts/gen_rule_docs.py"


def test_markdown_flag_prints_the_readme_table():
    assert run_cli("rules", "--markdown").out == markdown_table(all_infos())


def test_generator_script_check_and_update(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{README_START}\n| stale |\n{README_END}\n\nafter\n")
    script = [sys.executable, str(REPO / "scripts" / "gen_rule_docs.py"), "--readme", str(readme)]
    assert subprocess.run([*script, "--check"], capture_output=True).returncode == 1
    assert subprocess.run(script, capture_output=True).returncode == 0
    text = readme.read_text()
    assert "| stale |" not in text and text.endswith(f"{README_END}\n\nafter\n") and "| W001 |" in text
    assert subprocess.run([*script, "--check"], capture_output=True).returncode == 0


def test_markdown_table_escapes_pipes():
    from specc.diagnostics import Severity
    from specc.selection import CodeInfo

    table = markdown_table([CodeInfo("OR999", "x", Severity.INFO, "a | b")])
    assert "a \\| b" in table
