"""Coverage-guided fuzzing of the spec loader with atheris (libFuzzer for Python).

    pip install atheris            # not a dependency of specc; CPython 3.8-3.12 on Linux/macOS
    python fuzz/fuzz_loader.py fuzz/corpus -max_total_time=300

The corpus folder is seeded from `specs/` on start (existing entries are kept). Each input is
written as a spec inside a throw-away project and loaded; any exception that escapes
`load_document`, and any internal-error diagnostic from the whole checker, is a crash.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from specc.check import Checker
    from specc.load import load_document
    from specc.rules import all_rules
    from specc.schema import SchemaSet

REPO = Path(__file__).resolve().parent.parent
PROJECT = Path(tempfile.mkdtemp(prefix="specc-fuzz-"))
(PROJECT / "pyproject.toml").write_text("[project]\nname = 'fuzz'\n")
shutil.copytree(REPO / "specs", PROJECT / "specs")  # so extends / !file in inputs can resolve
SPEC = PROJECT / "specs" / "fuzzed.yaml"
CHECKER = Checker(schemas=SchemaSet.load(), rules=[rule() for rule in all_rules()])


def seed_corpus(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for spec in sorted((REPO / "specs").rglob("*.yaml")):
        target = folder / f"seed-{spec.stem}"
        if not target.exists():
            target.write_bytes(spec.read_bytes())


def test_one_input(data: bytes) -> None:
    SPEC.write_bytes(data)
    load_document(SPEC, root=PROJECT)
    result = CHECKER.check_path(SPEC, display="fuzzed.yaml", root=PROJECT)
    internal = [d.message for d in result.diagnostics if d.code == "X001"]
    if internal:
        raise AssertionError(f"internal error diagnostic: {internal}")


def main() -> None:
    corpus = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    if corpus:
        seed_corpus(Path(corpus[0]))
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
