"""specc's pytest plugin (entry point `pytest11`): `pytest specs/` runs each spec as a test.

Each YAML file with a top-level `request:` key, under a path named on the command line
(or under a folder listed in the `specc_paths` ini option), becomes one test item that
runs the checks of `specc test` (drift, response contract, expect) offline. A spec
without a cassette is skipped, or recorded live with `--specc-record`.

It registers no fixtures and no markers, and collects no other YAML (vcrpy cassettes
have no top-level `request:`), so it sits beside pytest-recording and vcrpy users' own
fixtures without clashing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

_STATE = pytest.StashKey[dict]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("specc", "specc contract tests of OpenRouter request specs")
    group.addoption("--specc-record", action="store_true", default=False,
                    help="record a cassette (live, with OPENROUTER_API_KEY) for each collected spec that has none")
    parser.addini("specc_paths", type="paths", default=[],
                  help="folders whose specs are collected even when not named on the command line")


def _roots(config: pytest.Config) -> list[Path]:
    """The folders and files whose specs are collected: command-line paths (not testpaths) and `specc_paths`."""
    state = config.stash.setdefault(_STATE, {})
    if "roots" not in state:
        roots = [Path(p).resolve() for p in config.getini("specc_paths")]
        if config.args_source == pytest.Config.ArgsSource.ARGS:
            base = Path(config.invocation_params.dir)
            roots += [(base / arg.split("::")[0]).resolve() for arg in config.args]
        state["roots"] = roots
    return state["roots"]


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix not in (".yaml", ".yml", ".json"):  # as `specc lint` finds specs in folders
        return None
    resolved = file_path.resolve()
    if not any(resolved == root or root in resolved.parents for root in _roots(parent.config)):
        return None
    from .load import declares_abstract, is_spec_text, spec_head

    head = spec_head(file_path)  # None: unreadable (a FIFO is not waited on): not collected
    if head is None or not is_spec_text(head) or declares_abstract(head):  # a base only is not a test
        return None
    return SpecFileCollector.from_parent(parent, path=file_path)


class SpecFailed(Exception):
    """A spec's checks failed; carries the outcome for the report."""

    def __init__(self, outcome: Any):
        super().__init__(outcome.path)
        self.outcome = outcome


class SpecFileCollector(pytest.File):
    """A spec file: one item, or one per variant of a matrix spec (`x.yaml[model=openai/gpt-4o]`,
    which `-k` selects and `-n` spreads)."""

    def collect(self):
        from .load import declares_matrix, spec_head

        head = spec_head(self.path)
        if head is not None and declares_matrix(head):
            shown = os.path.relpath(self.path, self.config.invocation_params.dir)
            result = _checker(self.config).check_path(self.path, display=shown)
            if result.variants:
                for variant in result.variants:
                    item = SpecItem.from_parent(self, name=f"{self.path.name}[{variant.variant.label}]")
                    item.variant_label = variant.variant.label
                    yield item
                return
        yield SpecItem.from_parent(self, name=self.path.name)


class SpecItem(pytest.Item):
    """One spec: checked, compiled, then compared with its cassette."""

    # A spec takes no fixtures. Some plugins' hooks read `item.funcargs` on every item and break
    # on items without it (pytest-lsp 1.0's runtest wrapper returns without yielding), so a
    # repository with such a plugin installed would see every spec fail.
    funcargs: dict[str, Any] = {}
    variant_label: str | None = None  # of a matrix spec: the variant this item checks

    def runtest(self) -> None:
        from .contract import FAILED, SKIPPED, cassette_for, check_spec
        from .cassette import CassetteError
        from .offline import offline

        checker = _checker(self.config)
        shown = os.path.relpath(self.path, self.config.invocation_params.dir)
        result = checker.check_path(self.path, display=shown)
        variant = None
        if self.variant_label is not None:
            variant = next((v for v in result.variants if v.variant.label == self.variant_label), None)
            if variant is None and not result.has_errors:
                pytest.fail(f"{shown}: the matrix no longer has the variant [{self.variant_label}]", pytrace=False)
        try:
            path = cassette_for(result, self.path, variant) if result.spec is not None else None
        except CassetteError as exc:
            pytest.fail(str(exc), pytrace=False)
        body = variant.body if variant is not None else result.body
        if self.config.getoption("specc_record") and path is not None and not result.has_errors and body is not None:
            if not path.exists():
                _record(result, body, path, checker.config)
        with offline():
            outcome = check_spec(result, checker.schemas, cassette_path=path, variant=variant)
        if outcome.status == SKIPPED:
            pytest.skip(outcome.checks[0].message)
        if outcome.status == FAILED:
            raise SpecFailed(outcome)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, SpecFailed):
            return failure_text(excinfo.value.outcome)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"spec {self.name}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A skipped spec is reported at the spec (`specs/x.yaml:1`), not at the line of this module
    that skipped it: pytest places a skip where the exception was raised."""
    report = yield
    if isinstance(item, SpecItem) and report.skipped and isinstance(report.longrepr, tuple):
        report.longrepr = (str(item.path), 1, report.longrepr[2])
    return report


def failure_text(outcome: Any) -> str:
    """Each failed check with the spec's position (path:line:col) and its diff or message."""
    from .secrets import scrub

    lines = []
    for check in outcome.checks:
        if check.ok:
            continue
        span = check.span
        where = f"{span.path}:{span.line}:{span.column}" if span is not None and span.line else outcome.path
        first, *rest = check.message.splitlines() or [""]
        lines.append(f"{where}: {check.name}: {first}")
        lines.extend("    " + line for line in rest)
    return scrub("\n".join(lines))


def _checker(config: pytest.Config) -> Any:
    """One checker (schemas and rules built once) for the whole session."""
    state = config.stash.setdefault(_STATE, {})
    if "checker" not in state:
        from .config import find_config_file, load_config
        from .lint import build_checker

        start = Path(config.invocation_params.dir)
        state["checker"] = build_checker(load_config(find_config_file(start)))
    return state["checker"]


def _record(result: Any, body: dict[str, Any], path: Path, config: Any) -> None:
    """Send the spec live through the recording transport and write its cassette (`--specc-record`)."""
    from .transport import finish_recording, open_transport
    from .secrets import API_KEY_ENV, scrub
    from .send import BASE_URL_ENV, DEFAULT_BASE_URL, SendOptions, make_client, prepare_request, send

    key = os.environ.get(API_KEY_ENV, "").strip()
    if not key:
        pytest.fail(f"--specc-record needs {API_KEY_ENV} to record {path}", pytrace=False)
    options = SendOptions(base_url=os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL)
    request = prepare_request(body, key, options.base_url, result.spec, config)
    transport = open_transport(path, "once")
    outcome = send(request, options, client=make_client(options, transport))
    note = finish_recording(transport, path, "once", outcome)
    if not path.exists():
        pytest.fail(scrub(f"could not record {path}: {note}"
                          + (f": {outcome.failure.message}" if outcome.failure else "")), pytrace=False)
