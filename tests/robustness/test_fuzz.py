"""Fuzzing the whole pipeline: whatever a file holds, specc answers with diagnostics or a body.

Three sources of input: random YAML documents, mutations of the example specs in `specs/`
(copied into a temporary project so their `extends` and `!file` still resolve) and random
bytes. Two properties: the checker never raises and no rule crashes (an `X001` internal-error
diagnostic counts as a failure), and `specc lint` and `specc compile` agree on whether a spec
has errors.

The default run uses hypothesis' default budget (100 examples a test); a deep run, 1,000 examples
a test (about 3 minutes on a loaded two-core machine):
`python -m pytest tests/robustness/test_fuzz.py --hypothesis-profile deep`.
Strategies are pure functions of hypothesis' choices (no file read while drawing, no drawn value
shared between examples), so a failing example replays: `test_strategies_replay_what_they_drew`.
Every failing example found is kept under `regressions/` and replayed by
`test_regression_fixture`.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import math
import os
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis.control import current_build_context
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.emitter import EmitterError

from conftest import SPECS, run_cli

REGRESSIONS = Path(__file__).parent / "regressions"
EXAMPLES = sorted(p for p in SPECS.glob("*.yaml"))
# Read once: a strategy that reads files while drawing depends on outside state (hypothesis calls
# that a flaky strategy definition when it replays an example).
EXAMPLE_TEXTS = [p.read_text() for p in EXAMPLES]
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                     HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A temporary project holding a copy of `specs/` (bases, prompts and schemas included)."""
    root = tmp_path_factory.mktemp("fuzz")
    (root / "pyproject.toml").write_text("[project]\nname = 'fuzz'\n")
    shutil.copytree(SPECS, root / "specs")
    return root


def keep_if_failing(path: Path) -> None:
    """Copy the file hypothesis reports as its minimal failing example into `regressions/`."""
    try:
        final = current_build_context().is_final
    except Exception:  # not inside a hypothesis test (the regression replay)
        return
    if final:
        data = path.read_bytes()
        REGRESSIONS.mkdir(exist_ok=True)
        name = f"found-{hashlib.sha256(data).hexdigest()[:12]}{path.suffix}"
        (REGRESSIONS / name).write_bytes(data)


def check_never_crashes(checker, path: Path) -> None:
    try:
        _check_never_crashes(checker, path)
    except BaseException:
        keep_if_failing(path)
        raise


def _check_never_crashes(checker, path: Path) -> None:
    result = checker.check_path(path, display=path.name)
    internal = [d.message for d in result.diagnostics if d.code == "X001"]
    assert not internal, internal
    assert result.bodies() or result.has_errors, "no body and no error"
    for diagnostic in result.diagnostics:
        assert diagnostic.message and diagnostic.span.line >= 0  # 0: the whole file


def lint_and_compile_agree(path: Path, cwd: Path) -> None:
    try:
        _lint_and_compile_agree(path, cwd)
    except BaseException:
        keep_if_failing(path)
        raise


def _lint_and_compile_agree(path: Path, cwd: Path) -> None:
    lint = run_cli("lint", "--format", "json", "--no-cache", str(path), cwd=cwd)
    compiled = run_cli("compile", str(path), cwd=cwd)
    if compiled.code == 2 and "is a matrix spec" in compiled.err:  # every variant, one JSON line each
        compiled = run_cli("compile", "--all", str(path), cwd=cwd)
    assert "Traceback" not in lint.err + compiled.err
    assert lint.code in (0, 1), (lint.code, lint.err)
    assert compiled.code in (0, 1), (compiled.code, compiled.err)
    report = json.loads(lint.out)
    codes = [d["code"] for d in report["diagnostics"]]
    assert "X001" not in codes, report
    has_errors = report["summary"]["errors"] > 0
    # I001: a placeholder without a value, which lint checks as a string and compile refuses (E004)
    refused = has_errors or "I001" in codes
    assert refused == (compiled.code == 1), (codes, compiled.err)
    if compiled.code == 0:
        for line in compiled.out.splitlines() if compiled.out.startswith('{"variant"') else [compiled.out]:
            json.loads(line)  # the body (each variant's) is JSON
    else:
        assert compiled.err.strip()


