"""Paths: `extends`, `!file`, `!data-url` and `!base64` never read outside the project, never
open a device or a FIFO, and say why they refused.

Each case is driven through `specc lint` (what a pre-commit hook runs) in a project whose
parent folder holds a "secret" file the spec tries to reach.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

# (how the spec names the file, the code expected, words the message must hold)
REFERENCES = {
    "extends": ("extends: {target}\nrequest: {{model: openai/gpt-4o, messages: [{{role: user, content: hi}}]}}\n", "E003"),
    "!file": ("request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: !file {target}\n", "E005"),
    "!data-url": ("request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content:\n"
                  "        - type: image_url\n          image_url:\n            url: !data-url {target}\n", "E005"),
    "!base64": ("request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content:\n"
                "        - type: input_audio\n          input_audio:\n            format: wav\n            data: !base64 {target}\n", "E005"),
}


@pytest.fixture
def world(tmp_path) -> Path:
    """tmp/outside/secret.yaml beside tmp/project (a pyproject.toml marks the root)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("request: {model: secret/model}\n")
    (outside / "secret.png").write_bytes(PNG)
    project = tmp_path / "project"
    (project / "specs").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'paths'\n")
    return project


def lint_one(project: Path, kind: str, target: str) -> dict:
    template, code = REFERENCES[kind]
    (project / "specs" / "s.yaml").write_text(template.format(target=target))
    result = run_cli("lint", "--format", "json", "--no-cache", "specs/s.yaml", cwd=project)
    assert "Traceback" not in result.err
    errors = [d for d in json.loads(result.out)["diagnostics"] if d["severity"] == "error"]
    assert result.code == 1 and len(errors) == 1, errors
    assert errors[0]["code"] == code, errors
    assert errors[0]["line"] >= 1  # at the entry or tag that names the file
    return errors[0]


@pytest.mark.parametrize("kind", REFERENCES)
@pytest.mark.parametrize("target, words", [
    ("../../outside/secret.yaml", "leads outside the project root"),
    ("../../outside/secret.png", "leads outside the project root"),
    ("https://example.com/base.yaml", "URLs are not read"),
    ("file:///etc/passwd", "URLs are not read"),
])
def test_outside_references_are_refused(world, kind, target, words):
    assert words in lint_one(world, kind, target)["message"]


@pytest.mark.parametrize("kind", REFERENCES)
@pytest.mark.parametrize("target, words", [
    ('"a\\0b.yaml"', "NUL byte"),
    ('"\\0"', "NUL byte"),
    ("x" * 300 + ".yaml", "limit of file systems"),
    ("/".join(["d"] * 2100), "limit of file systems"),
])
def test_paths_no_file_can_have_are_one_diagnostic(world, kind, target, words):
    assert words in lint_one(world, kind, target)["message"]


def test_one_spec_with_a_nul_path_costs_no_other_its_report(world):
    """The fuzz finding of issue 15: one such spec aborted `specc lint specs/` for all the others."""
    specs = world / "specs"
    for index, (template, _) in enumerate(REFERENCES.values()):
        (specs / f"bad{index}.yaml").write_text(template.format(target='"x\\0y"'))
    (specs / "cassette.yaml").write_text('cassette: "c\\0.yaml"\n' + REFERENCES["!file"][0].format(target="ok.txt"))
    (specs / "ok.txt").write_text("hi\n")
    (specs / "fine.yaml").write_text("request: {model: openai/gpt-4o, temperature: 9, messages: [{role: user, content: hi}]}\n")
    for fmt in ("json", "text"):
        result = run_cli("lint", "--format", fmt, "--no-cache", "specs", cwd=world)
        assert result.code == 1 and "Traceback" not in result.err and "internal error" not in result.err
    report = json.loads(run_cli("lint", "--format", "json", "--no-cache", "specs", cwd=world).out)
    files = {Path(d["path"]).name for d in report["diagnostics"]}
    assert {"bad0.yaml", "bad1.yaml", "bad2.yaml", "bad3.yaml", "fine.yaml"} <= files
    assert any(Path(d["path"]).name == "fine.yaml" and d["code"] == "OR410" for d in report["diagnostics"])
    assert any(Path(d["path"]).name == "cassette.yaml" and d["code"] == "E009" for d in report["diagnostics"])


