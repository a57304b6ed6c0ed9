"""Resource bounds: hostile or accidental input is refused with one clear diagnostic, in bounded memory.

Memory is measured (tracemalloc in-process, peak RSS of a subprocess for the big tree); time
is never asserted, only memory, with generous bounds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from conftest import REPO, run_cli

MiB = 1024 * 1024


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'bounds'\n")
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def lint_json(project: Path, *paths: str) -> tuple[int, list[dict]]:
    result = run_cli("lint", "--format", "json", "--no-cache", *paths, cwd=project)
    assert "Traceback" not in result.err
    return result.code, json.loads(result.out)["diagnostics"]


def only_error(project: Path, name: str) -> dict:
    code, diagnostics = lint_json(project, name)
    errors = [d for d in diagnostics if d["severity"] == "error"]
    assert code == 1 and len(errors) == 1, diagnostics
    return errors[0]


def peak_memory_of(function) -> tuple[object, int]:
    tracemalloc.start()
    try:
        value = function()
        return value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# ------------------------------------------------------------------ alias bombs


def billion_laughs(levels: int = 9, fan: int = 9) -> str:
    """The classic: each anchor repeats the previous one `fan` times; fully expanded, fan**levels nodes."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * fan)}]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * fan)}]")
    lines.append(f"request: {{model: openai/gpt-4o, messages: *a{levels - 1}}}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels, fan", [(9, 9), (30, 2), (4, 400)])
def test_alias_bomb_is_refused_in_bounded_memory(checker, project, levels, fan):
    path = write(project / "bomb.yaml", billion_laughs(levels, fan))
    result, peak = peak_memory_of(lambda: checker.check_path(path, display="bomb.yaml"))
    assert [d.code for d in result.diagnostics] == ["E007"]
    assert "alias" in result.diagnostics[0].message
    assert result.diagnostics[0].span.line >= 1  # at the alias that went over
    assert peak < 64 * MiB, f"peak {peak / MiB:.1f} MiB"


def test_alias_bomb_through_the_cli_names_the_limit(project):
    write(project / "bomb.yaml", billion_laughs())
    error = only_error(project, "bomb.yaml")
    assert error["code"] == "E007" and "alias" in error["message"] and error["line"] >= 1


def test_modest_aliases_are_fine(project):
    write(project / "ok.yaml", "request: {model: openai/gpt-4o, messages: [&msg {role: user, content: hi}, *msg, *msg]}\n")
    code, diagnostics = lint_json(project, "ok.yaml")
    assert code == 0 and "E007" not in {d["code"] for d in diagnostics}


# ------------------------------------------------------------------ configured limits through [tool.specc]


def configure(project: Path, **limits: int) -> None:
    table = "\n".join(f"{key.replace('_', '-')} = {value}" for key, value in limits.items())
    (project / "pyproject.toml").write_text(f"[project]\nname = 'bounds'\n\n[tool.specc]\n{table}\n")


SPEC = "request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: {content}\n"


