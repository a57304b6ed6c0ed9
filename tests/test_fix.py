"""`--fix` and `--diff`: round-trip edits that keep comments, order and quoting, and refuse unsafe cases."""

from __future__ import annotations

import pytest

from specc.check import Checker
from specc.diagnostics import Edit
from specc.fix import plan_fixes
from specc.yamledit import guess_indent
from tests._fakes import FAKE_RULES


@pytest.fixture
def fake_checker(schemas):
    return Checker(schemas=schemas, rules=[rule() for rule in FAKE_RULES])


def fix(checker, path):
    """Plan and write the fixes for `path`; return (plan, codes left after re-linting)."""
    plan = plan_fixes(checker.check_path(path), path)
    if plan and plan.changed:
        plan.write()
    return plan, [d.code for d in checker.check_path(path).diagnostics]


SPEC = """\
# Summaries for the inbox.
name: demo
request:
  model: "openai/gpt-4o"   # pinned
  messages:
    - role: user
      content: 'Say hi'
  # keep answers short
  max_tokens: 100  # tokens
  # usage accounting
  usage:
    include: true
  # sampling
  temperature: 0.2
"""


def test_fixes_keep_comments_order_and_quoting(fake_checker, write_spec):
    path = write_spec(SPEC)
    plan, left = fix(fake_checker, path)
    assert sorted(d.code for d in plan.applied) == ["OR990", "OR991"]
    assert left == []
    assert path.read_text() == """\
# Summaries for the inbox.
name: demo
request:
  model: "openai/gpt-4o"   # pinned
  messages:
    - role: user
      content: 'Say hi'
  # keep answers short
  max_completion_tokens: 100  # tokens
  # usage accounting
  # sampling
  temperature: 0.2
"""


def test_set_creates_the_mapping_where_the_deleted_key_was(fake_checker, write_spec):
    path = write_spec("request:\n  model: openai/o3\n  include_reasoning: false\n  messages: [{role: user, content: hi}]\n")
    plan, left = fix(fake_checker, path)
    assert left == [] and [d.code for d in plan.applied] == ["OR992"]
    assert path.read_text() == ("request:\n  model: openai/o3\n  reasoning:\n    exclude: true\n"
                                "  messages: [{role: user, content: hi}]\n")  # in the place of what it replaces


def test_flow_style_and_four_space_indent_survive(fake_checker, write_spec):
    path = write_spec("request:\n    model: x/y\n    messages:\n      - {role: user, content: hi}\n"
                      "    usage: {include: true, other: 1}\n")
    fix(fake_checker, path)
    assert path.read_text() == "request:\n    model: x/y\n    messages:\n      - {role: user, content: hi}\n" \
                               "    usage: {other: 1}\n"


def test_crlf_and_bom_are_kept(fake_checker, write_spec):
    path = write_spec("")
    path.write_bytes(b"\xef\xbb\xbfrequest:\r\n  model: x/y\r\n  max_tokens: 5\r\n  messages: [{role: user, content: hi}]\r\n")
    fix(fake_checker, path)
    assert path.read_bytes() == (b"\xef\xbb\xbfrequest:\r\n  model: x/y\r\n  max_completion_tokens: 5\r\n"
                                 b"  messages: [{role: user, content: hi}]\r\n")


def test_values_from_an_extends_base_are_not_fixed(fake_checker, write_spec):
    base = write_spec("request:\n  max_tokens: 5\n", "base.yaml")
    spec = write_spec("extends: base.yaml\nrequest:\n  model: x/y\n  messages: [{role: user, content: hi}]\n", "spec.yaml")
    before = (base.read_text(), spec.read_text())
    plan, left = fix(fake_checker, spec)
    assert not plan.applied and "base.yaml" in plan.skipped[0][1]
    assert (base.read_text(), spec.read_text()) == before and left == ["OR990"]


