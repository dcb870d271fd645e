"""The fast path of matching a batch's results (`_all_sent_to`) gives exactly what the full loop gives.

Why: the usual answer (every message a success naming the address sent) is told apart by two comprehensions
instead of the loop; any other answer must still go through the loop, malformed ones included.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from np6._sending import batches

VALUES = ["a@example.com", "b@example.com", "c@example.com"]

FOOTPRINTS = st.one_of(
    st.sampled_from(VALUES).map(lambda value: {"type": "footprint", "id": "1", "unicity": value}),
    st.sampled_from(VALUES).map(lambda value: {"type": "footprint", "id": "1", "unicity": value.upper()}),
    st.just({"type": "footprint", "id": "1"}),
    st.sampled_from([None, "a@example.com", ["a@example.com"], 1, {}]),
)
RESULTS = st.one_of(
    st.fixed_dictionaries({"type": st.just("success"), "id": st.just("m"), "recipient": FOOTPRINTS}),
    st.fixed_dictionaries({"type": st.just("success"), "id": st.just("m")}),
    st.fixed_dictionaries({"type": st.just("error"), "value": st.just({"type": "recipient not found"})}),
    st.fixed_dictionaries({"type": st.sampled_from(["other", None, 1])}),
    st.sampled_from([None, "success", [], 1]),
)


def _outcome(prepared: Any, results: list[Any]) -> object:
    try:
        return batches._match(prepared, results)  # pyright: ignore[reportPrivateUsage]
    except Exception as error:  # the loop refuses some answers whole: the same refusal, by type and text
        return (type(error).__name__, str(error))


@given(st.lists(RESULTS, min_size=3, max_size=3))
def test_the_fast_path_gives_the_loops_outcome_for_any_answer(results: list[Any]) -> None:
    prepared = batches._Prepared(len(VALUES), None, {}, list(VALUES))  # pyright: ignore[reportPrivateUsage]
    fast = _outcome(prepared, results)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batches, "_all_sent_to", lambda values, results: False)
        loop = _outcome(prepared, results)
    assert fast == loop


def test_the_usual_answer_takes_the_fast_path() -> None:
    results = [{"type": "success", "id": "m", "recipient": {"type": "footprint", "unicity": v}} for v in VALUES]
    assert batches._all_sent_to(list(VALUES), list(results))  # pyright: ignore[reportPrivateUsage]
    results[1]["recipient"]["unicity"] = "B@example.com"  # the same contact, other case: the loop decides
    assert not batches._all_sent_to(list(VALUES), list(results))  # pyright: ignore[reportPrivateUsage]
