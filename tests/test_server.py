"""`specc server` end to end: a real LSP client (pytest-lsp) talks to `python -m specc server`
over stdio. Diagnostics must equal `specc lint`'s; quick fixes, the ignore action, hover,
completion and go-to-definition are exercised as an editor would."""

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")
types = pytest.importorskip("lsprotocol.types")
from pygls.uris import from_fs_path  # noqa: E402
from pytest_lsp import LanguageClient  # noqa: E402

from tests._catalogs import write_catalog  # noqa: E402
from conftest import REPO, run_cli  # noqa: E402

pytestmark = pytest.mark.asyncio

PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS


@pytest_lsp.fixture(config=pytest_lsp.ClientServerConfig(
    server_command=[sys.executable, "-m", "specc", "server", "--debounce", "0"],
    server_env={k: v for k, v in os.environ.items() if k != "OPENROUTER_API_KEY"}))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code"), root_uri=from_fs_path(str(REPO))))
    yield
    await lsp_client.shutdown_session()


async def _published(client, uri: str) -> list:
    """The next diagnostics the server publishes for `uri`."""
    while True:
        params = await client.wait_for_notification(PUBLISH)
        if params.uri == uri:
            return list(params.diagnostics)


async def _open(client, path: Path, text: str | None = None) -> list:
    uri = from_fs_path(str(path))
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="yaml", version=1, text=path.read_text("utf-8") if text is None else text)))
    return await _published(client, uri)


async def _change(client, path: Path, text: str, version: int) -> list:
    uri = from_fs_path(str(path))
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
    return await _published(client, uri)


def _lint(paths: list[Path]) -> dict[str, list[dict]]:
    """`specc lint --format json` on `paths`: real path -> its diagnostics."""
    result = run_cli("lint", "--no-cache", "--format", "json", *map(str, paths), cwd=REPO)
    assert result.code in (0, 1), result.err
    found: dict[str, list[dict]] = {}
    for item in json.loads(result.out)["diagnostics"]:
        found.setdefault(os.path.realpath(REPO / item["path"]), []).append(item)
    return found


def _lsp_view(diagnostics: list) -> list[tuple]:
    out = []
    for d in diagnostics:
        if d.related_information:  # positioned in a base or an include
            where = d.related_information[0].location
            out.append((os.path.realpath(where.uri.removeprefix("file://")), where.range.start.line + 1,
                        where.range.start.character + 1, d.code, d.severity, d.related_information[0].message))
        else:
            out.append(("", d.range.start.line + 1, d.range.start.character + 1, d.code, d.severity, d.message))
    return sorted(out, key=repr)


def _lint_view(items: list[dict], own: str) -> list[tuple]:
    severity = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
                "info": types.DiagnosticSeverity.Information}
    out = []
    for item in items:
        where = os.path.realpath(REPO / item["path"])
        line, column = (item["line"], item["column"]) if item["line"] else (1, 1)
        out.append(("" if where == own else where, line, column, item["code"], severity[item["severity"]], item["message"]))
    return sorted(out, key=repr)


def _spec_groups() -> list[list[Path]]:
    """The example specs, the rule cases and the bad fixtures, each group linted as `specc lint` is run on it."""
    specs = sorted((REPO / "specs").rglob("*.yaml"))
    cases = sorted((REPO / "tests" / "rules" / "cases").rglob("*.yaml"))
    bad = sorted((REPO / "tests" / "fixtures" / "bad").glob("*.yaml"))
    return [group for group in (specs, cases, bad) if group]


async def test_diagnostics_equal_specc_lint_on_every_example_spec_and_rule_case(client):
    compared = with_findings = 0
    for group in _spec_groups():
        for path in group:
            if "request:" not in path.read_text("utf-8"):
                continue  # not a spec (a shared schema): `specc lint specs/` skips it too
            own = os.path.realpath(path)
            linted = _lint([path])  # one run per file: a base's findings also show through the specs extending it
            published = await _open(client, path)
            assert _lsp_view(published) == _lint_view([d for found in linted.values() for d in found], own), path
            compared += 1
            with_findings += bool(published)
    assert compared > 100 and with_findings > 50


