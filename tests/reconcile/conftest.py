"""Fixtures of the reconcile tests: a strict sandbox per test, and `d`, which runs each test once with `np6.Client`
and once with `np6.AsyncClient`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from np6.sandbox import Sandbox
from reconcile_support import KEY, Driver


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    sandbox = Sandbox(api_key=KEY, seed=99)
    yield sandbox
    # Strict mode raises mismatches in the caller; a test catching broad errors could still swallow one.
    assert sandbox.mismatches == []


@pytest.fixture(params=["sync", "async"])
def d(request: pytest.FixtureRequest) -> Iterator[Driver]:
    driver = Driver(request.param)
    yield driver
    driver.close()