def test_an_edit_of_a_value_the_base_also_defines_is_skipped(fake_checker, write_spec):
    write_spec("request:\n  reasoning: {effort: high, exclude: false}\n", "base.yaml")
    spec = write_spec("extends: base.yaml\nrequest:\n  model: x/y\n  include_reasoning: true\n"
                      "  messages: [{role: user, content: hi}]\n", "spec.yaml")
    before = spec.read_text()
    plan, _ = fix(fake_checker, spec)
    assert not plan.applied and "extends base" in plan.skipped[0][1]
    assert spec.read_text() == before


def test_placeholders_are_not_fixed(fake_checker, write_spec):
    spec = write_spec("vars: {n: 5}\nrequest:\n  model: x/y\n  max_tokens: '{{ n }}'\n  include_reasoning: true\n"
                      "  messages: [{role: user, content: hi}]\n")
    before = spec.read_text()
    plan = plan_fixes(fake_checker.check_path(spec), spec)
    reasons = {d.code: why for d, why in plan.skipped}
    assert "placeholder" in reasons["OR990"]
    assert [d.code for d in plan.applied] == ["OR992"]  # the other fix is independent and goes in
    assert spec.read_text() == before  # nothing written by planning


def test_file_includes_are_not_edited(fake_checker, write_spec):
    write_spec('{"include": true}', "usage.json")
    spec = write_spec("request:\n  model: x/y\n  usage: !file usage.json\n  messages: [{role: user, content: hi}]\n")
    before = spec.read_text()
    plan, left = fix(fake_checker, spec)
    assert not plan.applied and "include" in plan.skipped[0][1]
    assert spec.read_text() == before and left == ["OR991"]


def test_a_rename_onto_an_existing_key_is_skipped(fake_checker, write_spec):
    spec = write_spec("request:\n  model: x/y\n  max_tokens: 5\n  max_completion_tokens: 6\n"
                      "  messages: [{role: user, content: hi}]\n")
    plan, _ = fix(fake_checker, spec)
    assert not plan.applied and "missing" in plan.skipped[0][1]


def test_suppressed_findings_are_not_fixed(fake_checker, write_spec):
    spec = write_spec("request:\n  model: x/y\n  max_tokens: 5  # specc: ignore[OR990]\n"
                      "  messages: [{role: user, content: hi}]\n")
    assert plan_fixes(fake_checker.check_path(spec), spec) is None


def test_diff_describes_the_change_without_writing(fake_checker, write_spec):
    spec = write_spec("request:\n  model: x/y\n  max_tokens: 5\n  messages: [{role: user, content: hi}]\n")
    before = spec.read_text()
    plan = plan_fixes(fake_checker.check_path(spec), spec)
    assert "-  max_tokens: 5\n+  max_completion_tokens: 5\n" in plan.diff()
    assert plan.diff().startswith(f"--- a/{spec}\n+++ b/{spec}\n")
    assert spec.read_text() == before


@pytest.mark.parametrize("text, expected", [
    ("a:\n  b: 1\n  c:\n  - x\n", (2, 0)),
    ("a:\n    b:\n      - x\n", (4, 2)),
    ("a: 1\n", (2, 0)),
    ("a:  # c\n   b: 1\n", (3, 0)),
])
def test_guess_indent(text, expected):
    assert guess_indent(text) == expected


# ------------------------------------------------------------------ end to end, with the real fixable rules

from specc.rules import all_rules  # noqa: E402
from conftest import run_cli  # noqa: E402

FIXABLE = [rule for rule in all_rules() if rule.fixable and not rule.needs_catalog]


@pytest.mark.parametrize("rule", FIXABLE, ids=[r.code for r in FIXABLE])
def test_fix_then_lint_is_clean_for_each_fixable_rule(rule, tmp_path, checker):
    """Every fixable rule's own Example is fixed by `--fix`: a second lint finds nothing of it left to fix.

    (A rule may also report something no fix can settle, such as a limit too low: that stays.)
    """
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    spec = tmp_path / "spec.yaml"
    spec.write_text(rule.example("Example"))
    before = [d for d in checker.check_path(spec).diagnostics if d.code == rule.code]
    assert any(d.fix for d in before), f"{rule.code} offers no fix on its own Example"
    select = ("--select", rule.code) if rule.opt_in else ()  # opt-in rules run (and fix) only when named
    fixed = run_cli("lint", "spec.yaml", *select, "--fix", "--format", "json", cwd=tmp_path)
    assert "not fixed" not in fixed.err, fixed.err
    assert spec.read_text() != rule.example("Example")
    after = checker.check_path(spec).diagnostics
    assert not [d for d in after if d.code == rule.code and d.fix], fixed.err
    assert not [d for d in after if d.code.startswith("E")]


