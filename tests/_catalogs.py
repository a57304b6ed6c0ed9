"""Model catalogs for tests, built from the small API excerpts in tests/fixtures/catalog/.

The excerpts are trimmed copies of real OpenRouter responses (descriptions and uptime
figures dropped); `fixture_catalog()` parses them the way `specc models pull` does.
"""

from __future__ import annotations

import json
from pathlib import Path

from specc.catalog import Catalog, parse_endpoints_response, parse_models_response

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "catalog"
FETCHED = "2026-09-01"


def fixture_payload(name: str):
    return json.loads((FIXTURES / name).read_text("utf-8"))


def fixture_catalog(fetched: str = FETCHED, endpoints: bool = True) -> Catalog:
    """The fixture model list, with the endpoints of openai/gpt-4o and deepseek/deepseek-v4.1-flash."""
    catalog = Catalog.build(parse_models_response(fixture_payload("models.json")), fetched, source="fixtures")
    if not endpoints:
        return catalog
    pulled = {}
    for path in sorted(FIXTURES.glob("endpoints.*.json")):
        model_id, found = parse_endpoints_response(fixture_payload(path.name))
        pulled[model_id] = found
    return catalog.with_endpoints(pulled)


def write_catalog(folder: Path, catalog: Catalog | None = None, name: str = "specc-catalog.json") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((catalog or fixture_catalog()).to_text(), "utf-8")
    return path
