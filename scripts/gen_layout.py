"""Regenerate the README's layout table: every module of `specc/`, by pipeline stage, with the
first line of its docstring. The stages are the layers `tests/test_layers.py` holds the imports to.

    python scripts/gen_layout.py          # rewrite the table between the markers
    python scripts/gen_layout.py --check  # exit 1 when the README is out of date
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "specc"
START, END = "<!-- layout:start -->", "<!-- layout:end -->"


def _layers() -> tuple[list[set[str]], list[str]]:
    spec = importlib.util.spec_from_file_location("specc_layers", REPO / "tests" / "test_layers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LAYERS, module.LAYER_NAMES


def _summary(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text("utf-8"))) or ""
    first = doc.split("\n\n", 1)[0]
    return " ".join(first.split()).replace("|", "\\|")


def _modules() -> dict[str, Path]:
    """Top-level names of the package (a module, or a subpackage by its `__init__.py`)."""
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.iterdir()):
        if path.suffix == ".py" and path.stem not in ("__init__", "__main__"):
            found[path.stem] = path
        elif path.is_dir() and (path / "__init__.py").exists():
            found[path.name] = path / "__init__.py"
    return found


def layout_table() -> str:
    layers, names = _layers()
    modules = _modules()
    rows = ["| stage | module | what it is |", "|---|---|---|"]
    for layer, title in zip(layers, names):
        for name in sorted(n for n in layer if n in modules):
            shown = f"`{name}/`" if modules[name].name == "__init__.py" else f"`{name}.py`"
            rows.append(f"| {title} | {shown} | {_summary(modules[name])} |")
    return "\n".join(rows)


def replace_table(readme: str, table: str) -> str:
    start, end = readme.index(START) + len(START), readme.index(END)
    return readme[:start] + "\n" + table + "\n" + readme[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when the README is out of date")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from specc.atomic import write_text_atomic

    readme = REPO / "README.md"
    current = readme.read_text("utf-8")
    updated = replace_table(current, layout_table())
    if updated == current:
        print("README.md's layout table is up to date")
        return 0
    if args.check:
        print("README.md's layout table is out of date: run python scripts/gen_layout.py", file=sys.stderr)
        return 1
    write_text_atomic(readme, updated)
    print("updated the layout table in README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
