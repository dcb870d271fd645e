"""Fixtures of every test: no ambient key; `h`, which runs a test once with `np6.Client` and once with
`np6.AsyncClient` over a recording mock transport (`tests.harness`); and `sandbox`, a fresh strict sandbox per test,
made with the arguments of `sandbox_options` (a folder's conftest, or a module, overrides that fixture)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from tests.dual_clients import dual_fixture
from tests.harness import Harness

if TYPE_CHECKING:
    from np6.sandbox import Sandbox

h = dual_fixture(Harness)


@pytest.fixture(autouse=True)
def _no_ambient_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may depend on a key from the developer's environment."""
    monkeypatch.delenv("NP6_API_KEY", raising=False)


@pytest.fixture
def sandbox_options() -> dict[str, Any]:
    """The arguments of the `sandbox` fixture's `Sandbox(...)`."""
    return {}


@pytest.fixture
def sandbox(sandbox_options: dict[str, Any]) -> Iterator[Sandbox]:
    """A fresh strict sandbox, whose answers must all match the spec (imported here: a test that needs no sandbox
    needs no sandbox extra)."""
    from np6.sandbox import Sandbox

    sandbox = Sandbox(**sandbox_options)
    yield sandbox
    # Strict mode raises mismatches in the caller, but a test that catches broad errors could swallow one.
    assert sandbox.mismatches == []
