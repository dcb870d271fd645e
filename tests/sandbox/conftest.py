"""Fixtures of the sandbox tests: a fresh strict sandbox per test whose answers must all match the spec, and `d`,
which runs a test once with `np6.Client` and once with `np6.AsyncClient`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from np6.sandbox import Sandbox
from sandbox_support import KEY, Driver


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    sandbox = Sandbox(api_key=KEY, seed=1234)
    yield sandbox
    # Strict mode raises mismatches in the caller, but a test that catches broad errors could swallow one.
    assert sandbox.mismatches == []


@pytest.fixture(params=["sync", "async"])
def d(request: pytest.FixtureRequest) -> Iterator[Driver]:
    driver = Driver(request.param)
    yield driver
    driver.close()
