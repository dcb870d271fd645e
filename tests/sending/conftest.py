"""Fixtures of the send_many and send-journal tests (helpers in `support`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sending.support import LoopbackNP6


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    """Each test that takes it runs once with np6.Client and once with np6.AsyncClient."""
    return str(request.param)


@pytest.fixture
def loopback() -> Iterator[LoopbackNP6]:
    server = LoopbackNP6()
    yield server
    server.close()
