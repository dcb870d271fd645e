"""`client.actions` arguments that must be refused as `InvalidInputError` before any request, on `np6.Client` and
`np6.AsyncClient`: values of the right type but out of range."""

from __future__ import annotations

import np6

from tests.harness import Harness


def test_a_creation_filter_out_of_range_is_invalid_input(h: Harness) -> None:
    client = h.client()
    assert isinstance(h.raises(lambda: client.actions.list(created_after=10**20)), np6.InvalidInputError)
    assert h.recorder.count == 0
