"""The curated spec as the tests read it: the YAML source itself, never the copy shipped in the generated package."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

SPEC_PATH = Path(__file__).resolve().parents[2] / "spec" / "np6-cm.openapi.yaml"


@functools.cache
def _parsed() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as stream:
        document = YAML(typ="safe", pure=True).load(stream)
    assert isinstance(document, dict)
    return document


def load_spec() -> dict[str, Any]:
    """A fresh copy of the spec (parsed once per run), safe for a test to change."""
    return copy.deepcopy(_parsed())
