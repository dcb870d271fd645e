"""Fixtures of the overlay tests: `h` runs each test once with `np6.Client` and once with `np6.AsyncClient`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from overlay_support import Harness


@pytest.fixture(params=["sync", "async"])
def h(request: pytest.FixtureRequest) -> Iterator[Harness]:
    harness = Harness(request.param)
    yield harness
    harness.close()
