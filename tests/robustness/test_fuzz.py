"""Fuzzing the whole pipeline: whatever a file holds, specc answers with diagnostics or a body.

Three sources of input: random YAML documents, mutations of the example specs in `specs/`
(copied into a temporary project so their `extends` and `!file` still resolve) and random
bytes. Two properties: the checker never raises and no rule crashes (an `X001` internal-error
diagnostic counts as a failure), and `specc lint` and `specc compile` agree on whether a spec
has errors.

The default run uses hypothesis' default budget (100 examples a test); a deep run:
`python -m pytest tests/robustness/test_fuzz.py --hypothesis-profile deep`.
Every failing example found is kept under `regressions/` and replayed by
`test_regression_fixture`.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
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
    assert result.body is not None or result.has_errors, "no body and no error"
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
    assert "Traceback" not in lint.err + compiled.err
    assert lint.code in (0, 1), (lint.code, lint.err)
    assert compiled.code in (0, 1), (compiled.code, compiled.err)
    report = json.loads(lint.out)
    codes = [d["code"] for d in report["diagnostics"]]
    assert "X001" not in codes, report
    has_errors = report["summary"]["errors"] > 0
    assert has_errors == (compiled.code == 1), (codes, compiled.err)
    if compiled.code == 0:
        json.loads(compiled.out)  # the body is JSON
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
    example = draw(st.sampled_from(EXAMPLES))
    round_trip = YAML(typ="rt")  # keeps the `!file` tags of the examples
    data = round_trip.load(example.read_text())
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
            parent[path[-1]] = draw(WRONG_VALUES)
    stream = io.StringIO()
    try:
        round_trip.dump(data, stream)
    except EmitterError:  # ruamel cannot always write a mutated folded scalar back: not specc's input to test
        reject()
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