@pytest.mark.parametrize("cassette, words", [
    (".", "names a folder"), ("sub/", "names a folder"), ("http://example.com/c.yaml", "URLs are not cassettes"),
    ("../../outside/c.yaml", "leads outside the project root"), ('"c\\0.yaml"', "NUL byte"),
])
def test_lint_refuses_a_cassette_path_send_would_refuse(world, cassette, words):
    """Lint and the recorder judge `cassette:` by one function: lint passing means send can record."""
    (world / "specs" / "sub").mkdir()
    (world / "specs" / "s.yaml").write_text(f"cassette: {cassette}\n" + REFERENCES["!file"][0].format(target="ok.txt"))
    (world / "specs" / "ok.txt").write_text("hi\n")
    result = run_cli("lint", "--format", "json", "--no-cache", "specs/s.yaml", cwd=world)
    errors = [d for d in json.loads(result.out)["diagnostics"] if d["severity"] == "error"]
    assert result.code == 1 and [d["code"] for d in errors] == ["E009"] and words in errors[0]["message"], errors
    assert errors[0]["line"] == 1
    sent = run_cli("send", "specs/s.yaml", "--record", cwd=world, env={"OPENROUTER_API_KEY": "sk-or-v1-" + "0" * 64,
                                                                     "OPENROUTER_BASE_URL": "http://127.0.0.1:9"})
    assert sent.code == 1 and "E009" in sent.err and "not sent" in sent.err and "Traceback" not in sent.err
    assert not (world / "specs" / "http:").exists()


@pytest.mark.parametrize("kind", REFERENCES)
def test_absolute_paths_are_refused(world, kind):
    target = str(world.parent / "outside" / "secret.yaml")
    assert "absolute paths are refused" in lint_one(world, kind, target)["message"]


@pytest.mark.parametrize("kind", REFERENCES)
@pytest.mark.parametrize("link_to", ["outside/secret.yaml", "outside/secret.png", "outside"])
def test_symlinks_pointing_out_are_refused(world, kind, link_to):
    os.symlink(world.parent / link_to, world / "specs" / "link")
    target = "link/secret.yaml" if link_to == "outside" else "link"
    assert "leads outside the project root" in lint_one(world, kind, target)["message"]


@pytest.mark.parametrize("kind", REFERENCES)
def test_symlink_to_a_device_is_refused(world, kind):
    os.symlink("/dev/zero", world / "specs" / "zero.yaml")
    assert "leads outside the project root" in lint_one(world, kind, "zero.yaml")["message"]