VIDEO = """\
request:
  model: google/gemini-2.5-flash
  messages:
    - role: user
      content:
        - type: text
          text: What happens here?   # the question
        - type: input_video   # legacy
          video_url: {url: "https://example.com/v.mp4"}
"""


def test_cli_diff_prints_the_change_and_writes_nothing(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "v.yaml").write_text(VIDEO)
    result = run_cli("lint", "v.yaml", "--diff", cwd=tmp_path)
    assert result.code == 1
    assert "-        - type: input_video   # legacy\n+        - type: video_url   # legacy\n" in result.out
    assert "1 fix would be applied to 1 file" in result.err
    assert (tmp_path / "v.yaml").read_text() == VIDEO


def test_cli_fix_writes_and_reports_what_remains(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "v.yaml").write_text(VIDEO)
    result = run_cli("lint", "v.yaml", "--fix", cwd=tmp_path)
    assert "Fixed 1 finding." in result.out
    assert (tmp_path / "v.yaml").read_text() == VIDEO.replace("type: input_video", "type: video_url")
    assert run_cli("lint", "v.yaml", "--diff", cwd=tmp_path).code == 0


def test_set_keeps_the_quoting_of_the_replaced_scalar():
    import io

    from specc.diagnostics import Edit
    from specc.yamledit import apply_edit, new_yaml

    text = "request:\n  a: \"old\"  # note\n  b: 'x'\n"
    yaml = new_yaml(text)
    data = yaml.load(text)
    apply_edit(data["request"], Edit("set", ("a",), "newer"))
    apply_edit(data["request"], Edit("set", ("b",), "y"))
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    assert buffer.getvalue() == "request:\n  a: \"newer\"  # note\n  b: 'y'\n"


def test_anchors_aliases_and_merge_keys_are_not_edited(fake_checker, write_spec):
    spec = write_spec("request:\n  model: x/y\n  usage: &u {include: true}\n  metadata: {copy: *u}\n"
                      "  messages: [{role: user, content: hi}]\n")
    plan = plan_fixes(fake_checker.check_path(spec), spec)
    assert not plan.applied and "alias" in plan.skipped[0][1]



def test_cli_fix_explains_what_it_left_alone(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "base.yaml").write_text(VIDEO)
    (tmp_path / "spec.yaml").write_text("extends: base.yaml\nrequest:\n  temperature: 0.5\n")
    result = run_cli("lint", "spec.yaml", "--fix", cwd=tmp_path)
    assert "base.yaml:8:17: OR703 not fixed: the finding is in base.yaml, not in this file" in result.err
    assert (tmp_path / "base.yaml").read_text() == VIDEO
    assert (tmp_path / "spec.yaml").read_text() == "extends: base.yaml\nrequest:\n  temperature: 0.5\n"


def test_a_list_the_spec_writes_itself_is_fixed_despite_the_base(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "base.yaml").write_text("request:\n  model: google/gemini-2.5-flash\n"
                                        "  messages: [{role: user, content: hi}]\n")
    own = VIDEO.replace("request:\n  model: google/gemini-2.5-flash\n", "extends: base.yaml\nrequest:\n")
    (tmp_path / "spec.yaml").write_text(own)
    result = run_cli("lint", "spec.yaml", "--fix", cwd=tmp_path)
    assert "Fixed 1 finding." in result.out, result.err
    assert (tmp_path / "spec.yaml").read_text() == own.replace("input_video", "video_url")


