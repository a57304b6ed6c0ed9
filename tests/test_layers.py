"""Imports point one way: from the lower stages of the pipeline to the higher ones.

load → model → check (schema + rules) → compile → send/replay → report → cli. A module
may import modules of its own layer or below at import time; reaching up is allowed only
lazily, inside a function (that is how a library module offers a convenience without
depending on what sits above it). Nothing in the library imports the CLI.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "specc"

LAYERS = [
    # 0: plain data and leaf helpers
    {"diagnostics", "errors", "pointers", "suggest", "secrets", "atomic", "yamlfast", "jsonread", "vendor", "about", "coredocs",
     "http", "include_tags", "offline"},
    # 1: reading files and streams
    {"files", "positions", "yamledit", "sse", "cache"},
    # 2: load
    {"media", "load"},
    # 3: model and configuration
    {"expect", "model", "specfile", "config"},
    # 4: check's parts: schema, rules, selection, suppression, compile
    {"schema_errors", "schema", "extensions", "rules", "catalog", "cost", "selection", "suppress", "compile", "matrix",
     "spec_schema"},
    # 5: check, fixes, batches; the client and cassettes
    {"check", "fix", "batch", "send", "cassette", "transport", "replay", "variants"},
    # 6: whole-run library APIs and reports
    {"lint", "dependents", "contract", "runtime", "clients", "report", "ruledocs", "init", "schemadiff", "learn",
     "catalog_fetch"},
    # 7: the command line, the language server and the pytest plugin
    {"cli", "commands", "server", "pytest_plugin", "__main__", "__init__"},
]


# What each layer is, for the README's layout table (scripts/gen_layout.py).
LAYER_NAMES = ["0 data and leaf helpers", "1 reading files and streams", "2 load", "3 the spec and configuration",
               "4 check: schema, rules, compile", "5 check, fix, batch; client and cassettes",
               "6 whole-run APIs and reports", "7 command line, language server, pytest plugin"]


def _layer(module: str) -> int:
    head = module.split(".")[0]
    for index, names in enumerate(LAYERS):
        if head in names:
            return index
    raise AssertionError(f"specc.{module} is in no layer: add it to LAYERS in {__file__}")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1]) if parts[-1] == "__init__" and len(parts) > 1 else ".".join(parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str | None:
    if node.level == 0:
        name = node.module or ""
        return name[len("specc."):] if name.startswith("specc.") else None
    base = module.split(".") if module else []
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join([*base, node.module] if node.module else base)


def _top_level_imports(path: Path) -> list[tuple[int, str]]:
    """specc modules imported when `path` is imported (not inside functions or TYPE_CHECKING)."""
    module = _module_name(path)
    tree = ast.parse(path.read_text("utf-8"))
    found: list[tuple[int, str]] = []

    def visit(statements):
        for node in statements:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, (ast.If, ast.Try)):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(module, path.name == "__init__.py", node)
                if target:
                    found.append((node.lineno, target))
            elif isinstance(node, ast.Import):
                found.extend((node.lineno, a.name[6:]) for a in node.names if a.name.startswith("specc."))

    visit(tree.body)
    return found


def test_every_module_imports_only_its_layer_or_below():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path) or "__init__"
        if path == PACKAGE / "__init__.py":
            module = "__init__"
        own = _layer(module)
        for line, target in _top_level_imports(path):
            if target and _layer(target) > own:
                wrong.append(f"specc/{path.relative_to(PACKAGE)}:{line} imports specc.{target} (layer {_layer(target)} > {own})")
    assert wrong == []


def _all_imports(path: Path) -> set[str]:
    """The specc modules `path` imports anywhere (in functions too; not under TYPE_CHECKING)."""
    module = _module_name(path)
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for statement in child.orelse:
                    visit(statement)
                continue
            if isinstance(child, ast.ImportFrom):
                target = _resolve(module, path.name == "__init__.py", child)
                if target:
                    found.add(target)
                    found.update(f"{target}.{alias.name}" for alias in child.names)
            visit(child)

    visit(ast.parse(path.read_text("utf-8")))
    return found


# Circles allowed, each with the reason it is still there: none.
KNOWN_CIRCLES: list[list[str]] = []


def test_no_import_circles():
    """No two modules import each other, directly or round a longer loop, at any depth."""
    modules = {(_module_name(p) or "__init__"): p for p in PACKAGE.rglob("*.py")}
    graph = {name: {t for t in _all_imports(path) if t in modules and t not in (name, "__init__")}
             for name, path in modules.items() if name != "__init__"}
    circles: list[list[str]] = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def strongly_connected(v: str) -> None:  # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                strongly_connected(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component: list[str] = []
            while not component or component[-1] != v:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                circles.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            strongly_connected(name)
    assert sorted(circles) == KNOWN_CIRCLES


def test_the_library_never_imports_the_command_line():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        if module.split(".")[0] in LAYERS[-1] or path == PACKAGE / "__init__.py":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                target = _resolve(module, path.name == "__init__.py", node) or ""
                if target.split(".")[0] in ("cli", "commands", "pytest_plugin"):
                    wrong.append(f"specc/{path.relative_to(PACKAGE)}:{node.lineno} imports specc.{target}")
    assert wrong == []


def test_the_check_never_loads_the_network_stack():
    """`specc lint` must not import httpx or vcrpy: no module of layer 5 or below does so at import time,
    except the client and the cassette transport themselves (the cassettes and `specc.replay` do not)."""
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        if module in ("send", "transport") or _layer(module or "__init__") > 4:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in tree.body:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] in ("httpx", "vcr", "httpcore") for n in names):
                wrong.append(f"specc/{path.relative_to(PACKAGE)}:{node.lineno}")
    assert wrong == []


def test_the_readme_layout_table_lists_every_module_by_its_stage():
    """A newcomer finds each stage in the README; the table is generated, never kept by hand."""
    import subprocess
    import sys

    assert len(LAYER_NAMES) == len(LAYERS)
    done = subprocess.run([sys.executable, str(PACKAGE.parent / "scripts" / "gen_layout.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