@pytest.mark.parametrize("kind", REFERENCES)
def test_fifo_is_refused_without_blocking(world, kind, tmp_path):
    """A FIFO nobody writes to would block `open()` for ever: run in a subprocess that must finish."""
    os.mkfifo(world / "specs" / "pipe.yaml")
    template, code = REFERENCES[kind]
    (world / "specs" / "s.yaml").write_text(template.format(target="pipe.yaml"))
    try:
        run = subprocess.run([sys.executable, "-m", "specc", "lint", "--format", "json", "--no-cache", "specs/s.yaml"],
                             cwd=world, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:  # pragma: no cover - the failure this test exists for
        pytest.fail("specc blocked reading a FIFO")
    errors = [d for d in json.loads(run.stdout)["diagnostics"] if d["severity"] == "error"]
    assert run.returncode == 1 and [e["code"] for e in errors] == [code]
    assert "not a regular file" in errors[0]["message"]


def test_fifo_as_the_linted_spec_is_refused(world):
    os.mkfifo(world / "specs" / "pipe.yaml")
    run = subprocess.run([sys.executable, "-m", "specc", "compile", "specs/pipe.yaml"],
                         cwd=world, capture_output=True, text=True, timeout=120)
    assert run.returncode in (1, 2) and "not a regular file" in run.stderr + run.stdout
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("kind", REFERENCES)
def test_directory_is_refused(world, kind):
    (world / "specs" / "folder").mkdir()
    assert "directory" in lint_one(world, kind, "folder")["message"]


def test_references_inside_the_project_still_work(world):
    (world / "specs" / "base.yaml").write_text("request: {temperature: 0.2}\n")
    (world / "specs" / "prompt.txt").write_text("hello")
    (world / "specs" / "pic.png").write_bytes(PNG)
    os.symlink(world / "specs" / "prompt.txt", world / "specs" / "alias.txt")  # a link that stays inside
    (world / "specs" / "s.yaml").write_text(
        "extends: base.yaml\nrequest:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content:\n"
        "        - {type: text, text: !file alias.txt}\n        - type: image_url\n          image_url: {url: !data-url pic.png}\n")
    result = run_cli("compile", "specs/s.yaml", cwd=world)
    assert result.code == 0, result.err
    body = json.loads(result.out)
    assert body["temperature"] == 0.2 and body["messages"][0]["content"][0]["text"] == "hello"
    assert body["messages"][0]["content"][1]["image_url"]["url"].startswith("data:image/png;base64,")


# ------------------------------------------------------------------ specs found through links (issue 15)

def test_spec_symlinked_out_of_the_project_is_not_read_and_the_run_goes_on(world):
    os.symlink(world.parent / "outside" / "secret.yaml", world / "specs" / "leak.yaml")
    (world / "specs" / "ok.yaml").write_text("request: {model: openai/gpt-4o, messages: [{role: user, content: hi}]}\n")
    for cache in (("--no-cache",), (), ()):  # uncached, then filling the cache, then from it
        result = run_cli("lint", "--format", "json", *cache, "specs/", cwd=world)
        assert "Traceback" not in result.err and "secret/model" not in result.out + result.err
        report = json.loads(result.out)
        refused = [d for d in report["diagnostics"] if d["path"].endswith("leak.yaml")]
        assert [d["code"] for d in refused] == ["E001"] and "outside the project root" in refused[0]["message"]
        assert not [d for d in report["diagnostics"] if d["path"].endswith("ok.yaml") and d["severity"] == "error"]
        assert result.code == 1


def test_spec_symlinked_out_of_the_project_is_not_compiled(world):
    os.symlink(world.parent / "outside" / "secret.yaml", world / "specs" / "leak.yaml")
    result = run_cli("compile", "specs/leak.yaml", cwd=world)
    assert result.code != 0 and "secret/model" not in result.out + result.err
    assert "outside the project root" in result.out + result.err and "Traceback" not in result.err


def test_folder_symlinked_out_of_the_project_is_not_walked(world):
    os.symlink(world.parent / "outside", world / "linked")
    result = run_cli("lint", "--format", "json", "--no-cache", "linked", cwd=world)
    assert "secret/model" not in result.out + result.err and result.code == 1
    assert "outside the project root" in result.out


def _lint_codes(project: Path) -> list[str]:
    result = run_cli("lint", "--format", "json", "specs/s.yaml", cwd=project)
    assert "Traceback" not in result.err, result.err
    return sorted(d["code"] for d in json.loads(result.out)["diagnostics"])


def _retarget(link: Path, target: str) -> None:
    os.unlink(link)
    os.symlink(target, link)


def test_cache_sees_an_include_symlink_retargeted(world):
    inc = world / "specs" / "inc"
    inc.mkdir()
    (inc / "a7.yaml").write_text("1.0\n")
    (inc / "b7.yaml").write_text("9.0\n")
    os.symlink("a7.yaml", inc / "l7.yaml")
    (world / "specs" / "s.yaml").write_text(
        "request:\n  model: openai/gpt-4o\n  messages: [{role: user, content: hi}]\n  temperature: !file inc/l7.yaml\n")
    clean = _lint_codes(world)
    _retarget(inc / "l7.yaml", "b7.yaml")
    fresh = run_cli("lint", "--format", "json", "--no-cache", "specs/s.yaml", cwd=world)
    expected = sorted(d["code"] for d in json.loads(fresh.out)["diagnostics"])
    assert expected != clean  # the retarget changes the answer (temperature 9.0 is out of range)
    assert _lint_codes(world) == expected


def test_cache_sees_an_extends_through_a_folder_symlink_retargeted(world):
    for name, temperature in (("base_a", "1.0"), ("base_b", "9.0")):
        (world / "specs" / name).mkdir()
        (world / "specs" / name / "b.yaml").write_text(f"request: {{temperature: {temperature}}}\n")
    os.symlink("base_a", world / "specs" / "base")
    (world / "specs" / "s.yaml").write_text(
        "extends: base/b.yaml\nrequest: {model: openai/gpt-4o, messages: [{role: user, content: hi}]}\n")
    clean = _lint_codes(world)
    _retarget(world / "specs" / "base", "base_b")
    fresh = run_cli("lint", "--format", "json", "--no-cache", "specs/s.yaml", cwd=world)
    expected = sorted(d["code"] for d in json.loads(fresh.out)["diagnostics"])
    assert expected != clean
    assert _lint_codes(world) == expected


# ------------------------------------------------------------------ -o FILE (issue 15)

OK_SPEC = "request: {model: openai/gpt-4o, messages: [{role: user, content: hi}]}\n"


@pytest.fixture
def out_world(world) -> Path:
    (world / "specs" / "s.yaml").write_text(OK_SPEC)
    return world


def _output_to(project: Path, command: str, target: str):
    args = ("lint", "--no-cache", "specs/s.yaml") if command == "lint" else ("compile", "specs/s.yaml")
    return run_cli(*args, "-o", target, cwd=project)


@pytest.mark.parametrize("command", ["lint", "compile"])
@pytest.mark.parametrize("target, words", [
    ("specs", "is a directory"),
    ("pipe", "not a regular file"),
    ("device", "not a regular file"),
    ("/proc/version", "system folder"),
])
def test_output_refuses_what_is_not_a_regular_file(out_world, command, target, words):
    # Never a real device: a regression run as root would replace it (it did replace /dev/null).
    if target == "pipe":
        os.mkfifo(out_world / "pipe")
    if target == "device":
        try:
            os.mknod(out_world / "device", 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a private /dev/null
        except PermissionError:
            pytest.skip("making a device node needs root")
    result = _output_to(out_world, command, target)
    assert result.code == 2 and words in result.err and "internal error" not in result.err, result.err
    assert os.path.isdir(out_world / "specs")
    if target in ("pipe", "device"):
        assert not (out_world / target).is_file()


@pytest.mark.parametrize("command", ["lint", "compile"])
@pytest.mark.parametrize("target", ["-", "/dev/stdout"])
def test_output_dash_and_dev_stdout_mean_stdout(out_world, command, target):
    result = _output_to(out_world, command, target)
    assert result.code == 0 and result.out.strip(), result.err
    assert not (out_world / "-").exists()


def test_output_writes_through_a_symlink_inside_and_keeps_it(out_world):
    (out_world / "real.json").write_text("old")
    os.chmod(out_world / "real.json", 0o640)
    os.symlink("real.json", out_world / "link.json")
    assert _output_to(out_world, "compile", "link.json").code == 0
    assert os.path.islink(out_world / "link.json") and json.loads((out_world / "real.json").read_text())["model"]
    assert (out_world / "real.json").stat().st_mode & 0o777 == 0o640


def test_output_refuses_a_symlink_leading_out_of_the_project(out_world):
    os.symlink(out_world.parent / "outside" / "report.json", out_world / "out.json")
    result = _output_to(out_world, "compile", "out.json")
    assert result.code == 2 and "outside the project root" in result.err
    assert not (out_world.parent / "outside" / "report.json").exists()


def test_output_refuses_a_hard_linked_file(out_world):
    (out_world / "a.json").write_text("old")
    os.link(out_world / "a.json", out_world / "b.json")
    result = _output_to(out_world, "compile", "a.json")
    assert result.code == 2 and "hard links" in result.err
    assert (out_world / "b.json").read_text() == "old" and (out_world / "a.json").read_text() == "old"


def test_output_to_a_new_path_is_written(out_world):
    assert _output_to(out_world, "lint", "reports/lint.txt").code == 0
    assert (out_world / "reports" / "lint.txt").is_file()


# ------------------------------------------------------------------ --fix keeps links and modes (issue 15)

VIDEO_SPEC = ("request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content:\n"
              "        - type: input_video\n          video_url: {url: \"https://example.com/v.mp4\"}\n")


def test_fix_writes_through_a_symlinked_spec_and_keeps_the_link_and_mode(world):
    real = world / "specs" / "real.yaml"
    real.write_text(VIDEO_SPEC)
    os.chmod(real, 0o600)
    os.symlink("real.yaml", world / "specs" / "link.yaml")
    result = run_cli("lint", "--fix", "specs/link.yaml", cwd=world)
    assert "Fixed 1 finding." in result.out, result.out + result.err
    assert os.path.islink(world / "specs" / "link.yaml")
    assert "type: video_url" in real.read_text() and real.stat().st_mode & 0o777 == 0o600


def test_fix_refuses_a_hard_linked_spec_and_says_why(world):
    first = world / "specs" / "a.yaml"
    first.write_text(VIDEO_SPEC)
    os.link(first, world / "b.yaml")
    result = run_cli("lint", "--fix", "specs/a.yaml", cwd=world)
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert "not fixed" in result.err and "hard links" in result.err
    assert result.err.count("not fixed") == 1 and "Fixed" not in result.out
    assert first.read_text() == VIDEO_SPEC == (world / "b.yaml").read_text()
    assert os.stat(first).st_ino == os.stat(world / "b.yaml").st_ino


# ------------------------------------------------------------------ the cache stays in the project (issue 15)

def test_cache_folder_symlinked_out_of_the_project_is_not_used(out_world):
    target = out_world.parent / "outside" / "cache"
    target.mkdir()
    os.symlink(target, out_world / ".specc_cache")
    for _ in range(2):
        result = run_cli("lint", "specs/s.yaml", cwd=out_world)
        assert result.code == 0 and "cache is off" in result.err and "outside the project root" in result.err
    assert list(target.iterdir()) == []


def test_cache_file_symlinked_out_of_the_project_is_not_used(out_world):
    assert run_cli("lint", "specs/s.yaml", cwd=out_world).code == 0
    (cache_file,) = (out_world / ".specc_cache").glob("lint-*.json")
    outside = out_world.parent / "outside" / "cache.json"
    outside.write_text("{}")
    cache_file.unlink()
    os.symlink(outside, cache_file)
    (out_world / "specs" / "s.yaml").write_text(OK_SPEC + "# changed\n")  # something to write back
    result = run_cli("lint", "specs/s.yaml", cwd=out_world)
    assert result.code == 0 and "cache is off" in result.err
    assert outside.read_text() == "{}"


def test_fifo_in_place_of_the_cache_file_does_not_block(out_world):
    assert run_cli("lint", "specs/s.yaml", cwd=out_world).code == 0
    (cache_file,) = (out_world / ".specc_cache").glob("lint-*.json")
    cache_file.unlink()
    os.mkfifo(cache_file)
    run = subprocess.run([sys.executable, "-m", "specc", "lint", "specs/s.yaml"],
                         cwd=out_world, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert not cache_file.is_file()  # a FIFO is never replaced by the cache's rename either
