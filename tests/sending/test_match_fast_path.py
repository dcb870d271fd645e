"""The fast path of matching a batch's results (`_all_sent_to`) gives exactly what the full loop gives.

Why: the usual answer (every message a success naming the address sent) is told apart by two comprehensions
instead of the loop; any other answer must still go through the loop, malformed ones included.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import httpx
import np6
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from np6._core import jsonio
from np6._sending import batches

VALUES = ["a@example.com", "b@example.com", "c@example.com"]

FOOTPRINTS = st.one_of(
    st.sampled_from(VALUES).map(lambda value: {"type": "footprint", "id": "1", "unicity": value}),
    st.sampled_from(VALUES).map(lambda value: {"type": "footprint", "id": "1", "unicity": value.upper()}),
    st.just({"type": "footprint", "id": "1"}),
    st.sampled_from([None, "a@example.com", ["a@example.com"], 1, {}]),
)
RESULTS = st.one_of(
    st.fixed_dictionaries({"type": st.just("success"), "id": st.just("m"), "recipient": FOOTPRINTS}),
    st.fixed_dictionaries({"type": st.just("success"), "id": st.just("m")}),
    st.fixed_dictionaries({"type": st.just("error"), "value": st.just({"type": "recipient not found"})}),
    st.fixed_dictionaries({"type": st.sampled_from(["other", None, 1])}),
    st.sampled_from([None, "success", [], 1]),
)


def _outcome(prepared: Any, results: list[Any]) -> object:
    try:
        return batches._match(prepared, results)  # pyright: ignore[reportPrivateUsage]
    except Exception as error:  # the loop refuses some answers whole: the same refusal, by type and text
        return (type(error).__name__, str(error))


@given(st.lists(RESULTS, min_size=3, max_size=3))
def test_the_fast_path_gives_the_loops_outcome_for_any_answer(results: list[Any]) -> None:
    prepared = batches._Prepared(len(VALUES), None, {}, list(VALUES))  # pyright: ignore[reportPrivateUsage]
    fast = _outcome(prepared, results)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batches, "_all_sent_to", lambda values, results: False)
        loop = _outcome(prepared, results)
    assert fast == loop


def test_the_usual_answer_takes_the_fast_path() -> None:
    results = [{"type": "success", "id": "m", "recipient": {"type": "footprint", "unicity": v}} for v in VALUES]
    assert batches._all_sent_to(list(VALUES), list(results))  # pyright: ignore[reportPrivateUsage]
    results[1]["recipient"]["unicity"] = "B@example.com"  # the same contact, other case: the loop decides
    assert not batches._all_sent_to(list(VALUES), list(results))  # pyright: ignore[reportPrivateUsage]


# ------------------------------------------------------------------------------ reading the answer's bytes
# `jsonio.sent_to` (msgspec, in the `speed` extra) reads the usual answer without decoding all of it: whatever it
# reads must be what `json.loads` reads, on any bytes at all, or the fallback must take over.

_JUNK = st.sampled_from(
    [
        *(b"NaN", b"Infinity", b"1E400", b"-0", b"12345678901234567890123", b'"\\ud800"', b'"\xc3("'),
        *(b'"\xed\xa0\x80"', b"[" * 3000 + b"]" * 3000, b"[" * 995 + b"]" * 995, b'"\x7f"', b'"a\tb"', b"01"),
        *(b"[1,]", b"9" * 4301, b"-" + b"1" * 19),
    ]
)


# A success naming the value sent (or another, in any case or script), with members of any kind beside.
_USUAL = st.fixed_dictionaries(
    {
        "type": st.just("success"),
        "recipient": st.fixed_dictionaries(
            {"unicity": st.sampled_from(VALUES) | st.sampled_from(VALUES).map(str.upper) | st.text(max_size=4)},
            optional={"type": st.just("footprint"), "id": st.text(max_size=3)},
        ),
    },
    optional={"id": st.text(max_size=3), "extra": st.none() | st.integers() | st.floats() | st.lists(st.text())},
)


@st.composite
def _answers(draw: st.DrawFn) -> bytes:
    """A batch's answer as bytes: well-formed, with a junk member, or with bytes replaced, inserted or cut."""
    results = draw(st.lists(RESULTS | _USUAL, min_size=3, max_size=3) | st.lists(_USUAL, min_size=3, max_size=3))
    body = json.dumps(results, ensure_ascii=draw(st.booleans()), separators=draw(st.sampled_from([(",", ":"), None])))
    data = body.encode()
    change = draw(st.sampled_from(["none", "junk", "replace", "insert", "cut"]))
    if change == "junk" and data.startswith(b"[{"):
        data = b'[{"x":' + draw(_JUNK) + b"," + data[2:]
    elif change in ("replace", "insert", "cut") and data:
        at = draw(st.integers(0, len(data) - 1))
        byte = draw(st.sampled_from([b"\xff", b"\xc3", b'"', b"\\", b",", b"}", b"]", b"\x00", b"0", b" "]))
        if change == "replace":
            data = data[:at] + byte + data[at + 1 :]
        elif change == "insert":
            data = data[:at] + byte + data[at:]
        else:
            data = data[:at]
    return data


