"""Reading and writing JSON: orjson and msgspec when the `speed` extra is installed, the standard library
otherwise.

Why a module of its own: decoding NP6's answers to batch sends is most of the client's CPU in `send_many` (about
45% with the standard library), and reading request bodies is a quarter of the sandbox's; orjson does either in
about half the time. It is optional (`np6-cm[speed]`), and both functions read what `json.loads` reads, with it
or without, in all but three cases:

- Whatever orjson refuses that the standard library reads (NaN, a lone surrogate escape, a byte order mark) is
  read by the standard library, so what is accepted, and the error raised, never depend on the extra.
- Nesting deeper than Python's recursion allows, where the standard library raises `RecursionError`, orjson reads
  (up to 1024 levels). The sandbox refuses such a body by its depth (64 levels at most); a batch's answer so
  nested is read again by `loads` when the report reads it, with orjson too.
- orjson reads an integer beyond 64 bits as a float. `loads` looks for one first (a run of 19 digits where a
  number can start) and leaves such a body to the standard library. `results` does not: results are matched on
  their strings only (types, ids, addresses), where any number is equally wrong, and the report reads the kept
  bytes again with `loads`, so no outcome and no exported value depends on it.

`sent_to` reads, with msgspec (also in the `speed` extra), only what the usual answer of a batch send needs: the
unicity value each success names. It gives None for any answer it does not read exactly as `json.loads` would
(a result that is not a success, a member of another type; in a member it skips, invalid UTF-8 or an integer
longer than `sys.get_int_max_str_digits()`; anything it refuses), which its caller then decodes whole. It is
about twice as fast as decoding the whole answer with orjson, and builds no dict. It needs orjson too: the report
reads a kept answer again with `loads`, which must read whatever nesting msgspec read.

`dumps` writes what `json.dumps` writes for the same value (compact, UTF-8), except that orjson may spell a float
with other digits of the same number (`1e16` for `1e+16`). NaN and infinities, which orjson writes as `null`,
are left to the standard library (any `null` in orjson's output sends the value there), and so is what orjson
refuses or is told to pass (subclasses of the built-in types, dataclasses, datetimes): the same error, or the
same text, with the extra or without. orjson does write `uuid.UUID`s and plain enum members, which the standard
library refuses; the sandbox, its one caller, answers with neither.
"""

from __future__ import annotations

import json
import sys
from types import ModuleType
from typing import Any

__all__ = ["FAST", "dumps", "loads", "results", "sent_to"]

_orjson: ModuleType | None
try:
    import orjson as _orjson
except ModuleNotFoundError:  # the `speed` extra is not installed
    _orjson = None

#: Whether orjson is used (the `speed` extra is installed).
FAST = _orjson is not None

_sent_to_decoder: Any = None
_refusals: tuple[type[Exception], ...] = (RecursionError,)
try:
    import msgspec as _msgspec
except ModuleNotFoundError:  # the `speed` extra is not installed
    pass
else:
    _refusals = (_msgspec.DecodeError, RecursionError)

    class _Footprint(_msgspec.Struct, gc=False):
        unicity: str

    class _Success(_msgspec.Struct, gc=False):
        type: str
        recipient: _Footprint

    _sent_to_decoder = _msgspec.json.Decoder(list[_Success])


_DIGITS_AS_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_LONG_RUN = b"0" * 19  # the shortest integer that may not fit 64 bits: -9223372036854775809
_NUMBER_STARTS = frozenset(b":,[")
_BLANK = frozenset(b" \t\r\n")


def _may_hold_a_long_integer(data: bytes) -> bool:
    """Whether a JSON number of 19 digits or more may be in `data` (never a false no; a false yes costs only the
    faster path): a run of 19 digits that starts a number, after `:`, `,`, `[` or at the start, blanks and `-`
    allowed in between. Runs inside strings (a hash, an id) are passed over."""
    runs = data.translate(_DIGITS_AS_ZEROS)
    found = runs.find(_LONG_RUN)
    while found != -1:
        before = found - 1
        if before >= 0 and data[before] == 0x2D:  # "-"
            before -= 1
        while before >= 0 and data[before] in _BLANK:
            before -= 1
        if before < 0 or data[before] in _NUMBER_STARTS:
            return True
        found = runs.find(_LONG_RUN, found + len(_LONG_RUN))
    return False


_DIGITS = b"0123456789"


def _may_hold_an_integer_too_long_to_read(data: bytes) -> bool:
    """Whether a run of more digits than `json.loads` reads as an integer may be in `data` (never a false no)."""
    limit = sys.get_int_max_str_digits()
    if not limit:  # no limit: any integer is read
        return False
    run = limit + 1
    # Every run of `run` digits covers exactly one offset that is a multiple of `run`: only those are looked at.
    for at in range(0, len(data), run):
        if data[at] in _DIGITS:
            before = data[max(0, at - run) : at]
            after = data[at : at + run]
            if len(before) - len(before.rstrip(_DIGITS)) + len(after) - len(after.lstrip(_DIGITS)) >= run:
                return True
    return False


def loads(data: bytes) -> Any:
    """Decode JSON as `json.loads` does (integers beyond 64 bits included; deep nesting aside, see above)."""
    if _may_hold_a_long_integer(data):
        return json.loads(data)
    return results(data)


def results(data: bytes) -> Any:
    """Decode the JSON answer of a batch send (an integer beyond 64 bits may come back a float, see above)."""
    if _orjson is not None:
        try:
            return _orjson.loads(data)
        except _orjson.JSONDecodeError:
            pass
    return json.loads(data)


def sent_to(data: bytes) -> list[str] | None:
    """The unicity value named by each result of a batch send's answer when every result is a success naming one
    (a JSON array of objects whose `type` is "success" and whose `recipient` has a string `unicity`); None when
    the answer is anything else, or msgspec is not installed (see above)."""
    if _sent_to_decoder is None or _orjson is None or _may_hold_an_integer_too_long_to_read(data):
        # Without orjson, the report's later reading of the kept answer could refuse nesting msgspec read; and an
        # integer msgspec skips over may be one `json.loads` refuses (beyond `sys.get_int_max_str_digits()`).
        return None
    if not data.isascii():
        # msgspec does not check the UTF-8 of the members it skips; `json.loads` refuses invalid UTF-8 anywhere.
        try:
            data.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            return None
    try:
        results = _sent_to_decoder.decode(data)
    except _refusals:
        return None
    if not all([result.type == "success" for result in results]):
        return None
    return [result.recipient.unicity for result in results]


_PASSED_TO_THE_STANDARD_LIBRARY = (
    0
    if _orjson is None
    else _orjson.OPT_PASSTHROUGH_SUBCLASS | _orjson.OPT_PASSTHROUGH_DATACLASS | _orjson.OPT_PASSTHROUGH_DATETIME
)


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON of `value`, as `json.dumps(value, separators=(",", ":"), ensure_ascii=False)` writes it
    (float digits aside, see above)."""
    if _orjson is not None:
        try:
            written: bytes = _orjson.dumps(value, option=_PASSED_TO_THE_STANDARD_LIBRARY)
        except _orjson.JSONEncodeError:
            pass
        else:
            if b"null" not in written:
                return written
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
