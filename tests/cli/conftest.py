"""The sandbox the `np6` command tests talk to: one on a loopback port of its own per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from np6.sandbox import Sandbox

from tests.cli.support import KEY, Served


@pytest.fixture
def sandbox() -> Iterator[Served]:
    """A sandbox on loopback that cannot find `nobody@example.com` (a recipient NP6 rejects)."""
    box = Sandbox(api_key=KEY, unknown_recipients=["nobody@example.com"])
    with box.serve() as server:
        yield box, server
