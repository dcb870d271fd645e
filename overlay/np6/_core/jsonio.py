"""Reading the answers of batch sends: orjson when the `speed` extra is installed, the standard library otherwise.

Why a module of its own: decoding NP6's answers to batch sends is most of the client's CPU in `send_many` (about
45% with the standard library), and orjson decodes them in about half the time. It is optional (`np6-cm[speed]`);
`results` reads what `json.loads` reads, with orjson or without:

- whatever orjson refuses that the standard library reads (NaN, a lone surrogate escape, a byte order mark) is
  read by the standard library, so what is accepted, and the error raised, never depend on the extra;
- the one value that differs is an integer beyond 64 bits, which orjson reads as a float. Results are matched on
  their strings only (types, ids, addresses), where any number is equally wrong, and the report reads the kept
  bytes again with the standard library: no outcome and no exported value depends on it.
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

__all__ = ["FAST", "results"]

_orjson: ModuleType | None
try:
    import orjson as _orjson
except ModuleNotFoundError:  # the `speed` extra is not installed
    _orjson = None

#: Whether orjson is used (the `speed` extra is installed).
FAST = _orjson is not None


def results(data: bytes) -> Any:
    """Decode the JSON answer of a batch send."""
    if _orjson is not None:
        try:
            return _orjson.loads(data)
        except _orjson.JSONDecodeError:
            pass
    return json.loads(data)
