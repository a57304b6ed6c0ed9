"""`--format text` options: colour on a TTY only (NO_COLOR respected), --quiet, --statistics; json."""

from __future__ import annotations

import io
import json

import pytest

from specc.report import renderer
from conftest import run_cli
from tests.report._sample import SECRET, sample_report
from tests.report.golden_check import assert_golden


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def render(out=None, **options) -> str:
    out = out if out is not None else io.StringIO()
    renderer("text")(sample_report(), out, **options)
    return out.getvalue()


def test_golden_text_and_json():
    assert_golden("text.txt", render())
    out = io.StringIO()
    renderer("json")(sample_report(), out)
    assert_golden("json.json", out.getvalue())


def test_colour_only_on_a_terminal(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[" in render(Terminal())
    assert "\x1b[" not in render(io.StringIO())


def test_no_color_is_respected(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in render(Terminal())


def test_quiet_prints_only_the_headlines():
    out = render(quiet=True)
    assert " | " not in out and "^" not in out  # no excerpts
    assert sum(line.startswith("specs/") for line in out.splitlines()) == 5
    assert out.endswith("Found 2 errors and 2 warnings in 4 files.\n")


def test_statistics_counts_per_rule():
    out = render(statistics=True)
    assert "    1  S102   unknown-request-field\n" in out


def test_secrets_never_reach_the_output():
    assert SECRET not in render() and SECRET not in render(quiet=True)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    body = "request:\n  model: x/y\n  messages: [{role: user, content: hi}]\n"
    (tmp_path / "a.yaml").write_text(body + "  zzz_custom: 1\n  zzz_other: 2\n")
    return tmp_path


def test_cli_statistics_and_quiet(project):
    result = run_cli("lint", "a.yaml", "--statistics", "--quiet", cwd=project)
    assert "    2  S102   unknown-request-field" in result.out
    assert " | " not in result.out  # no excerpts


def test_cli_output_file_is_written(project):
    run_cli("lint", "a.yaml", "--format", "json", "--output", "report.json", cwd=project)
    assert json.loads((project / "report.json").read_text())["summary"]["warnings"] == 2


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "junit"])
def test_a_key_in_the_spec_never_reaches_any_format(tmp_path, fmt):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "a.yaml").write_text("request:\n  model: x/y\n  messages: [{role: user, content: hi}]\n"
                                     f"  zzz_key: {SECRET}\n")
    result = run_cli("lint", "a.yaml", "--format", fmt, cwd=tmp_path)
    assert "zzz_key" in result.out  # the line was reported (with an excerpt in text)
    assert SECRET not in result.out + result.err


def test_compile_errors_are_scrubbed_too(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "a.yaml").write_text(f"request:\n  model: x/y\n  messages: [{{role: user, content: hi}}]\n  temperature: {SECRET}\n")
    result = run_cli("compile", "a.yaml", cwd=tmp_path)
    assert result.code == 1 and "temperature" in result.err
    assert SECRET not in result.out + result.err


def test_a_multi_line_message_stays_on_its_headline():
    from specc.diagnostics import Diagnostic, Severity, Span
    from specc.report.text import headline

    diagnostic = Diagnostic("S101", "schema-violation", Severity.ERROR, "first\nsecond", Span("a.yaml", 2, 3, 2, 4))
    assert headline(diagnostic) == "a.yaml:2:3: S101 first second"
