"""Fixtures of every test. Also puts tests/ on the import path, for the helpers shared by its folders
(`dual_clients`)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_ambient_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may depend on a key from the developer's environment."""
    monkeypatch.delenv("NP6_API_KEY", raising=False)
