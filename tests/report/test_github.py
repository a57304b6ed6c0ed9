"""`--format github`: workflow commands with GitHub's escaping."""

from __future__ import annotations

import io

from specc.report import renderer
from specc.report.github import annotation, escape_data, escape_property
from conftest import run_cli
from tests.report._sample import DIAGNOSTICS, SECRET, sample_report
from tests.report.golden_check import assert_golden


def render(**options) -> str:
    out = io.StringIO()
    renderer("github")(sample_report(), out, **options)
    return out.getvalue()


def test_golden():
    assert_golden("github.txt", render())


def test_escaping_follows_the_toolkit():
    assert escape_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_an_annotation_per_diagnostic_with_level_and_position():
    lines = render().splitlines()
    assert len(lines) == len(DIAGNOSTICS)
    assert lines[0] == ("::error file=specs/broken.yaml,title=E001 yaml-syntax::"
                        "YAML syntax error: found character '\\t' that cannot start any token")
    assert lines[1].startswith("::error file=specs/a.yaml,line=4,col=16,endLine=4,endColumn=17,title=S101 schema-violation::")
    assert "100%25 too high" in lines[1] and "%0Asee the schema" in lines[1]
    assert lines[3].startswith("::notice file=specs/dir with space/b.yaml,line=3,")
    assert lines[2].startswith("::warning ")


def test_secrets_are_scrubbed():
    assert SECRET not in render() and "REDACTED" in render()


def test_statistics_lines_follow():
    assert render(statistics=True).splitlines()[len(DIAGNOSTICS):][0].split() == ["1", "E001", "yaml-syntax"]


def test_cli(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "s.yaml").write_text("request:\n  model: x/y\n  messages: [{role: user, content: hi}]\n  zzz_custom: 1\n")
    result = run_cli("lint", "s.yaml", "--format", "github", cwd=tmp_path)
    assert result.out.startswith("::warning file=s.yaml,line=4,col=3,")
    assert annotation(DIAGNOSTICS[2]).startswith("::warning file=specs/a.yaml,line=6,col=3,endLine=6,endColumn=6,")