def test_a_set_that_merges_into_a_base_mapping_is_applied(fake_checker, write_spec):
    write_spec("request:\n  reasoning: {effort: high}\n", "base.yaml")
    spec = write_spec("extends: base.yaml\nrequest:\n  model: x/y\n  include_reasoning: true\n"
                      "  messages: [{role: user, content: hi}]\n", "spec.yaml")
    plan, left = fix(fake_checker, spec)
    assert [d.code for d in plan.applied] == ["OR992"] and left == []
    assert fake_checker.check_path(spec).body["reasoning"] == {"effort": "high", "exclude": False}


def test_fix_leaves_files_without_fixes_untouched(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "clean.yaml").write_text("request:\n  model: x/y\n  messages: [{role: user, content: hi}]\n  zzz: 1\n")
    (tmp_path / "v.yaml").write_text(VIDEO)
    inode = (tmp_path / "clean.yaml").stat().st_ino
    result = run_cli("lint", ".", "--fix", cwd=tmp_path)
    assert "Fixed 1 finding." in result.out and "S102" in result.out  # what cannot be fixed is still reported
    assert (tmp_path / "clean.yaml").stat().st_ino == inode  # never rewritten
    video_inode = (tmp_path / "v.yaml").stat().st_ino
    again = run_cli("lint", ".", "--fix", cwd=tmp_path)
    assert "Fixed" not in again.out and (tmp_path / "v.yaml").stat().st_ino == video_inode


def test_the_example_specs_survive_a_round_trip_unchanged():
    """With no edit, loading and dumping reproduces every example spec byte for byte: fixes change only what they fix."""
    import io

    from specc.yamledit import new_yaml
    from conftest import SPECS

    files = sorted(SPECS.rglob("*.yaml"))
    if not files:
        pytest.skip("specs/ holds no example specs")
    for path in files:
        text = path.read_text("utf-8")
        yaml = new_yaml(text)
        buffer = io.StringIO()
        yaml.dump(yaml.load(text), buffer)
        assert buffer.getvalue() == text, path


def test_a_set_without_a_delete_appends(write_spec):
    import io

    from specc.yamledit import apply_edits, new_yaml

    text = "request:\n  model: x/y  # m\n  stream: true\n"
    yaml = new_yaml(text)
    data = yaml.load(text)
    apply_edits(data["request"], [Edit("set", ("provider", "sort"), "price")])
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    assert buffer.getvalue() == text + "  provider:\n    sort: price\n"


REASONING = "request:\n  model: deepseek/deepseek-r1\n{line}\n  messages:\n    - role: user\n      content: hi\n"


@pytest.mark.parametrize("line, rewritten", [
    ("  include_reasoning: false  # the old client reads no reasoning",
     "  reasoning:\n    exclude: true           # the old client reads no reasoning"),
    ("  include_reasoning: true  # legacy on", "  reasoning: {}            # legacy on"),
    ("  include_reasoning: null  # legacy", "  # legacy"),
])
def test_the_include_reasoning_fix_keeps_the_comment_of_the_line_it_rewrites(tmp_path, line, rewritten):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "r.yaml").write_text(REASONING.format(line=line))
    result = run_cli("lint", "r.yaml", "--fix", "--select", "OR203", cwd=tmp_path)
    assert "Fixed 1 finding." in result.out, result.out + result.err
    assert (tmp_path / "r.yaml").read_text() == REASONING.format(line=rewritten)


@pytest.mark.parametrize("lines, why", [
    ("  include_reasoning: true\n  reasoning: {effort: high}", "`reasoning:` exists already"),
    ("  include_reasoning: false\n  reasoning: {exclude: false}", "`reasoning.exclude` is already set"),
])
def test_a_fix_that_cannot_apply_says_why_under_diff(tmp_path, lines, why):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "r.yaml").write_text(REASONING.format(line=lines))
    result = run_cli("lint", "r.yaml", "--diff", cwd=tmp_path)
    assert result.out == "" and "0 fixes would be applied" in result.err
    assert f"r.yaml:3:3: OR203 not fixed: {why}" in result.err, result.err
    fixed = run_cli("lint", "r.yaml", "--fix", cwd=tmp_path)
    assert f"r.yaml:3:3: OR203 not fixed: {why}" in fixed.err, fixed.err
