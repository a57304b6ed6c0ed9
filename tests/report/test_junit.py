"""`--format junit`: one suite, a test case per file, a failure per diagnostic."""

from __future__ import annotations

import io
from xml.etree import ElementTree

from specc.report import renderer
from conftest import run_cli
from tests.report._sample import DIAGNOSTICS, PATHS, SECRET, sample_report
from tests.report.golden_check import assert_golden


def render() -> str:
    out = io.StringIO()
    renderer("junit")(sample_report(), out)
    return out.getvalue()


def test_golden():
    assert_golden("junit.xml", render())


def test_structure():
    root = ElementTree.fromstring(render())
    suites = root.findall("testsuite")
    assert len(suites) == 1
    cases = suites[0].findall("testcase")
    assert [c.get("name") for c in cases] == PATHS
    failures = {c.get("name"): len(c.findall("failure")) for c in cases}
    assert failures == {"specs/a.yaml": 2, "specs/broken.yaml": 1, "specs/clean.yaml": 0, "specs/dir with space/b.yaml": 2}
    assert sum(failures.values()) == len(DIAGNOSTICS)
    assert suites[0].get("tests") == "4" and suites[0].get("failures") == "3"
    assert SECRET not in render()


def test_control_characters_do_not_break_the_xml():
    from specc.diagnostics import Diagnostic, Severity, Span
    from specc.report import LintReport

    out = io.StringIO()
    report = LintReport([Diagnostic("S101", "schema-violation", Severity.ERROR, "bad \x01 byte", Span("a.yaml", 1, 1, 1, 2))])
    renderer("junit")(report, out)
    assert ElementTree.fromstring(out.getvalue()).find(".//failure").get("message") == "S101 bad \ufffd byte"


def test_cli_lists_clean_files_too(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    body = "request:\n  model: x/y\n  messages: [{role: user, content: hi}]\n"
    (tmp_path / "good.yaml").write_text(body)
    (tmp_path / "bad.yaml").write_text(body + "  zzz_custom: 1\n")
    result = run_cli("lint", ".", "--format", "junit", cwd=tmp_path)
    cases = ElementTree.fromstring(result.out).findall(".//testcase")
    assert {c.get("name"): len(c.findall("failure")) for c in cases} == {"bad.yaml": 1, "good.yaml": 0}