def _read(body: bytes) -> object:
    """What np6 makes of an answer: its outcome codes and notes, or the refusal (by type and text)."""
    prepared = batches._Prepared(len(VALUES), None, {}, list(VALUES))  # pyright: ignore[reportPrivateUsage]
    try:
        _, answer = batches._results_of(httpx.Response(200, content=body))  # pyright: ignore[reportPrivateUsage]
        return batches._match(prepared, answer)  # pyright: ignore[reportPrivateUsage]
    except Exception as error:
        return (type(error).__name__, str(error))


@given(_answers())
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])  # the junk is large by design
def test_reading_only_the_names_gives_what_decoding_the_whole_answer_gives(body: bytes) -> None:
    names = jsonio.sent_to(body)
    if names is not None:  # then the standard library reads the same: successes naming these values
        results = json.loads(body)
        assert [r["type"] for r in results] == ["success"] * len(results)
        assert [r["recipient"]["unicity"] for r in results] == names
    fast = _read(body)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsonio, "sent_to", lambda data: None)
        assert fast == _read(body)


def test_the_usual_answer_is_read_by_its_names_alone() -> None:
    pytest.importorskip("msgspec")
    results = [{"type": "success", "id": "m", "recipient": {"type": "footprint", "unicity": v}} for v in VALUES]
    body = json.dumps(results)
    _, answer = batches._results_of(httpx.Response(200, content=body.encode()))  # pyright: ignore[reportPrivateUsage]
    assert isinstance(answer, batches._Successes)  # pyright: ignore[reportPrivateUsage]
    assert _read(body.encode()) == (bytes([batches._SENT]) * 3, {})  # pyright: ignore[reportPrivateUsage]
    assert jsonio.sent_to(body.replace("a@example", "\\u00e0@example").encode()) == ["à@example.com", *VALUES[1:]]


def test_without_msgspec_every_answer_is_decoded_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonio, "_sent_to_decoder", None)
    body = json.dumps([{"type": "success", "recipient": {"unicity": v}} for v in VALUES]).encode()
    assert jsonio.sent_to(body) is None
    _, answer = batches._results_of(httpx.Response(200, content=body))  # pyright: ignore[reportPrivateUsage]
    assert isinstance(answer, list)


def test_an_answer_read_when_it_came_is_read_again_by_the_report() -> None:
    # orjson reads nesting the standard library cannot (RecursionError): the report reads the kept answer with the
    # same library, so a batch told sent can be listed and exported.
    deep = b"[" * 1010 + b"]" * 1010

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json={"type": "mailMessage", "id": "000ABC", "informations": {"state": 50}})
        sent = json.loads(request.content)
        results = [
            b'{"type":"success","id":"m%d","pad":%s,"recipient":{"type":"footprint","unicity":%s}}'
            % (i, deep, json.dumps(m["recipient"]["value"][0]).encode())
            for i, m in enumerate(sent)
        ]
        return httpx.Response(200, content=b"[" + b",".join(results) + b"]")

    with np6.Client("key", transport=httpx.MockTransport(answer), max_retries=0) as client:
        report = client.actions.send_many("000ABC", ["a@example.com", "b@example.com"], channel=np6.Channel.EMAIL)
    assert report.counts == {"sent": 2, "rejected": 0, "failed": 0, "unknown": 0}
    assert [(item.outcome.value, item.message_id) for item in report] == [("sent", "m0"), ("sent", "m1")]
    written = io.StringIO()
    report.to_csv(written)
    assert [row[:3] for row in csv.reader(io.StringIO(written.getvalue()))][1:] == [
        ["0", "sent", "m0"],
        ["1", "sent", "m1"],
    ]
