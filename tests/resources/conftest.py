"""Fixtures of the contact, field, segment and event tests: the `sandbox` is one whose contacts must be created (as
on a real account), and `d` runs each test once with `np6.Client` and once with `np6.AsyncClient`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.dual_clients import dual_fixture
from tests.resources.contacts_support import KEY, Driver

d = dual_fixture(Driver)


@pytest.fixture
def sandbox_options() -> dict[str, Any]:
    return {"api_key": KEY, "seed": 7, "auto_create_contacts": False}