def test_file_size_default_and_configured(project):
    big = write(project / "big.yaml", SPEC.format(content="x" * 200) + "#" + "pad " * (5 * MiB // 4) + "\n")
    error = only_error(project, big.name)
    assert error["code"] == "E007" and "4,194,304-byte limit" in error["message"]
    write(project / "small.yaml", SPEC.format(content="y" * 3000))
    assert lint_json(project, "small.yaml")[0] == 0
    configure(project, max_file_bytes=1000)
    error = only_error(project, "small.yaml")
    assert error["code"] == "E007" and "1,000-byte limit" in error["message"]


def test_string_length_configured(project):
    write(project / "s.yaml", SPEC.format(content="z" * 500))
    assert lint_json(project, "s.yaml")[0] == 0
    configure(project, max_string_length=100)
    error = only_error(project, "s.yaml")
    assert error["code"] == "E007" and "500 characters, over the 100 limit" in error["message"]
    assert error["line"] == 5  # at the string


def test_depth_default_and_configured(project):
    write(project / "deep.yaml", "request:\n  model: openai/gpt-4o\n  metadata: " + "[" * 150 + "]" * 150 + "\n")
    error = only_error(project, "deep.yaml")
    assert error["code"] == "E007" and "deeper than 100 levels" in error["message"]
    write(project / "ok.yaml", SPEC.format(content="hi"))
    configure(project, max_depth=3)
    error = only_error(project, "ok.yaml")
    assert error["code"] == "E007" and "deeper than 3 levels" in error["message"]


@pytest.mark.parametrize("text", [
    "request: " + "[" * 100_000,                       # flow nesting, never closed
    "request: " + "{a: " * 50_000 + "}" * 50_000,       # flow mappings
    "request:\n" + "".join(" " * i + "- \n" for i in range(0, 4000, 2)),  # block sequences
    "request:\n" + "".join(" " * i + f"k{i}:\n" for i in range(0, 4000, 2)),  # block mappings
])
def test_pathological_nesting_is_one_diagnostic(project, text):
    write(project / "n.yaml", text)
    error = only_error(project, "n.yaml")
    assert error["code"] in ("E001", "E007")


def test_alias_count_configured(project):
    uses = ", ".join(["*m"] * 20)
    write(project / "a.yaml", f"request: {{model: openai/gpt-4o, messages: [&m {{role: user, content: hi}}, {uses}]}}\n")
    assert lint_json(project, "a.yaml")[0] == 0
    configure(project, max_aliases=10)
    error = only_error(project, "a.yaml")
    assert error["code"] == "E007" and "more than 10 alias uses" in error["message"]


def test_many_alias_uses_default(project):
    uses = ", ".join(["*m"] * 600)
    write(project / "a.yaml", f"request: {{model: openai/gpt-4o, messages: [&m {{role: user, content: hi}}, {uses}]}}\n")
    error = only_error(project, "a.yaml")
    assert error["code"] == "E007" and "more than 500 alias uses" in error["message"]


def test_a_bad_limit_in_the_config_is_a_usage_error(project):
    (project / "pyproject.toml").write_text("[tool.specc]\nmax-depth = 'deep'\n")
    write(project / "s.yaml", SPEC.format(content="hi"))
    result = run_cli("lint", "s.yaml", cwd=project)
    assert result.code == 2 and "max-depth" in result.err and "Traceback" not in result.err


# ------------------------------------------------------------------ extends and !file that never end


def test_extends_chain_longer_than_the_limit(project):
    for index in range(40):
        write(project / f"b{index}.yaml", f"extends: b{index + 1}.yaml\nrequest: {{temperature: 0.{index % 10}}}\n")
    write(project / "b40.yaml", SPEC.format(content="hi"))
    code, diagnostics = lint_json(project, "b0.yaml")
    assert code == 1
    assert any(d["code"] == "E003" and "extends chain deeper than 32" in d["message"] for d in diagnostics), diagnostics


def test_extends_loop_is_a_cycle(project):
    write(project / "a.yaml", "extends: b.yaml\n" + SPEC.format(content="hi"))
    write(project / "b.yaml", "extends: c.yaml\nrequest: {temperature: 1}\n")
    write(project / "c.yaml", "extends: a.yaml\nrequest: {temperature: 1}\n")
    error = only_error(project, "a.yaml")
    assert error["code"] == "E003" and "cycle" in error["message"] and "a.yaml -> b.yaml -> c.yaml -> a.yaml" in error["message"]


def test_extends_fan_out_is_bounded(project):
    """Each base extends the next one twice: 2**30 loads without a bound on files read."""
    for index in range(30):
        write(project / f"f{index}.yaml", f"extends: [f{index + 1}.yaml, ./f{index + 1}.yaml]\nrequest: {{}}\n")
    write(project / "f30.yaml", SPEC.format(content="hi"))
    result, peak = peak_memory_of(lambda: run_cli("lint", "--format", "json", "--no-cache", "f0.yaml", cwd=project))
    errors = [d for d in json.loads(result.out)["diagnostics"] if d["severity"] == "error"]
    assert errors and all(d["code"] == "E003" for d in errors)
    assert any("more than 256 files" in d["message"] for d in errors), errors
    assert peak < 256 * MiB


def test_file_include_loop_is_refused(project):
    write(project / "p.yaml", "text: !file q.yaml\n")
    write(project / "q.yaml", "text: !file p.yaml\n")
    write(project / "s.yaml", "request:\n  model: openai/gpt-4o\n  messages: [{role: user, content: hi}]\n  metadata: !file p.yaml\n")
    error = only_error(project, "s.yaml")
    assert error["code"] == "E005" and "cycle" in error["message"]


def test_file_include_fan_out_is_bounded(project):
    for index in range(30):
        write(project / f"i{index}.yaml", f"a: !file i{index + 1}.yaml\nb: !file i{index + 1}.yaml\n")
    write(project / "i30.yaml", "leaf: 1\n")
    write(project / "s.yaml", "request:\n  model: openai/gpt-4o\n  messages: [{role: user, content: hi}]\n  metadata: !file i0.yaml\n")
    error = only_error(project, "s.yaml")
    assert error["code"] == "E005" and "more than 256 files" in error["message"]


# ------------------------------------------------------------------ a very large tree


@pytest.mark.slow
def test_ten_thousand_specs_lint_in_bounded_memory(tmp_path):
    tree = tmp_path / "tree"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), str(tree), "--count", "10000"],
                   check=True, capture_output=True)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'big'\n")
    assert sum(1 for _ in tree.rglob("*.yaml")) >= 10_000
    # The lint runs in a fresh interpreter that reports its own peak RSS (KiB on Linux) when done.
    measure = ("import resource, sys\n"
               "from specc.cli import main\n"
               "code = main(sys.argv[1:])\n"
               "usage = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
               "sys.stderr.write(f'PEAK_RSS_KIB={usage}\\n')\n"
               "sys.exit(code)\n")
    run = subprocess.run([sys.executable, "-c", measure, "lint", "--format", "json", "--no-cache", "--jobs", "1", "tree"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    summary = json.loads(run.stdout)["summary"]
    assert summary["files"] >= 10_000
    peak_kib = int(run.stderr.rsplit("PEAK_RSS_KIB=", 1)[1].split()[0])
    assert peak_kib < 1024 * 1024, f"peak RSS {peak_kib / 1024:.0f} MiB for {summary['files']} files"


# ------------------------------------------------------------------ issue 15: limits that every path keeps


def test_scalar_alias_uses_count_against_the_alias_limit(project):
    uses = ", ".join(["*x"] * 2000)
    write(project / "s.yaml", f"request: {{model: openai/gpt-4o, messages: [{{role: user, content: &x hi}}], stop: [{uses}]}}\n")
    error = only_error(project, "s.yaml")
    assert error["code"] == "E007" and "more than 500 alias uses" in error["message"]


def test_a_long_anchored_string_repeated_is_refused_before_it_grows(checker, project):
    """1,000,000 characters written once, used 300 times: 300 MB if copied. Refused while copying,
    and no later stage (compile) ever sees the expansion."""
    uses = ", ".join(["*x"] * 300)
    path = write(project / "big.yaml", f"x: &x {'a' * 1_000_000}\nrequest:\n  model: openai/gpt-4o\n"
                                       f"  messages: [{{role: user, content: hi}}]\n  stop: [{uses}]\n")
    result, peak = peak_memory_of(lambda: checker.check_path(path, display="big.yaml"))
    assert [d.code for d in result.diagnostics if d.severity.value == "error"] == ["E007"], result.diagnostics
    assert "4,194,304 characters" in result.diagnostics[0].message
    assert peak < 64 * MiB, f"peak {peak / MiB:.1f} MiB"
    compiled = run_cli("compile", "big.yaml", cwd=project)
    assert compiled.code == 1 and len(compiled.out) < 1000 and "E007" in compiled.err


def test_aliases_that_repeat_a_modest_message_are_fine(project):
    """Each use of an anchored mapping counts once, not once per scalar inside it."""
    uses = ", ".join(["*m"] * 400)
    write(project / "ok.yaml", "request: {model: openai/gpt-4o, messages: [&m {role: user, content: "
                               f"'{'w' * 100}'}}, {uses}]}}\n")
    code, diagnostics = lint_json(project, "ok.yaml")
    assert code == 0 and "E007" not in {d["code"] for d in diagnostics}, diagnostics


@pytest.mark.parametrize("number", ["9" * 5000, "-" + "1" * 4400, "!!int " + "7" * 5000])
def test_an_integer_too_long_to_convert_is_one_e007(project, number):
    write(project / "n.yaml", f"request:\n  model: openai/gpt-4o\n  messages: [{{role: user, content: hi}}]\n"
                              f"  max_tokens: {number}\n")
    error = only_error(project, "n.yaml")
    assert error["code"] == "E007" and "digits, over the 4,300-digit limit" in error["message"], error
    assert (error["line"], error["column"]) == (4, 15)


def test_a_long_integer_in_an_included_json_file_is_one_diagnostic(project):
    write(project / "inc.json", '{"n": ' + "8" * 5000 + "}")
    write(project / "deep.json", "[" * 100_000 + "]" * 100_000)
    for name in ("inc.json", "deep.json"):
        write(project / "s.yaml", f"request:\n  model: openai/gpt-4o\n  messages: [{{role: user, content: hi}}]\n  metadata: !file {name}\n")
        error = only_error(project, "s.yaml")
        assert error["code"] == "E005" and name in error["message"], error
        assert ("digit limit" if name == "inc.json" else "nested deeper than 100 levels") in error["message"]


@pytest.mark.parametrize("text", [
    "request:\n" + "".join(" " * i + "- \n" for i in range(2, 4000, 2)),     # block sequences
    "request:\n" + "".join(" " * i + f"k{i}:\n" for i in range(2, 4000, 2)),  # block mappings
    "request:\n  metadata: " + "[" * 1500 + "]" * 1500 + "\n",                # past libyaml's own 1,000
])
def test_nesting_over_the_limit_in_any_style_is_e007(project, text):
    write(project / "n.yaml", text)
    error = only_error(project, "n.yaml")
    assert error["code"] == "E007" and "nesting deeper than" in error["message"], error
    assert error["line"] >= 2


def test_a_control_character_is_reported_at_its_line_and_column(project):
    write(project / "c.yaml", "request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: héllo \x01 there\n")
    error = only_error(project, "c.yaml")
    assert error["code"] == "E001" and "U+0001" in error["message"] and "position" not in error["message"]
    assert (error["line"], error["column"]) == (5, 22)


def wide_spec(messages: int, flow: bool = False) -> str:
    lines = ["request:", "  model: openai/gpt-4o", "  messages:"]
    for index in range(messages):
        lines += [f"    - {{role: user, content: m{index}}}"] if flow else ["    - role: user", f"      content: m{index}"]
    return "\n".join(lines) + "\n"


def test_a_wide_shallow_spec_is_composed_by_libyaml_even_without_its_nesting_limit(monkeypatch, project):
    """A 3.2 MB spec of 100,000 messages took 31 s and 390 MB in the pure-Python composer, chosen
    because its `- ? :` count passed the depth guard meant for libyaml before 0.2.6."""
    import specc.load as load
    from specc.yamlfast import compose
    monkeypatch.setattr(load, "C_BOUNDS_NESTING", False)  # as with libyaml 0.2.5
    for text in (wide_spec(100_000), wide_spec(100_000, flow=True)):
        assert 2.5 * MiB < len(text) < 4 * MiB
        assert load.Loader(project)._compose_function(text) is compose
    # Text that may nest deeper is measured on the parser's events (this libyaml stops those at
    # 1,000 levels itself, so the measure is stood in for): only a real depth goes to pure Python.
    measured: list[int] = []
    monkeypatch.setattr(load, "events_nest_deeper", lambda text, depth: measured.append(len(text)) or True)
    assert load.Loader(project)._compose_function("a: " + "[" * 6000) is load.compose_pure
    assert measured == [6003]


@pytest.mark.parametrize("text", [
    "[" * 5001,
    "{a: " * 5001,
    "".join(" " * i + "- \n" for i in range(0, 5002, 2)),
    "- " * 2501 + "x\n",
    "- &a\n" + "".join(" " * i + f"- !t{i}\n" for i in range(2, 5004, 2)),
    "? " * 2501 + "x\n",
])
def test_the_depth_guard_never_calls_deep_text_shallow(text):
    from specc.load import C_SAFE_DEPTH
    from specc.yamlfast import could_nest_deeper, events_nest_deeper

    assert could_nest_deeper(text, C_SAFE_DEPTH)
    assert not could_nest_deeper(wide_spec(2000), C_SAFE_DEPTH)
    assert events_nest_deeper("a: [[[]]]", 3) and not events_nest_deeper("a: [[[]]]", 4)


# ------------------------------------------------------------------ issue 15: no read past the limits, cache and report included

HUGE = 48 * MiB  # sparse: costs no disk, but any read of it is counted by the kernel (and under the old 64 MiB excerpt cap)
MEASURE_READS = ("import sys\n"
                 "from specc.cli import main\n"
                 "def read_so_far():\n"
                 "    with open('/proc/self/io') as io:\n"
                 "        return int(next(l for l in io if l.startswith('rchar:')).split()[1])\n"
                 "before = read_so_far()\n"
                 "code = main(sys.argv[1:])\n"
                 "sys.stderr.write(f'READ_BYTES={read_so_far() - before}\\n')\n"
                 "sys.exit(code)\n")


def bytes_read_by(project: Path, *args: str) -> tuple[int, str, str]:
    """(bytes the kernel gave `specc ARGS` to read, stdout, stderr), from a fresh interpreter."""
    run = subprocess.run([sys.executable, "-c", MEASURE_READS, *args], cwd=project, capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    return int(run.stderr.rsplit("READ_BYTES=", 1)[1].split()[0]), run.stdout, run.stderr


def sparse(path: Path, size: int, head: bytes = b"") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as stream:
        stream.write(head)
        stream.truncate(size)
    return path


needs_proc_io = pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="counts reads with /proc/self/io (Linux)")


@needs_proc_io
@pytest.mark.parametrize("cached", [True, False])
def test_a_spec_over_the_limit_is_neither_hashed_nor_read_for_its_excerpt(project, cached):
    """A 2 GB sparse spec cost 4.2 GB with the cache on (hashed whole); a refused 50 MB spec 256 MB
    in the text report (read whole for a one-line excerpt). Only its head may be read."""
    sparse(project / "specs" / "huge.yaml", HUGE, b"request:\n  model: openai/gpt-4o\n#")
    write(project / "specs" / "ok.yaml", SPEC.format(content="hi"))
    args = ["lint", "specs"] + ([] if cached else ["--no-cache"])
    for _ in range(2 if cached else 1):  # the cached run re-validates the entry: still no read of the file
        read, out, _ = bytes_read_by(project, *args)
        assert "huge.yaml:1:1: E007" in out and "50,331,648 bytes, over the 4,194,304-byte limit" in out, out
        assert read < 16 * MiB, f"read {read / MiB:.0f} MiB of a {HUGE // MiB} MiB file"


@needs_proc_io
def test_an_include_over_the_limit_is_not_hashed(project):
    sparse(project / "inc" / "huge.txt", HUGE, b"text")
    write(project / "s.yaml", "request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: !file inc/huge.txt\n")
    read, out, _ = bytes_read_by(project, "lint", "s.yaml")
    assert "E005" in out or "E007" in out, out
    assert read < 16 * MiB, f"read {read / MiB:.0f} MiB of a {HUGE // MiB} MiB include"


def test_a_cached_result_over_the_limit_is_stat_only_yet_sees_a_new_head(project):
    """Stat-only for what the limit refuses, but its head still tells spec from not-spec."""
    from specc.cache import digest_file

    path = sparse(project / "big.yaml", 8 * MiB, b"request: {}\n")
    first = digest_file(str(path), 4 * MiB)
    assert first is not None and first.startswith("over 4194304: 8388608 bytes")
    sparse(path, 8 * MiB, b"notaspec: 1\n")
    assert digest_file(str(path), 4 * MiB) != first
    assert digest_file(str(path), 16 * MiB) != first  # under a larger limit, the content is hashed
