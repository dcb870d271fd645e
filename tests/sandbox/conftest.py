"""Fixtures of the sandbox tests: the `sandbox` of each test takes the key of `support`, and `d` runs a test once
with `np6.Client` and once with `np6.AsyncClient`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.dual_clients import dual_fixture
from tests.sandbox.support import KEY, Driver

d = dual_fixture(Driver)


@pytest.fixture
def sandbox_options() -> dict[str, Any]:
    return {"api_key": KEY, "seed": 1234}