# ------------------------------------------------------------------ random YAML documents

ODD_TEXT = st.sampled_from(["", " ", "\t", "\ufeff", "\u202e", "\u0000", "\x85", "\u2028", "é", "😀", "\ud7ff",
                            "{{ x }}", "{{ env.HOME }}", "sk-", "\\", "'", '"', ":", "- ", "#", "&a", "*a", "!file",
                            "request", "model", "messages", "NaN", ".nan", "1e999"])
SCALARS = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.lists(ODD_TEXT, max_size=6).map("".join),
)
KEYS = st.one_of(st.sampled_from(["request", "model", "models", "messages", "role", "content", "stream", "tools",
                                  "provider", "plugins", "reasoning", "extends", "vars", "headers", "expect",
                                  "cassette", "name", "max_tokens", "temperature", "response_format", "type"]),
                 st.text(max_size=12))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                       st.dictionaries(KEYS, inner, max_size=6)), max_leaves=30)


def dump_yaml(value, flow: bool = False) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    yaml.default_flow_style = flow
    stream = io.StringIO()
    yaml.dump(value, stream)
    return stream.getvalue()


@FUZZ
@given(VALUES, st.booleans(), st.booleans())
def test_random_yaml_documents(checker, project, value, wrap_in_request, flow):
    document = {"request": value} if wrap_in_request else value
    path = project / "random.yaml"
    path.write_text(dump_yaml(document, flow), encoding="utf-8", errors="surrogatepass")
    check_never_crashes(checker, path)


# ------------------------------------------------------------------ mutations of the example specs


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _parent(value, path):
    for step in path[:-1]:
        value = value[step]
    return value


def nest(depth: int):
    value: object = "deep"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


WRONG_VALUES = st.one_of(
    SCALARS, VALUES,
    st.sampled_from([10**400, -(10**400), math.nan, math.inf, -math.inf, 2**63, -(2**63) - 1, 1e308, 5e-324,
                     "", "x" * 2000, "\u202e\u0000\ufeff", [], {}, [[[]]]]),
    st.integers(min_value=1, max_value=150).map(nest),
)


@st.composite
def mutated_spec(draw):
    """An example spec with a few data edits (keys deleted, values replaced) and text edits."""
    example = draw(st.sampled_from(EXAMPLE_TEXTS))
    round_trip = YAML(typ="rt")  # keeps the `!file` tags of the examples
    data = round_trip.load(example)
    data = data if isinstance(data, dict) else {}
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        if draw(st.booleans()):
            del parent[path[-1]]
        else:
            # A copy: the sampled constants ([[[]]], {}) are shared between examples, and a later
            # edit of this example must not change what the next one draws.
            parent[path[-1]] = copy.deepcopy(draw(WRONG_VALUES))
    stream = io.StringIO()
    try:
        round_trip.dump(data, stream)
    except (EmitterError, IndexError):  # ruamel cannot always write a mutated scalar back (an IndexError
        reject()                        # on "\a" in its emitter): not specc's input to test
    text = stream.getvalue()
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        edit = draw(st.sampled_from(["bom", "crlf", "tab", "insert", "drop-line", "cut"]))
        lines = text.split("\n")
        where = draw(st.integers(min_value=0, max_value=max(len(lines) - 1, 0)))
        if edit == "bom":
            text = "\ufeff" + text
        elif edit == "crlf":
            text = text.replace("\n", "\r\n")
        elif edit == "tab":
            lines[where] = lines[where].replace("  ", "\t", 1)
            text = "\n".join(lines)
        elif edit == "insert":
            column = draw(st.integers(min_value=0, max_value=len(lines[where])))
            lines[where] = lines[where][:column] + draw(ODD_TEXT) + lines[where][column:]
            text = "\n".join(lines)
        elif edit == "drop-line":
            del lines[where]
            text = "\n".join(lines)
        else:
            text = text[: draw(st.integers(min_value=0, max_value=len(text)))]
    return text


