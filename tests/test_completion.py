"""`specc completion bash|zsh|fish`: each script is produced; the bash one is loaded into a real
bash and its completion function answers for commands, options and choices."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import run_cli


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_each_shell_gets_a_script_covering_every_command(shell):
    result = run_cli("completion", shell)
    assert result.code == 0 and result.err == ""
    for command in ("lint", "compile", "init", "completion", "models"):
        assert command in result.out
    binary = {"bash": "bash", "zsh": "zsh", "fish": "fish"}[shell]
    if shutil.which(binary):  # the shell's own parser accepts it
        check = [binary, "-n"] if shell != "fish" else [binary, "--no-execute"]
        done = subprocess.run([*check, "/dev/stdin"], input=result.out, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr


def _complete(script: str, words: list[str]) -> list[str]:
    """COMPREPLY of the bash completion function for the command line `words` (cursor at the end)."""
    words_literal = " ".join(f"'{w}'" for w in words)
    program = (f"{script}\nCOMP_WORDS=({words_literal}); COMP_CWORD={len(words) - 1}; "
               f"COMP_LINE='{' '.join(words)}'; COMP_POINT=${{#COMP_LINE}}; _shtab_specc specc; "
               "printf '%s\\n' \"${COMPREPLY[@]}\"")
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_bash_script_completes_commands_options_and_choices():
    script = run_cli("completion", "bash").out
    assert "lint" in _complete(script, ["specc", "li"])
    assert _complete(script, ["specc", "lint", "--fail"]) == ["--fail-on"]
    assert set(_complete(script, ["specc", "lint", "--format", ""])) == {"text", "json", "github", "sarif", "junit"}
    assert set(_complete(script, ["specc", "completion", ""])) == {"bash", "zsh", "fish"}


def test_an_unknown_shell_is_a_usage_error():
    result = run_cli("completion", "powershell")
    assert result.code == 2 and "invalid choice" in result.err


def test_the_startup_benchmark_runs_every_variant():
    import sys

    from conftest import REPO

    done = subprocess.run([sys.executable, str(REPO / "bench" / "completion_startup.py"), "--rounds", "1"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for label in ("specc --version (shipped, shtab)", "specc --version (argcomplete hook)", "TAB with argcomplete"):
        assert label in done.stdout
