"""The protocol layer of `specc server`: pygls handlers over `specc.server.analysis`.

Diagnostics are published on open and save at once, and on change after a short debounce
(a burst of keystrokes is checked once); specs whose `extends` base or `!file` include is
being edited are re-checked with it. Positions are converted between specc's 1-based
character columns and the protocol's 0-based UTF-16 ones.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..diagnostics import Diagnostic, Severity
from . import analysis

SEVERITIES = {Severity.ERROR: types.DiagnosticSeverity.Error, Severity.WARNING: types.DiagnosticSeverity.Warning,
              Severity.INFO: types.DiagnosticSeverity.Information}
DEFAULT_DEBOUNCE_MS = 15


class SpeccServer(LanguageServer):
    """The server's state: the projects (config, checker, catalog) and each open spec's last check."""

    def __init__(self, debounce_ms: int = DEFAULT_DEBOUNCE_MS) -> None:
        super().__init__("specc", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.debounce = debounce_ms / 1000
        self.projects = analysis.Projects()
        self.checked: dict[str, analysis.Checked] = {}  # uri -> last check
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self._indexes: dict[int, analysis.SchemaIndex] = {}

    # -------------------------------------------------------------- checking

    def buffers(self) -> dict[str, str]:
        """Real path -> text of every open document (what the editor shows, saved or not)."""
        out = {}
        for uri, document in self.workspace.text_documents.items():
            path = to_fs_path(uri)
            if path:
                out[os.path.realpath(path)] = document.source
        return out

    def check(self, uri: str) -> None:
        """Check the open document at `uri` and publish its diagnostics."""
        path = to_fs_path(uri)
        if not path:
            return
        document = self.workspace.get_text_document(uri)
        checked = analysis.check_buffer(self.projects, Path(path), document.source, self.buffers())
        self.checked[uri] = checked
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=self.to_lsp(checked, document.source), version=document.version))

    def check_dependents(self, changed_uri: str) -> None:
        """Re-check the open specs that read the file at `changed_uri` (their base or include)."""
        path = to_fs_path(changed_uri)
        if not path:
            return
        real = os.path.realpath(path)
        for uri, checked in list(self.checked.items()):
            if uri != changed_uri and real in checked.files and uri in self.workspace.text_documents:
                self.check(uri)

    def schedule(self, uri: str) -> None:
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()

        def run() -> None:
            self.pending.pop(uri, None)
            if uri in self.workspace.text_documents:
                self.check(uri)
                self.check_dependents(uri)

        self.pending[uri] = asyncio.get_running_loop().call_later(self.debounce, run)

    def to_lsp(self, checked: analysis.Checked, text: str) -> list[types.Diagnostic]:
        if checked.error:
            return [types.Diagnostic(range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                                     message=checked.error, severity=types.DiagnosticSeverity.Error, source="specc")]
        own = os.path.realpath(checked.path)
        lines = text.replace("\r\n", "\n").split("\n")
        out = []
        for diagnostic in checked.diagnostics:
            where = analysis.diagnostic_file(diagnostic, checked.path)
            if where == own:
                out.append(self.lsp_diagnostic(diagnostic, lsp_range(lines, diagnostic)))
            else:  # in a base or an include: shown at the top of the spec, pointing at the real place
                out.append(self.lsp_diagnostic(diagnostic, types.Range(types.Position(0, 0), types.Position(0, 0)),
                                               elsewhere=where))
        return out

    def lsp_diagnostic(self, diagnostic: Diagnostic, where: types.Range, elsewhere: str | None = None) -> types.Diagnostic:
        from ..about import rule_page_url

        try:
            description = types.CodeDescription(href=rule_page_url(diagnostic.code))
        except Exception:  # no repository URL in a broken install: no link, the diagnostic still shows
            description = None
        message = diagnostic.message
        related = None
        if elsewhere is not None:
            span = diagnostic.span
            message = f"{span.path}:{span.line}:{span.column}: {message}"
            related = [types.DiagnosticRelatedInformation(
                location=types.Location(uri=from_fs_path(elsewhere) or elsewhere,
                                        range=types.Range(types.Position(max(span.line - 1, 0), max(span.column - 1, 0)),
                                                          types.Position(max(span.line - 1, 0), max(span.column - 1, 0)))),
                message=diagnostic.message)]
        return types.Diagnostic(range=where, message=message, severity=SEVERITIES[diagnostic.severity],
                                code=diagnostic.code, code_description=description, source=f"specc {diagnostic.rule}",
                                related_information=related, data={"rule": diagnostic.rule})

    def index(self, checked: analysis.Checked | None, path: Path) -> analysis.SchemaIndex | None:
        project = self.projects.for_path(path)
        if project.checker is None:
            return None
        key = id(project.checker.schemas)
        if key not in self._indexes:
            self._indexes[key] = analysis.SchemaIndex(project.checker.schemas)
        return self._indexes[key]


def utf16_column(line: str, column: int) -> int:
    """The protocol's 0-based UTF-16 column of specc's 1-based character column on `line`."""
    prefix = line[:max(column - 1, 0)]
    return len(prefix.encode("utf-16-le")) // 2


def char_column(line: str, character: int) -> int:
    """specc's 1-based character column of the protocol's 0-based UTF-16 column on `line`."""
    units = 0
    for index, char in enumerate(line):
        if units >= character:
            return index + 1
        units += 2 if ord(char) > 0xFFFF else 1
    return len(line) + 1


def lsp_range(lines: list[str], diagnostic: Diagnostic) -> types.Range:
    span = diagnostic.span
    if span.line == 0:  # the whole file: its first line
        return types.Range(types.Position(0, 0), types.Position(0, len((lines[0] if lines else "").encode("utf-16-le")) // 2))
    start_line = min(span.line, len(lines)) - 1
    end_line = min(span.end_line or span.line, len(lines)) - 1
    end_column = span.end_column if span.end_line else span.column
    start = types.Position(start_line, utf16_column(lines[start_line], span.column))
    end = types.Position(end_line, utf16_column(lines[end_line], end_column))
    return types.Range(start, end)


def _position(server: SpeccServer, uri: str, position: types.Position) -> tuple[Path, str, int, int] | None:
    path = to_fs_path(uri)
    if not path:
        return None
    text = server.workspace.get_text_document(uri).source
    lines = text.replace("\r\n", "\n").split("\n")
    line_text = lines[position.line] if position.line < len(lines) else ""
    return Path(path), text, position.line + 1, char_column(line_text, position.character)


def _in_range(diagnostic: Diagnostic, lines: list[str], wanted: types.Range) -> bool:
    got = lsp_range(lines, diagnostic)
    return (got.start.line, got.start.character) <= (wanted.end.line, wanted.end.character) and \
        (wanted.start.line, wanted.start.character) <= (got.end.line, got.end.character)


def create_server(debounce_ms: int = DEFAULT_DEBOUNCE_MS) -> SpeccServer:
    """The language server with every feature registered."""
    server = SpeccServer(debounce_ms)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SpeccServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.check(params.text_document.uri)
        ls.check_dependents(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: SpeccServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: SpeccServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.check(params.text_document.uri)
        ls.check_dependents(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: SpeccServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.checked.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))
        ls.check_dependents(params.text_document.uri)  # they fall back to the saved file

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: SpeccServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        checked = ls.checked.get(uri)
        document = ls.workspace.get_text_document(uri)
        if checked is None or checked.text != document.source:
            ls.check(uri)
            checked = ls.checked.get(uri)
        if checked is None:
            return []
        lines = checked.text.replace("\r\n", "\n").split("\n")
        own = os.path.realpath(checked.path)
        wanted = [d for d in checked.diagnostics
                  if analysis.diagnostic_file(d, checked.path) == own and _in_range(d, lines, params.range)]
        actions = analysis.fix_actions(checked, wanted) + analysis.ignore_actions(ls.projects, checked, wanted, ls.buffers())
        whole = types.Range(types.Position(0, 0), types.Position(len(lines), 0))
        out = []
        for action in actions:
            edit = types.WorkspaceEdit(changes={uri: [types.TextEdit(range=whole, new_text=action.new_text)]})
            out.append(types.CodeAction(title=action.title, kind=types.CodeActionKind.QuickFix, edit=edit,
                                        diagnostics=[ls.lsp_diagnostic(action.diagnostic, lsp_range(lines, action.diagnostic))],
                                        is_preferred=action.diagnostic.fix is not None and "ignore" not in action.title))
        return out

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: SpeccServer, params: types.HoverParams) -> types.Hover | None:
        found = _position(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        path, text, line, column = found
        index = ls.index(ls.checked.get(params.text_document.uri), path)
        if index is None:
            return None
        checked = ls.checked.get(params.text_document.uri)
        own = os.path.realpath(path)
        diagnostics = [d for d in (checked.diagnostics if checked else []) if analysis.diagnostic_file(d, path) == own]
        value = analysis.hover_text(index, ls.projects.for_path(path).catalog, text, line, column, diagnostics)
        if value is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=value))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[":", " ", "/", "-"]))
    def completion(ls: SpeccServer, params: types.CompletionParams) -> types.CompletionList:
        found = _position(ls, params.text_document.uri, params.position)
        items: list[types.CompletionItem] = []
        if found is not None:
            path, text, line, column = found
            index = ls.index(None, path)
            if index is not None:
                kinds = {"field": types.CompletionItemKind.Field, "value": types.CompletionItemKind.EnumMember,
                         "model": types.CompletionItemKind.Value, "file": types.CompletionItemKind.File}
                for item in analysis.completions(index, ls.projects.for_path(path).catalog, path,
                                                 analysis.project_root(path), text, line, column):
                    items.append(types.CompletionItem(label=item.label, kind=kinds[item.kind], detail=item.detail or None,
                                                      insert_text=item.insert))
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: SpeccServer, params: types.DefinitionParams) -> types.Location | None:
        found = _position(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        path, text, line, column = found
        target = analysis.definition_target(path, analysis.project_root(path), text, line, column)
        if target is None:
            return None
        origin = types.Position(0, 0)
        return types.Location(uri=from_fs_path(str(target)) or str(target), range=types.Range(origin, origin))

    return server


def serve(debounce_ms: int = DEFAULT_DEBOUNCE_MS) -> None:
    """Run the language server on stdin/stdout until the client exits."""
    create_server(debounce_ms).start_io()
