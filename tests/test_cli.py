"""The CLI on bad input: the right exit code and exactly one clear, positioned diagnostic,
never a traceback or an internal error."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO, run_cli

GOOD = "request:\n  model: openai/gpt-4o-mini\n  messages:\n    - role: user\n      content: Hello\n"


def _diagnostic_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if ": E0" in line or ": S1" in line]


def assert_one(result, code: str, line: int, words: str, exit_code: int = 1) -> None:
    assert result.code == exit_code, (result.out, result.err)
    assert "Traceback" not in result.out + result.err and "internal error" not in result.err
    [headline] = _diagnostic_lines(result.out)
    assert f":{line}:" in headline and f" {code} " in headline and words in headline, headline


@pytest.mark.parametrize("content, code, line, words", [
    ("request:\n  model: [unclosed\n", "E001", 2, "YAML syntax error"),
    ("- just\n- a list\n", "E006", 1, "not a list"),
    ("", "E006", 1, "empty spec"),
    ("request: 5\n", "E008", 1, "request must be a mapping"),
    ("vars: [1]\n" + GOOD, "E008", 1, "vars must be a mapping, not a list"),
    ("headers: {X-Title: [a]}\n" + GOOD, "E008", 1, "headers.X-Title must be a string"),
    ("endpoint: completions\n" + GOOD, "E008", 1, "endpoint"),
    (b"request:\n  model: \xff\xfe\n", "E001", 2, "not valid UTF-8"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00", "E001", 1, "binary file"),
    ("extends: spec.yaml\n" + GOOD, "E003", 1, "extends cycle: spec.yaml -> spec.yaml"),
    ("extends: nowhere.yaml\n" + GOOD, "E003", 1, "base spec not found"),
    ("reqest:\n  model: x\n", "E002", 1, "did you mean 'request'"),
    ("foo: 1\n", "E006", 1, "not a spec"),
])
def test_bad_input_gives_one_clear_diagnostic(write_spec, content, code, line, words):
    path = write_spec(content) if isinstance(content, str) else write_spec("")
    if isinstance(content, bytes):
        path.write_bytes(content)
    assert_one(run_cli("lint", "--select", "E,S", path.name, cwd=path.parent), code, line, words)


def test_ten_megabyte_file(write_spec):
    path = write_spec(GOOD)
    with open(path, "a") as handle:
        handle.write(("# " + "x" * 1022 + "\n") * 10 * 1024)
    assert path.stat().st_size > 10 * 1024 * 1024
    assert_one(run_cli("lint", path.name, cwd=path.parent), "E007", 1, "byte limit")


def test_missing_path_is_a_usage_error(tmp_path):
    result = run_cli("lint", "no/such/spec.yaml", cwd=tmp_path)
    assert result.code == 2 and result.out == ""
    assert result.err == "specc: error: no/such/spec.yaml: no such file or directory\n"


def test_unknown_option_is_a_usage_error(tmp_path):
    assert run_cli("lint", "--no-such-flag", ".", cwd=tmp_path).code == 2
    assert run_cli("lint", "--format", "xml", ".", cwd=tmp_path).code == 2


def test_compile_prints_the_body_with_two_space_indent_in_spec_order(write_spec):
    path = write_spec("request:\n  model: m\n  messages:\n    - role: user\n      content: Hi\n  seed: 1\n")
    result = run_cli("compile", path.name, cwd=path.parent)
    assert result.code == 0 and result.err == ""
    assert result.out == ('{\n  "model": "m",\n  "messages": [\n    {\n      "role": "user",\n'
                          '      "content": "Hi"\n    }\n  ],\n  "seed": 1\n}\n')


def test_compile_with_errors_exits_1_with_diagnostics_on_stderr(write_spec):
    path = write_spec("request:\n  model: m\n  messages: [{role: user, content: '{{ who }}'}]\n", "s.yaml")
    result = run_cli("compile", "--var", "x=1", "s.yaml", cwd=path.parent)
    assert result.code == 1 and result.out == ""
    assert "s.yaml:3:" in result.err and "E004" in result.err


def test_compile_vars_and_output_file(write_spec):
    path = write_spec("vars: {who: Ada}\nrequest:\n  model: m\n  messages: [{role: user, content: 'Hi {{ who }}'}]\n")
    result = run_cli("compile", path.name, "--var", "who=Grace", "-o", "out.json", cwd=path.parent)
    assert result.code == 0 and result.out == ""
    assert json.loads((path.parent / "out.json").read_text())["messages"][0]["content"] == "Hi Grace"


def test_compile_env_placeholder(write_spec):
    path = write_spec("vars: {}\nrequest:\n  model: '{{ env.SPECC_TEST_MODEL }}'\n  messages: [{role: user, content: x}]\n")
    result = run_cli("compile", path.name, cwd=path.parent, env={"SPECC_TEST_MODEL": "openai/gpt-4o"})
    assert result.code == 0 and json.loads(result.out)["model"] == "openai/gpt-4o"


@pytest.mark.parametrize("args, words", [(("nope.yaml",), "no such file"), ((".",), "is a directory")])
def test_compile_usage_errors(tmp_path, args, words):
    result = run_cli("compile", *args, cwd=tmp_path)
    assert result.code == 2 and words in result.err


def test_malformed_var_is_a_usage_error(write_spec):
    path = write_spec(GOOD)
    assert run_cli("compile", path.name, "--var", "novalue", cwd=path.parent).code == 2


def test_version():
    result = run_cli("--version")
    assert result.code == 0 and result.out.startswith("specc ")


def test_real_process_on_bad_input_has_no_traceback(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "bad.yaml").write_bytes(b"request: {model: [\n")
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "specc", "lint", "bad.yaml"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stdout.startswith("bad.yaml:1:19: E001 YAML syntax error")


def test_lint_never_imports_network_libraries():
    # --no-cache: the whole pipeline runs (a cached re-run would import less), and no cache lands in the checkout
    code = ("import sys; from specc.cli import main; main(['lint', '--no-cache', 'specs']);"
            "print(sorted(m for m in ('httpx', 'vcr') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_help_lists_every_command_and_each_command_has_its_own(tmp_path):
    from specc.cli import COMMANDS

    top = run_cli("--help")
    # a name longer than argparse's help column ("completion") has its help on the next line
    assert top.code == 0 and all(f"\n    {name} " in top.out or f"\n    {name}\n" in top.out for name in COMMANDS), top.out
    lint = run_cli("lint", "--help")
    assert lint.code == 0 and lint.out.startswith("usage: specc lint [-h]") and "--no-cache" in lint.out
    unknown = run_cli("lint", ".", "--bogus", cwd=tmp_path)
    assert unknown.code == 2 and unknown.err.startswith("usage: specc [-h] [--version] COMMAND ...\n")
    assert unknown.err.endswith("specc: error: unrecognized arguments: --bogus\n")


@pytest.mark.parametrize("columns", ["50", "200", "", "wide", "-3"])
def test_help_is_as_wide_as_argparse_would_make_it(monkeypatch, columns):
    """The CLI's formatter finds the width without shutil, and must find the same one."""
    import argparse

    from specc.cli import _HelpFormatter

    monkeypatch.setenv("COLUMNS", columns)
    assert _HelpFormatter("specc")._width == argparse.HelpFormatter("specc")._width


def test_the_console_script_flushes_everything_and_keeps_the_exit_code(tmp_path):
    """`run_console` leaves through os._exit: the buffered report must still arrive whole."""
    import subprocess
    import sys

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    for n in range(40):
        (tmp_path / f"s{n:02}.yaml").write_text("request:\n  model: openai/gpt-4o\n  temperature: hot\n"
                                               "  messages: [{role: user, content: hi}]\n")
    code = "import sys; sys.argv = ['specc', 'lint', '--no-cache', '.']; from specc.cli import run_console; run_console()"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert done.stdout.count("S101") == 40 and done.stdout.endswith("Found 40 errors and 0 warnings in 40 files.\n")


def test_the_installed_script_is_run_console():
    import tomllib

    from conftest import REPO

    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["specc"] == "specc.cli:run_console"
