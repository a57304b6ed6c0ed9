"""Matrix expansion (specc/matrix.py): GitHub Actions' rules, stable ids and slugs, and E010 for
what gives no usable variants."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specc.matrix import CompiledVariant, apply, expand, select, variant_cassette


def _labels(matrix, **kwargs) -> list[str]:
    variants, problems = expand(matrix, **kwargs)
    assert problems == [], problems
    return [v.label for v in variants]


def test_the_variants_are_the_cross_product_in_order():
    assert _labels({"request.model": ["a/x", "b/y"], "effort": ["low", "high"]}) == [
        "model=a/x,effort=low", "model=a/x,effort=high", "model=b/y,effort=low", "model=b/y,effort=high"]


def test_exclude_drops_what_matches_every_key_it_names():
    matrix = {"request.model": ["a/x", "b/y"], "effort": ["low", "high"],
              "exclude": [{"request.model": "b/y", "effort": "high"}, {"effort": "nope"}]}
    assert _labels(matrix) == ["model=a/x,effort=low", "model=a/x,effort=high", "model=b/y,effort=low"]


def test_include_extends_the_combinations_it_matches_or_adds_its_own():
    matrix = {"request.model": ["a/x", "b/y"],
              "include": [{"request.model": "a/x", "request.stream": True},   # extends a/x
                          {"request.model": "c/z"},                           # matches none: added
                          {"request.temperature": 0.2}]}                      # no axis key: extends all
    assert _labels(matrix) == ["model=a/x,stream=true,temperature=0.2", "model=b/y,temperature=0.2",
                               "model=c/z,temperature=0.2"]


def test_include_never_overwrites_an_axis_value():
    matrix = {"effort": ["low", "high"], "include": [{"effort": "low", "tone": "terse"}]}
    assert _labels(matrix) == ["effort=low,tone=terse", "effort=high"]


def test_a_path_shows_its_last_segment_unless_two_axes_share_it():
    matrix = {"request.provider.sort": ["price"], "request.reasoning.effort": ["low"], "request.sort": ["x"]}
    assert _labels(matrix) == ["provider.sort=price,effort=low,sort=x"]


def test_ids_and_slugs_are_stable_and_unique():
    variants, _ = expand({"request.model": ["openai/gpt-5.2", "openai-gpt-5.2"], "effort": ["low"]})
    assert variants[0].id("summarize") == "summarize[model=openai/gpt-5.2,effort=low]"
    first, second = (v.slug for v in variants)
    assert first != second and first.startswith("openai-gpt-5.2--low-") and second.startswith("openai-gpt-5.2--low-")
    again, _ = expand({"request.model": ["openai/gpt-5.2", "openai-gpt-5.2"], "effort": ["low"]})
    assert [v.slug for v in again] == [first, second]
    long, _ = expand({"request.model": ["x" * 200]})
    assert len(long[0].slug) <= 70


def test_apply_sets_paths_and_leaves_the_spec_alone():
    variants, _ = expand({"request.provider.sort": ["price"], "request.model": ["a/x"], "tone": ["calm"]})
    request = {"model": "z/z", "messages": []}
    body = apply(request, variants[0])
    assert body == {"model": "a/x", "messages": [], "provider": {"sort": "price"}}
    assert request == {"model": "z/z", "messages": []} and variants[0].vars() == {"tone": "calm"}


@pytest.mark.parametrize("matrix, says", [
    ({"request.model": []}, "non-empty list"),
    ({"model-name": ["a"]}, "neither a placeholder name"),
    ({"tone": [{"a": 1}]}, "placeholder: its values must be"),
    ({"request.model": ["a"], "exclude": [{"model": "a"}]}, "not a matrix axis"),
    ({"request.model": ["a"], "include": "x"}, "must be a list of mappings"),
    ({"request.model": ["a"], "exclude": [{"request.model": "a"}]}, "no variant left"),
    ({"a": list(range(9)), "b": list(range(8))}, "72 variants, over the limit of 64"),
    ({"request.model": ["a", "a"]}, "two variants are the same"),
    ("models", "must be a mapping"),
])
def test_what_gives_no_usable_variants_is_e010(matrix, says):
    variants, problems = expand(matrix)
    assert variants == [] and [p.code for p in problems] == ["E010"] * len(problems) and problems
    assert says in problems[0].message


def test_the_limit_is_configurable():
    assert len(expand({"a": list(range(9)), "b": list(range(8))}, max_variants=100)[0]) == 72


def test_select_by_id_label_slug_part_or_glob():
    variants, _ = expand({"request.model": ["a/x", "b/y"], "effort": ["low", "high"]})
    compiled = [CompiledVariant(v, v.id("s"), {}) for v in variants]
    pick = lambda pattern: [v.variant.label for v in select(compiled, pattern)]  # noqa: E731
    assert pick("s[model=a/x,effort=low]") == pick("model=a/x,effort=low") == pick("a-x--low") == ["model=a/x,effort=low"]
    assert pick("b/y") == ["model=b/y,effort=low", "model=b/y,effort=high"]
    assert pick("*effort=high]") == ["model=a/x,effort=high", "model=b/y,effort=high"]
    assert pick(None) == [v.label for v in variants]


def test_a_variant_cassette_lies_beside_the_spec_cassette():
    assert variant_cassette(Path("cassettes/specs/summarize.yaml"), "openai-gpt-5.2--low") == \
        Path("cassettes/specs/summarize.openai-gpt-5.2--low.yaml")


VALUES = st.one_of(st.text(max_size=12), st.integers(), st.booleans())


@given(st.lists(VALUES, min_size=1, max_size=4, unique_by=lambda v: (type(v), str(v))),
       st.lists(VALUES, min_size=1, max_size=4, unique_by=lambda v: (type(v), str(v))))
def test_any_two_axes_give_unique_ids_and_slugs(first, second):
    variants, problems = expand({"a": first, "b": second})
    if problems:  # two values that read the same ("1" and 1) make two variants the same combination
        assert "the same combination" in problems[0].message
        return
    assert len(variants) == len(first) * len(second)
    assert len({v.label for v in variants}) == len(variants) == len({v.slug for v in variants})
    assert all("/" not in v.slug and v.slug for v in variants)


def test_a_huge_cross_product_is_refused_before_it_is_enumerated():
    # 10**20 combinations: an expansion that enumerated them first would never return
    variants, problems = expand({f"a{i}": list(range(100)) for i in range(10)})
    assert variants == [] and "crosses 100,000,000,000,000,000,000 combinations" in problems[0].message


def test_a_long_value_is_cut_in_the_id_and_the_id_stays_unique():
    long_a, long_b = "x" * 5000 + "a", "x" * 5000 + "b"
    variants, problems = expand({"request.model": [long_a, long_b]})
    assert problems == [] and len({v.label for v in variants}) == 2
    assert all(len(v.label) < 60 and len(v.slug) <= 70 for v in variants)
    assert variants[0].values["request.model"] == long_a  # the value itself is whole