def write_text(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    return path


@FUZZ
@given(mutated_spec())
def test_mutated_example_specs(checker, project, text):
    check_never_crashes(checker, write_text(project / "specs" / "mutated.yaml", text))


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(checker, project, raw):
    path = project / "bytes.yaml"
    path.write_bytes(raw)
    check_never_crashes(checker, path)


@FUZZ
@given(st.one_of(mutated_spec(), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_lint_and_compile_agree(project, text):
    lint_and_compile_agree(write_text(project / "specs" / "agree.yaml", text), project)


# ------------------------------------------------------------------ failing examples found, kept


def regression_fixtures() -> list[Path]:
    return sorted(p for p in REGRESSIONS.iterdir() if p.suffix in (".yaml", ".bin")) if REGRESSIONS.is_dir() else []


@pytest.mark.parametrize("fixture", regression_fixtures(), ids=lambda p: p.name)
def test_regression_fixture(checker, project, fixture):
    """Each input a fuzzer once crashed on, replayed through both properties."""
    path = project / "specs" / f"regression{fixture.suffix}"
    path.write_bytes(fixture.read_bytes())
    check_never_crashes(checker, path)
    lint_and_compile_agree(path, project)


# ------------------------------------------------------------------ the strategies themselves


@pytest.mark.parametrize("strategy", [mutated_spec(), VALUES, WRONG_VALUES], ids=["mutated_spec", "values", "wrong_values"])
def test_strategies_replay_what_they_drew(strategy):
    """Drawing again from the same choices gives the same value, even after other examples were
    drawn in between (a strategy that reads files or shares mutable values does not)."""
    from hypothesis.control import BuildContext
    from hypothesis.errors import UnsatisfiedAssumption
    from hypothesis.internal.conjecture.data import ConjectureData, StopTest

    def draw(data: ConjectureData) -> str | None:
        with BuildContext(data, wrapped_test=draw):
            try:
                return repr(data.draw(strategy))
            except (StopTest, UnsatisfiedAssumption):
                return None

    drawn = []
    for seed in range(150):
        data = ConjectureData(random=random.Random(seed))
        shown = draw(data)
        if shown is not None:
            drawn.append((data.choices, shown))
    assert len(drawn) > 100
    for choices, shown in drawn:
        assert draw(ConjectureData.for_choices(choices)) == shown


# ------------------------------------------------------------------ issue 15: paths, outputs, responses, the cache

@pytest.fixture(scope="module")
def odd_places(project) -> Path:
    """Things a path in a spec may lead to: links out of and inside the project, a FIFO, a folder."""
    places = project / "places"
    places.mkdir(exist_ok=True)
    (places / "inside.txt").write_text("text")
    for name, target in (("out-link", "/etc/hostname"), ("in-link", "inside.txt"), ("dev-link", "/dev/zero"),
                         ("loop-link", "loop-link"), ("up-link", "..")):
        if not (places / name).is_symlink():
            os.symlink(target, places / name)
    if not (places / "fifo").exists():
        os.mkfifo(places / "fifo")
    (places / "folder").mkdir(exist_ok=True)
    return places


PATH_PARTS = st.sampled_from(["places/inside.txt", "places/out-link", "places/in-link", "places/dev-link",
                              "places/loop-link", "places/up-link/x", "places/fifo", "places/folder", "/dev/zero",
                              "/dev/null", "/proc/self/environ", "/etc/passwd", "../../etc/passwd", "\x00", "a\x00b",
                              "x" * 300, "é", "\ud800", "", " ", "./", "http://example.com/x", "~", "$HOME", "*"])
PATHS = st.lists(PATH_PARTS, min_size=1, max_size=3).map("/".join) | PATH_PARTS


@FUZZ
@given(PATHS, st.sampled_from(["extends", "!file", "!data-url", "!base64", "cassette"]))
def test_fuzzed_paths_in_a_spec(checker, project, odd_places, target, where):
    quoted = json.dumps(target)  # a YAML double-quoted string holds any of them, NUL included
    body = "request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: "
    if where == "extends":
        text = f"extends: {quoted}\n{body}hi\n"
    elif where == "cassette":
        text = f"cassette: {quoted}\n{body}hi\n"
    else:
        text = f"{body}{where} {quoted}\n"
    check_never_crashes(checker, write_text(project / "path-spec.yaml", text))


OUTPUTS = st.sampled_from(["out.json", "places/folder", "places/fifo", "places/in-link", "places/out-link",
                           "places/up-link/fuzz-out.json", "new/deeper/out.json", "a\x00b", "x" * 300, "-", ".", ""])


@FUZZ
@given(OUTPUTS)
def test_fuzzed_outputs(project, odd_places, output):
    """`compile -o` writes a regular file inside or a new path, or refuses with exit 2; never a traceback,
    never through a link out of the project. (Devices are not tried here: a test never writes to /dev.)"""
    (project / "specs" / "ok.yaml").write_text("request:\n  model: openai/gpt-4o\n  messages: [{role: user, content: hi}]\n")
    before = Path("/etc/hostname").read_bytes() if Path("/etc/hostname").exists() else b""
    result = run_cli("compile", "specs/ok.yaml", "-o", output, cwd=project)
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    assert result.code in (0, 2), (result.code, result.err)
    assert (Path("/etc/hostname").read_bytes() if Path("/etc/hostname").exists() else b"") == before
    if result.code == 0 and output != "-":
        json.loads((project / output).read_text())


FUZZ_KEY = "sk-or-v1-" + "c0ffee" * 10 + "abcd"


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


RESPONSE_BODIES = st.one_of(
    st.integers(min_value=1, max_value=200_000).map(_nested),
    st.integers(min_value=1, max_value=20_000).map(lambda digits: '{"usage": {"total_tokens": ' + "7" * digits + "}}"),
    VALUES.map(json.dumps),
    st.binary(max_size=200).map(lambda raw: raw.decode("latin-1")),
)


@FUZZ
@given(RESPONSE_BODIES, st.sampled_from([200, 400, 500]), st.booleans(), st.integers(min_value=0, max_value=len(FUZZ_KEY)))
def test_fuzzed_responses(project, loopback, body, status, stream, split):
    """Whatever a server answers (deep JSON, huge numbers, junk, the key cut across two SSE deltas),
    `send` ends in a documented exit with no traceback and no part of the key."""
    from server import Reply, sse_reply

    spec = project / "specs" / "send.yaml"
    spec.write_text("request:\n  model: openai/gpt-4o\n  messages: [{role: user, content: hi}]\n"
                    + ("  stream: true\n" if stream else ""))
    if stream:
        delta = lambda text: {"id": "g", "object": "chat.completion.chunk", "model": "openai/gpt-4o",  # noqa: E731
                              "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}
        loopback.script(sse_reply([delta(FUZZ_KEY[:split]), delta(FUZZ_KEY[split:]), body]))
    else:
        loopback.script(Reply(status, {"Content-Type": "application/json"}, [body.replace("]", f'"{FUZZ_KEY}"]', 1)]))
    result = run_cli("send", "specs/send.yaml", "--base-url", loopback.base_url, "--retries", "0",
                     "--read-timeout", "5", cwd=project, env={"OPENROUTER_API_KEY": FUZZ_KEY})
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    assert result.code in (0, 1, 3), (result.code, result.err)
    for text in (result.out, result.err):
        assert FUZZ_KEY[9:25] not in text and FUZZ_KEY[-16:] not in text


@FUZZ
@given(st.one_of(mutated_spec(), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))), mutated_spec())
def test_fuzzed_cache_answers_as_a_fresh_run(project, first, second):
    """The cached lint of a file, after it was edited, says what a run without the cache says."""
    folder = project / "cached"
    folder.mkdir(exist_ok=True)
    path = write_text(folder / "c.yaml", first)
    # --allow-empty: a mutation may leave no spec at all, which is a usage error (exit 2, empty stdout) otherwise
    run_cli("lint", "--format", "json", "--allow-empty", "cached", cwd=project)
    write_text(path, second)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 3_000_000_000))  # a later edit, surely seen
    cached = run_cli("lint", "--format", "json", "--allow-empty", "cached", cwd=project)
    fresh = run_cli("lint", "--format", "json", "--allow-empty", "--no-cache", "cached", cwd=project)
    assert "Traceback" not in cached.err + fresh.err
    assert (cached.code, json.loads(cached.out)["diagnostics"]) == (fresh.code, json.loads(fresh.out)["diagnostics"])
