"""specc.pointers: reading a value at a JSON pointer (a tuple of keys and indexes)."""

from __future__ import annotations

import pytest

from specc.pointers import value_at, value_or_none

DATA = {"messages": [{"role": "user", "content": "hi"}], "n": None}


def test_value_at_walks_keys_and_indexes():
    assert value_at(DATA, ("messages", 0, "content")) == "hi"
    assert value_at(DATA, ()) is DATA


@pytest.mark.parametrize("pointer", [("missing",), ("messages", 3), ("messages", 0, "content", "x"), ("n", "y")])
def test_a_pointer_that_leads_nowhere(pointer):
    with pytest.raises((KeyError, IndexError, TypeError)):
        value_at(DATA, pointer)
    assert value_or_none(DATA, pointer) is None
