"""Decoding JSON with orjson (the `speed` extra) or without: the same values, the same errors.

The test command runs this suite where orjson is installed (the main environment) and the client suites where it
is not (the other Python versions); here both paths run side by side on the same bodies.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from typing import Any, cast

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from np6._core import jsonio

orjson = pytest.importorskip("orjson")

SCALARS = st.none() | st.booleans() | st.floats(allow_nan=False) | st.text()
JSON_VALUES = st.recursive(
    SCALARS | st.integers(-(1 << 63), (1 << 64) - 1),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


# Any integer at all, and strings of digits: what `loads` must tell apart from a number that does not fit 64 bits.
ANY_JSON_VALUES = st.recursive(
    SCALARS | st.integers() | st.from_regex(r"[0-9a-f]{15,40}", fullmatch=True),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def _both(body: bytes) -> tuple[Any, Any]:
    fast = jsonio.results(body)
    assert json.dumps(jsonio.loads(body)) == json.dumps(json.loads(body))
    return fast, json.loads(body)


def test_orjson_is_the_path_taken_when_installed() -> None:
    assert jsonio.FAST


@given(ANY_JSON_VALUES, st.sampled_from([None, 1]), st.sampled_from([(",", ":"), (", ", ": ")]))
def test_loads_gives_exactly_what_the_standard_library_gives(
    value: Any, indent: int | None, separators: tuple[str, str]
) -> None:
    body = json.dumps(value, ensure_ascii=False, indent=indent, separators=separators).encode()
    decoded = jsonio.loads(body)
    assert json.dumps(decoded) == json.dumps(json.loads(body))


@pytest.mark.parametrize(
    ("body", "long"),
    [
        (b"1234567890123456789", True),
        (b"[ -9223372036854775809]", True),
        (b'{"a":\n 12345678901234567890}', True),
        (b'{"hash":"a1234567890123456789b"}', False),
        (b'"1234567890123456789"', False),
        (b"[1.1234567890123456789]", False),
        (b"[123456789012345678]", False),
    ],
)
def test_a_number_that_may_not_fit_64_bits_is_seen_and_a_run_of_digits_in_a_string_is_not(
    body: bytes, long: bool
) -> None:
    assert jsonio._may_hold_a_long_integer(body) is long  # pyright: ignore[reportPrivateUsage]
    assert json.dumps(jsonio.loads(body)) == json.dumps(json.loads(body))


@given(JSON_VALUES)
def test_any_json_decodes_to_what_the_standard_library_gives(value: Any) -> None:
    body = json.dumps(value, ensure_ascii=False).encode()
    fast, standard = _both(body)
    assert fast == standard
    assert json.dumps(fast) == json.dumps(standard)  # same types too: 1 stays an int, 1.0 a float


@pytest.mark.parametrize(
    "body",
    [b"NaN", b"[Infinity, -Infinity]", b'"\\ud800"', b"\xef\xbb\xbf[1]", b'{"a": 1, "a": 2}', b"  [1]  "],
)
def test_what_orjson_refuses_and_the_standard_library_reads_is_read_the_same(body: bytes) -> None:
    fast, standard = _both(body)
    assert json.dumps(fast) == json.dumps(standard)


@pytest.mark.parametrize("body", [b"", b"[1,", b"{'a': 1}", b"\xff", b"[1] 2"])
def test_malformed_json_raises_the_standard_librarys_error(body: bytes) -> None:
    errors: list[ValueError] = []
    for decode in (jsonio.results, jsonio.loads, json.loads):
        try:
            decode(body)
        except ValueError as error:  # JSONDecodeError, or UnicodeDecodeError for bytes that are not UTF-8
            errors.append(error)
    assert len({(type(error), str(error)) for error in errors}) == 1, errors


@pytest.mark.parametrize("decode", [jsonio.loads, jsonio.results])
def test_without_orjson_the_standard_library_decodes(monkeypatch: pytest.MonkeyPatch, decode: Any) -> None:
    monkeypatch.setattr(jsonio, "_orjson", None)
    calls: list[bytes] = []
    monkeypatch.setattr(jsonio.json, "loads", lambda body: calls.append(body) or [1])
    assert decode(b"[2]") == [1]
    assert calls == [b"[2]"]


def test_an_integer_beyond_64_bits_is_the_one_value_results_reads_differently() -> None:
    # Documented in jsonio: matching reads strings only, and the report re-reads the bytes with the standard library.
    fast, standard = _both(b"[123456789012345678901234567890]")
    assert standard == [123456789012345678901234567890]
    assert fast == [float(123456789012345678901234567890)]


def _standard_dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# Everything a JSON value may hold but floats, whose digits orjson may spell its own way, and any integer at all.
EXACT_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.text() | st.integers(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=8) | st.integers() | st.booleans(), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(EXACT_JSON_VALUES)
@example(["\ud800"])
def test_dumps_writes_the_standard_librarys_bytes(value: Any) -> None:
    assert _outcome(jsonio.dumps, value) == _outcome(_standard_dumps, value)  # a lone surrogate: the same error


def _outcome(dumps: Any, value: Any) -> bytes | tuple[type[BaseException], str]:
    try:
        return cast("bytes", dumps(value))
    except UnicodeEncodeError as error:
        return type(error), str(error)


@given(JSON_VALUES | st.lists(st.floats(), max_size=4))
def test_dumps_writes_the_standard_librarys_value_floats_and_nan_included(value: Any) -> None:
    written = jsonio.dumps(value)
    try:
        expected = _standard_dumps(value)
    except UnicodeEncodeError:
        return
    assert json.dumps(json.loads(written)) == json.dumps(json.loads(expected))  # NaN stays NaN, 1.0 a float


class _Text(str):
    __slots__ = ()


@pytest.mark.parametrize(
    "value",
    [float("nan"), [float("inf")], {"a": -float("inf")}, _Text("x"), {"k": _Text("v")}, True, [None, 1.5]],
)
def test_dumps_leaves_non_finite_floats_and_subclasses_to_the_standard_library(value: Any) -> None:
    assert jsonio.dumps(value) == _standard_dumps(value)


@pytest.mark.parametrize("value", [{"at": datetime(2026, 1, 1)}, {1.5, 2}, object()])
def test_dumps_refuses_what_the_standard_library_refuses_with_its_error(value: Any) -> None:
    with pytest.raises(TypeError) as expected:
        _standard_dumps(value)
    with pytest.raises(TypeError) as raised:
        jsonio.dumps(value)
    assert str(raised.value) == str(expected.value)


def test_without_orjson_dumps_is_the_standard_library(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonio, "_orjson", None)
    calls: list[Any] = []
    monkeypatch.setattr(jsonio.json, "dumps", lambda value, **options: calls.append((value, options)) or "[1]")
    assert jsonio.dumps([2]) == b"[1]"
    assert calls == [([2], {"separators": (",", ":"), "ensure_ascii": False})]


@given(st.lists(st.tuples(st.integers(0, 9000), st.integers(0, 9000)), max_size=4), st.sampled_from([640, 4300]))
def test_an_integer_too_long_for_the_standard_library_is_seen_wherever_it_lies(
    runs: list[tuple[int, int]], limit: int
) -> None:
    data = b"".join(b"x" * gap + b"7" * digits for gap, digits in runs)
    before = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(limit)
    try:
        seen = jsonio._may_hold_an_integer_too_long_to_read(data)  # pyright: ignore[reportPrivateUsage]
        unlimited = None
        sys.set_int_max_str_digits(0)
        unlimited = jsonio._may_hold_an_integer_too_long_to_read(data)  # pyright: ignore[reportPrivateUsage]
    finally:
        sys.set_int_max_str_digits(before)
    assert seen == any(len(run) > limit for run in re.findall(rb"[0-9]+", data))
    assert unlimited is False
