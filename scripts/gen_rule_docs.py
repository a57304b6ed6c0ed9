"""Regenerate the rules table in README.md from the rule docstrings.

    python scripts/gen_rule_docs.py          # rewrite the table between the markers
    python scripts/gen_rule_docs.py --check  # exit 1 when the README is out of date

(`specc rules --markdown` prints the same table.)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from specc.atomic import write_text_atomic  # noqa: E402
from specc.ruledocs import all_infos, markdown_table, replace_readme_table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when the README is out of date")
    parser.add_argument("--readme", default=str(REPO / "README.md"))
    args = parser.parse_args(argv)
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
