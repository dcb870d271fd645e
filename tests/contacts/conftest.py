"""Fixtures of the contact, field, segment and event tests: a strict sandbox whose contacts must be created (as on a
real account), and `d`, which runs each test once with `np6.Client` and once with `np6.AsyncClient`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from contacts_support import KEY, Driver
from np6.sandbox import Sandbox


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    sandbox = Sandbox(api_key=KEY, seed=7, auto_create_contacts=False)
    yield sandbox
    # Strict mode raises mismatches in the caller; a test catching broad errors could still swallow one.
    assert sandbox.mismatches == []


@pytest.fixture(params=["sync", "async"])
def d(request: pytest.FixtureRequest) -> Iterator[Driver]:
    driver = Driver(request.param)
    yield driver
    driver.close()