async def test_diagnostics_carry_code_severity_and_a_link_to_the_rule_page(client, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    spec = tmp_path / "spec.yaml"
    spec.write_text("request:\n  model: openai/gpt-4o\n  temprature: 0.7\n  messages:\n    - role: user\n      content: hi\n")
    (diagnostic,) = [d for d in await _open(client, spec) if d.code == "S102"]
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.range == types.Range(types.Position(2, 2), types.Position(2, 12))
    assert diagnostic.code_description.href.startswith("https://github.com/specc/specc/blob/")
    assert "did you mean 'temperature'" in diagnostic.message


async def test_a_quick_fix_applies_and_the_change_clears_the_diagnostic(client, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    spec = tmp_path / "spec.yaml"
    text = ("request:\n  model: openai/gpt-4o\n  route: fallback  # old style\n  temprature: 0.7  # warm\n"
            "  messages:\n    - role: user\n      content: hi\n")
    spec.write_text(text)
    uri = from_fs_path(str(spec))
    diagnostics = await _open(client, spec)
    route = next(d for d in diagnostics if d.code == "OR103")
    typo = next(d for d in diagnostics if d.code == "S102")

    async def actions_for(diagnostic):
        return await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic])))

    fix = next(a for a in await actions_for(route) if a.title.startswith("OR103") and "ignore" not in a.title)
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
    (edit,) = fix.edit.changes[uri]
    assert "route" not in edit.new_text and "temprature: 0.7  # warm" in edit.new_text
    after = await _change(client, spec, edit.new_text, 2)
    assert "OR103" not in {d.code for d in after} and "S102" in {d.code for d in after}

    typo = next(d for d in after if d.code == "S102")
    actions = await actions_for(typo)
    assert not [a for a in actions if a.title.startswith("S102") and "ignore" not in a.title]  # S102 has no fix
    ignore = next(a for a in actions if "specc: ignore[S102]" in a.title)
    (ignore_edit,) = ignore.edit.changes[uri]
    assert "temprature: 0.7  # specc: ignore[S102] # warm" in ignore_edit.new_text
    silenced = await _change(client, spec, ignore_edit.new_text, 3)
    assert "S102" not in {d.code for d in silenced}


async def test_a_spec_is_rechecked_when_its_base_changes_in_the_editor(client, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    base = tmp_path / "base.yaml"
    base.write_text("request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: hi\n")
    spec = tmp_path / "spec.yaml"
    spec.write_text("extends: base.yaml\nrequest:\n  temperature: 0.2\n")
    assert await _open(client, spec) == []
    spec_uri = from_fs_path(str(spec))
    await _open(client, base)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=from_fs_path(str(base)), version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(
            text="request:\n  model: openai/gpt-4o\n  top_k: many\n  messages:\n    - role: user\n      content: hi\n")]))
    # the unsaved base, through the spec: its publication may come in the same read as the
    # base's own, so watch what the client holds rather than wait for one notification
    for _ in range(1000):  # a guard against a hang, not a timing assertion
        republished = list(client.diagnostics.get(spec_uri, []))
        if republished:
            break
        await asyncio.sleep(0.01)
    assert [d.code for d in republished] == ["S101"]
    assert republished[0].related_information[0].location.uri == from_fs_path(str(base))


async def test_hover_shows_catalog_facts_schema_facts_and_the_rule(client, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    write_catalog(tmp_path)
    spec = tmp_path / "spec.yaml"
    spec.write_text("request:\n  model: openai/gpt-4o\n  provider:\n    sort: price\n  temprature: 1\n"
                    "  messages:\n    - role: user\n      content: hi\n")
    await _open(client, spec)
    uri = from_fs_path(str(spec))

    async def hover(line: int, character: int) -> str:
        found = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character)))
        return found.contents.value if found else ""

    model = await hover(1, 12)
    assert "openai/gpt-4o" in model and "context length: 128,000 tokens" in model and "price: prompt $" in model
    sort = await hover(3, 5)
    assert "request.provider.sort" in sort and "`throughput`" in sort
    assert "S102 unknown-request-field" in await hover(4, 4)


async def test_completion_offers_fields_enum_values_and_model_ids(client, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    write_catalog(tmp_path)
    spec = tmp_path / "spec.yaml"
    text = "request:\n  model: openai/gpt-4\n  provider:\n    sort: \n  tempe\n"
    spec.write_text(text)
    await _open(client, spec)
    uri = from_fs_path(str(spec))

    async def labels(line: int, character: int) -> set[str]:
        found = await client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character)))
        return {item.label for item in found.items}

    assert {"temperature", "top_p", "messages"} <= await labels(4, 7)
    assert "model" not in await labels(4, 7)  # already there
    assert await labels(3, 10) == {"price", "throughput", "latency", "exacto"}
    models = await labels(1, 20)
    assert "openai/gpt-4o" in models and "openai/gpt-4o:nitro" not in models
    assert "openai/gpt-4o:nitro" in await labels_after(client, spec, "request:\n  model: openai/gpt-4o\n", 1, 22)


async def labels_after(client, spec: Path, text: str, line: int, character: int) -> set[str]:
    uri = from_fs_path(str(spec))
    await _change(client, spec, text, 7)
    found = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character)))
    return {item.label for item in found.items}


async def test_go_to_definition_on_extends_and_file_tags(client, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "default.yaml").write_text("request:\n  model: openai/gpt-4o\n")
    (tmp_path / "prompt.md").write_text("Be brief.")
    spec = tmp_path / "spec.yaml"
    spec.write_text("extends: base/default.yaml\nrequest:\n  messages:\n    - role: system\n      content: !file prompt.md\n")
    await _open(client, spec)
    uri = from_fs_path(str(spec))

    async def target(line: int, character: int):
        return await client.text_document_definition_async(types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character)))

    assert (await target(0, 12)).uri == from_fs_path(str((tmp_path / "base" / "default.yaml").resolve()))
    assert (await target(4, 22)).uri == from_fs_path(str((tmp_path / "prompt.md").resolve()))
    assert await target(2, 4) is None


async def test_the_latency_benchmark_runs():
    import subprocess

    done = subprocess.run([sys.executable, str(REPO / "bench" / "lsp_latency.py"), "--changes", "2"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "after a change: median" in done.stdout and "10,0" in done.stdout
