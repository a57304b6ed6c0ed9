"""Regenerate the rules table in README.md from the rule docstrings, and the rule manifest.

    python scripts/gen_rule_docs.py          # rewrite the table between the markers, and specc/rules/_manifest.py
    python scripts/gen_rule_docs.py --check  # exit 1 when either is out of date

(`specc rules --markdown` prints the same table. The manifest tells a lint run what each rule
is without importing it: see `specc.rules.registry`.)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from specc.atomic import write_text_atomic  # noqa: E402
from specc.ruledocs import all_infos, markdown_table, replace_readme_table  # noqa: E402
from specc.rules import manifest_source  # noqa: E402

MANIFEST = REPO / "specc" / "rules" / "_manifest.py"


def update_manifest(check: bool) -> int:
    """Write (or, with `check`, compare) specc/rules/_manifest.py; 1 when it was out of date and checked."""
    current = MANIFEST.read_text("utf-8") if MANIFEST.exists() else ""
    updated = manifest_source()
    if updated == current:
        return 0
    if check:
        print(f"{MANIFEST.name} is out of date: run python scripts/gen_rule_docs.py", file=sys.stderr)
        return 1
    write_text_atomic(MANIFEST, updated)
    print(f"updated {MANIFEST.relative_to(REPO)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when the README is out of date")
    parser.add_argument("--readme", default=str(REPO / "README.md"))
    args = parser.parse_args(argv)
    if update_manifest(args.check):
        return 1
    readme = Path(args.readme)
    current = readme.read_text("utf-8")
    updated = replace_readme_table(current, markdown_table(all_infos()))
    if updated == current:
        print(f"{readme.name} is up to date")
        return 0
    if args.check:
        print(f"{readme.name} is out of date: run python scripts/gen_rule_docs.py", file=sys.stderr)
        return 1
    write_text_atomic(readme, updated)
    print(f"updated the rules table in {readme.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
