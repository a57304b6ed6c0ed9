"""Every recorded exchange meets the bar its status sets (issue 14), measured as scripts/corpus.py measures.

- 200, 401, 403, 429: the request lints with no error; a 200 compiles back identical.
- 400: an error rule explains it, or tests/corpus/unexplained_refusals.txt lists it with why.
- 404 "No endpoints found": with the catalog snapshot an error explains it, or it is listed likewise.
"""

from __future__ import annotations


def test_every_pair_meets_its_status_bar(corpus, outcomes):
    problems = corpus.verdict_problems(outcomes, corpus.unexplained_listed())
    assert problems == [], "\n".join(problems[:20])


def test_every_listed_refusal_says_why(corpus):
    listed = corpus.unexplained_listed()
    assert listed, "the list exists (an empty one would make the refusal bar vacuous to read)"
    assert all(why for why in listed.values()), [name for name, why in listed.items() if not why]


def test_every_status_category_is_present(outcomes):
    """The bars above are only as good as the corpus: each kind of pair must be there."""
    categories = {o.pair.category for o in outcomes}
    assert {"accepted", "refused", "no-endpoint"} <= categories


def test_error_rules_stay_silent_on_requests_the_api_accepted(corpus, outcomes):
    """Severity from evidence: no error-severity rule that reads the request alone fires on an accepted request."""
    from specc.rules import all_rules

    request_only_errors = {r.code for r in all_rules() if r.severity.value == "error" and not r.needs_catalog}
    hits = corpus.rule_hits(outcomes)
    assert {code: hits[code]["accepted"] for code in request_only_errors if hits[code]["accepted"]} == {}


def test_the_calibration_table_is_up_to_date(corpus, outcomes):
    committed = corpus.CALIBRATION.read_text("utf-8") if corpus.CALIBRATION.is_file() else ""
    assert committed == corpus.calibration_table(outcomes), (
        "docs/calibration.md is out of date: run python scripts/corpus.py --calibration")


def test_the_bars_catch_what_they_are_for():
    """On made-up outcomes: each bar fails when it should, so the corpus test above cannot pass vacuously."""
    from tests.corpus.conftest import corpus_script

    corpus = corpus_script()

    def outcome(status: int, body: str = "{}", errors=(), catalog_errors=(), compiled_back: bool = True):
        pair = corpus.Pair(f"pair-{status}-{len(errors)}{len(catalog_errors)}", {}, status, False, "", body)
        return corpus.Outcome(pair, list(errors), list(catalog_errors), compiled_back=compiled_back)

    no_endpoint = '{"error": {"message": "No endpoints found that support tool use."}}'
    assert corpus.verdict_problems([outcome(200), outcome(429), outcome(400, errors=["OR716 x"]),
                                    outcome(404, no_endpoint, catalog_errors=["OR715 x"])], {}) == []
    assert corpus.verdict_problems([outcome(403, errors=["OR413 x"])], {})  # an error on an accepted request
    assert corpus.verdict_problems([outcome(200, compiled_back=False)], {})
    assert corpus.verdict_problems([outcome(400)], {})  # unexplained and unlisted
    assert corpus.verdict_problems([outcome(400)], {"pair-400-00": "why"}) == []
    assert corpus.verdict_problems([outcome(400, errors=["OR716 x"])], {"pair-400-10": "why"})  # listed, explained
    assert corpus.verdict_problems([outcome(404, no_endpoint)], {})
    assert corpus.verdict_problems([], {"gone": "why"})  # listed, not in the corpus
    # A provider answered the 400, so the model existed: unknown-model (catalog drift) explains nothing there.
    assert corpus.verdict_problems([outcome(400, catalog_errors=["OR117 x"])], {})
