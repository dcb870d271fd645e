"""A property-based fuzz of the public API: every public method of every resource (found on a real client, as the
API snapshot finds them) and every one of its parameters, given one invalid value at a time, must raise a typed
np6 error before any request is sent. No other exception, no silent acceptance, no NaN or Infinity on the wire.

The invalid values are drawn by hypothesis from what each parameter's annotation says it takes (an id that is not
a usable string, an integer that is a bool or out of range, a mapping with NaN or a lone surrogate...). The run
prints its counts: cases, typed errors, untyped exceptions, silent acceptances and requests sent.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import math
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import np6
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.harness import mail_action

ACTION = "000ABC"
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _report() -> np6.SendReport:
    with np6.Client("k-fuzz-0123456789", transport=httpx.MockTransport(lambda r: httpx.Response(404))) as client:
        return client.actions.send_many(ACTION, [], channel=np6.Channel.EMAIL)


#: A valid value for each required parameter, by name: the other arguments of a case.
VALID: dict[str, Callable[[], Any]] = {
    "action_id": lambda: ACTION,
    "target_id": lambda: "000TGT",
    "field_id": lambda: 1,
    "list_id": lambda: 1,
    "segment_id": lambda: 1,
    "message": lambda: "a@example.com",
    "messages": lambda: ["a@example.com"],
    "receiver": lambda: "a@example.com",
    "action": lambda: np6.email_action(
        name="n", sender=np6.Sender(prefix="p", domain="example.com", label="L"), subject="s", text="t"
    ),
    "values": lambda: {"Email": "a@example.com"},
    "fields": lambda: {"Email": "a@example.com"},
    "name": lambda: "segment",
    "members": lambda: ["000TGT"],
    "start": lambda: T0,
    "end": lambda: T0 + dt.timedelta(hours=1),
    "report": _report,
    "sender": lambda: np6.Sender(prefix="p", domain="example.com", label="L"),
    "subject": lambda: "s",
    "text": lambda: "t",
    "to": lambda: "a@example.com",
    "prefix": lambda: "p",
    "domain": lambda: "example.com",
}

#: The builders users call before any client: each invalid argument must be refused when the value is built.
BUILDERS: dict[str, Callable[..., Any]] = {
    "email_action": np6.email_action,
    "sms_action": np6.sms_action,
    "EmailMessage": np6.EmailMessage,
    "SmsMessage": np6.SmsMessage,
    "Sender": np6.Sender,
    "Copy": np6.Copy,
    "Attachment": np6.Attachment,
}
#: Builder parameters that are free text or models, not ids: what is invalid for them.
FREE_TEXT = {"subject", "text", "html", "amp", "reply_to", "description", "label", "mime", "content_type"}

SURROGATE = "a\ud800b"
CONTROL = "a\r\nb"
TRAVERSALS = [".", "..", "a/../b", "%2e%2e", "%2E.", "..%2f", "a%2fb", "a\\b", " .. "]
NOT_TEXT = st.one_of(st.integers(), st.floats(), st.binary(min_size=1), st.lists(st.integers(), max_size=2))
NAN_OR_INF = st.sampled_from([math.nan, math.inf, -math.inf])

#: Parameters whose string goes into the request path, or the query.
PATH = {"action_id", "target_id"}
QUERY = {"unicity", "hash", "kind"}


def _ids() -> st.SearchStrategy[Any]:
    return st.one_of(
        NOT_TEXT,
        st.sampled_from(["", "   ", SURROGATE, CONTROL, "\x00", *TRAVERSALS]),
    )


def _int_values() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.booleans(),
        st.floats(),
        st.text(max_size=3),
        st.integers(max_value=-1),
        st.integers(min_value=2**31),
    )


def _text_values() -> st.SearchStrategy[Any]:
    return st.one_of(NOT_TEXT, st.sampled_from([SURROGATE]))


def _mapping_values() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.text(min_size=1, max_size=3),
        st.integers(),
        st.lists(st.integers(), min_size=1, max_size=2),
        st.sampled_from([{1: "x"}, {"Email": math.nan}, {"Email": math.inf}, {"Email": SURROGATE}, {SURROGATE: 1}]),
    )


def _instants() -> st.SearchStrategy[Any]:
    return st.one_of(st.text(max_size=3), NAN_OR_INF, st.booleans(), st.just(10**30), st.binary(min_size=1))


def _invalid(name: str, annotation: str, optional: bool) -> st.SearchStrategy[Any] | None:
    """What is invalid for the parameter, judged from its name and annotation; None: nothing to try."""
    none = st.nothing() if optional else st.none()
    if name in PATH:
        return st.one_of(none, _ids())
    if name in FREE_TEXT:
        return st.one_of(none, _text_values())
    if name in ("to", "related"):
        return st.one_of(none, st.integers(), st.sampled_from(["", "  ", SURROGATE, CONTROL]), st.binary())
    if name in ("name", "prefix", "domain"):
        return st.one_of(none, _text_values(), st.sampled_from(["", "   "]))
    if name in ("sender",):
        return st.one_of(none, st.text(max_size=3), st.integers(), st.just({}))
    if name in ("blocks", "copies", "attachments"):
        return st.one_of(st.text(min_size=1, max_size=3), st.integers(), st.sampled_from([[1], ["x"], {"a": 1}]))
    if name == "timeout":  # the per-call option: None means no timeout, so it is valid
        return st.one_of(
            st.booleans(), st.text(max_size=3), st.sampled_from([0, -1, math.nan, math.inf, [1], {"read": 1}])
        )
    if name == "extra_headers":
        return st.one_of(
            st.text(min_size=1, max_size=3),
            st.integers(),
            st.sampled_from(
                [{"X-Key": "other"}, {"X-A": "a\r\nb"}, {"X A": "1"}, {1: "a"}, {"X-A": 1}, {"Content-Length": "1"}]
            ),
        )
    if name in ("extra",):
        return st.one_of(st.text(min_size=1, max_size=3), st.integers(), st.lists(st.integers(), min_size=1))
    if name in ("stamp",):
        return st.one_of(st.text(min_size=1, max_size=3), st.integers(), st.just({}))
    if name in QUERY:
        return st.one_of(_text_values(), st.sampled_from(["", CONTROL, "\x00"]))
    if name in ("message", "receiver"):
        return st.one_of(
            st.none(), st.integers(), st.floats(), st.sampled_from(["", "  ", SURROGATE, CONTROL]), st.binary()
        )
    if name in ("messages",):
        return st.one_of(st.none(), st.integers(), st.text(min_size=1, max_size=4), st.binary(min_size=1))
    if name in ("members",):
        return st.one_of(
            st.text(min_size=1, max_size=4),
            st.integers(),
            st.sampled_from([[1], [""], [SURROGATE], [CONTROL], [None]]),
        )
    if name in ("types", "kinds"):
        return st.one_of(
            st.text(min_size=1, max_size=4), st.integers(), st.sampled_from([["nope"], [1], [], [SURROGATE]])
        )
    if name == "test_segments":
        return st.one_of(
            st.text(min_size=1, max_size=3),
            st.integers(),
            st.sampled_from([[True], ["1"], [1.5], [-1], [2**40], [math.nan]]),
        )
    if name == "variables":
        return st.one_of(
            st.text(min_size=1, max_size=3),
            st.integers(),
            st.sampled_from([[1], ["x"], [{"a": math.nan}], [{1: "a"}], {"a": 1}]),
        )
    if name == "fields":  # what NP6 returned, translated locally: any JSON values, but a mapping
        return st.one_of(none, st.text(min_size=1, max_size=3), st.integers(), st.lists(st.integers(), min_size=1))
    if name in ("values", "data"):
        return st.one_of(none, _mapping_values())
    if name in ("start", "end", "created_after", "created_before", "expiration"):
        return st.one_of(none, _instants())
    if name == "until":
        return st.one_of(st.text(max_size=3), st.booleans(), st.just(10**30), NAN_OR_INF)
    if name in ("margin", "window"):
        return st.one_of(st.integers(), st.text(max_size=3), st.just(dt.timedelta(-1)), NAN_OR_INF)
    if name == "channel":
        return st.one_of(st.sampled_from(["fax", "", SURROGATE, "EMAIL\n"]), st.integers(), st.binary(min_size=1))
    if name in ("on_progress",):
        return st.one_of(st.integers(), st.text(max_size=3))
    if name in ("journal", "report"):
        return st.one_of(st.integers(), st.sampled_from([SURROGATE, "", b"x"]), none)
    if name == "type" and "SegmentKind" in annotation:
        return st.one_of(st.sampled_from(["nope", "", SURROGATE]), st.integers())
    if name in ("action",):
        return st.one_of(st.integers(), st.text(max_size=3), st.just({}), st.none())
    if name in ("context", "content", "links"):
        return st.one_of(st.integers(), st.text(min_size=1, max_size=3), st.just({"a": 1}))
    if annotation.startswith("bool"):
        return st.one_of(st.integers(), st.text(max_size=3), st.floats(), none)
    if annotation.startswith("int"):
        return st.one_of(none, _int_values())
    if annotation.startswith("str"):
        return st.one_of(none, _text_values())
    return None


# ------------------------------------------------------------------------------------------------ the client


class Wire:
    """The transport: records every request and answers the few a priming call needs."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.method == "GET" and request.url.path == f"/actions/{ACTION}":
            return httpx.Response(200, json=mail_action(ACTION, state=50))
        if request.method == "GET" and request.url.path == "/fields":
            return httpx.Response(200, json=[])
        return httpx.Response(404)


def _methods(client: np6.Client) -> list[tuple[str, Callable[..., Any]]]:
    """Every public method of every resource, as `api_snapshot` lists them."""
    found = []
    for attribute in sorted(n for n in dir(client) if not n.startswith("_")):
        resource = getattr(client, attribute)
        if not type(resource).__module__.startswith("np6._resources"):
            continue
        for name in sorted(n for n in dir(type(resource)) if not n.startswith("_")):
            member = getattr(resource, name)
            if callable(member):
                found.append((f"{attribute}.{name}", member))
    return found


def _cases(client: np6.Client) -> list[tuple[str, Callable[..., Any], str, st.SearchStrategy[Any]]]:
    cases = []
    for label, method in _methods(client):
        for parameter in inspect.signature(method).parameters.values():
            optional = parameter.default is not inspect.Parameter.empty
            annotation = str(parameter.annotation)
            optional_none = optional and ("None" in annotation or parameter.default is None)
            strategy = _invalid(parameter.name, annotation, optional_none)
            if strategy is not None:
                cases.append((label, method, parameter.name, strategy))
    return cases


def _call(method: Callable[..., Any], parameter: str, value: Any) -> Any:
    arguments: dict[str, Any] = {}
    positional: list[Any] = []
    for each in inspect.signature(method).parameters.values():
        if each.name == parameter:
            chosen = value
        elif each.default is inspect.Parameter.empty and each.kind is not each.VAR_KEYWORD:
            chosen = VALID[each.name]()
        else:
            continue
        if each.kind is inspect.Parameter.POSITIONAL_ONLY:
            positional.append(chosen)
        else:
            arguments[each.name] = chosen
    result = method(*positional, **arguments)
    if inspect.isgenerator(result) or hasattr(result, "__next__"):
        result = list(result)
    return result


def _nan_on_the_wire(requests: list[httpx.Request]) -> bool:
    for request in requests:
        text = request.content.decode("utf-8", errors="replace")
        if "NaN" in text or "Infinity" in text:
            return True
    return False


def _fuzz(
    label: str,
    method: Callable[..., Any],
    parameter: str,
    strategy: st.SearchStrategy[Any],
    wire: Wire,
    counts: Counter[str],
    problems: list[str],
    deferred: Callable[[Any], bool] | None = None,
) -> None:
    @settings(max_examples=30, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(value=strategy)
    def case(value: Any) -> None:
        before = len(wire.requests)
        counts["cases"] += 1
        try:
            built = _call(method, parameter, value)
        except np6.NP6Error:
            counts["typed"] += 1
            outcome = "typed"
        except Exception as exc:
            counts["untyped"] += 1
            outcome = f"untyped {type(exc).__name__}: {exc}"[:160]
        else:
            if deferred is not None and deferred(built):
                counts["rejected when sent"] += 1
                outcome = "typed"
            else:
                counts["accepted"] += 1
                outcome = "accepted"
        sent = wire.requests[before:]
        if sent:
            counts["requests"] += 1
        if _nan_on_the_wire(sent):
            counts["nan on the wire"] += 1
        if outcome != "typed" or sent:
            problems.append(f"{label}({parameter}={value!r}): {outcome}; {len(sent)} request(s)")

    case()


def test_every_invalid_argument_is_a_typed_error_before_any_request(capsys: pytest.CaptureFixture[str]) -> None:
    wire = Wire()
    counts: Counter[str] = Counter()
    problems: list[str] = []
    with np6.Client("k-fuzz-0123456789", transport=httpx.MockTransport(wire), max_retries=0) as client:
        # Learn the action's channel and the field map once: the cases then need no lookup request.
        with pytest.raises(np6.NotFoundError):
            client.actions.send(ACTION, "a@example.com")
        client.fields.map()
        cases = _cases(client)
        assert len({label for label, *_ in cases}) >= 40, "the fuzz no longer finds the resources' methods"
        for label, method, parameter, strategy in cases:
            _fuzz(label, method, parameter, strategy, wire, counts, problems)
    with capsys.disabled():
        print(
            f"\nfuzz of the public API: {counts['cases']} cases, {counts['typed']} typed errors,"
            f" {counts['untyped']} untyped exceptions, {counts['accepted']} accepted silently,"
            f" {counts['requests']} sent requests, {counts['nan on the wire']} with NaN/Infinity on the wire"
        )
    unique = sorted(set(problems))
    assert not unique, f"{len(unique)} problems:\n" + "\n".join(unique[:300])


def _rejected_when_sent(built: Any) -> bool:
    """A message part holding what only encoding can refuse (NaN, a lone surrogate, a key that is not a string) is
    built, so that a bad value in the caller's generator does not raise there: the message must then be refused
    by `send()` before any request, and be `rejected` alone by `send_many`."""
    if isinstance(built, np6.Copy):
        built = np6.EmailMessage("a@example.com", copies=[built])
    elif isinstance(built, np6.Attachment):
        built = np6.EmailMessage("a@example.com", attachments=[built])
    elif isinstance(built, np6.Sender):
        built = np6.EmailMessage("a@example.com", sender=built)
    if not isinstance(built, (np6.EmailMessage, np6.SmsMessage)):
        return False
    wire = Wire()
    with np6.Client("k-fuzz-0123456789", transport=httpx.MockTransport(wire), max_retries=0) as client:
        try:
            client.actions.send(ACTION, built)
        except np6.InvalidInputError:
            pass
        else:
            return False
        posts = [r for r in wire.requests if r.method == "POST"]
        report = client.actions.send_many(ACTION, [built])
    return (
        not posts and report[0].outcome is np6.Outcome.REJECTED and not [r for r in wire.requests if r.method == "POST"]
    )


def test_every_invalid_argument_of_a_builder_is_refused_when_it_is_built(
    capsys: pytest.CaptureFixture[str],
) -> None:
    wire = Wire()  # no client here: nothing can be sent, the counts must say so
    counts: Counter[str] = Counter()
    problems: list[str] = []
    for label, builder in BUILDERS.items():
        for parameter in inspect.signature(builder).parameters.values():
            if parameter.name == "self":
                continue
            annotation = str(parameter.annotation)
            optional = parameter.default is not inspect.Parameter.empty and (
                "None" in annotation or parameter.default is None
            )
            strategy = _invalid(parameter.name, annotation, optional)
            if strategy is not None:
                _fuzz(label, builder, parameter.name, strategy, wire, counts, problems, _rejected_when_sent)
    with capsys.disabled():
        print(
            f"\nfuzz of the builders: {counts['cases']} cases, {counts['typed']} typed errors when built,"
            f" {counts['rejected when sent']} rejected when sent (values only encoding can refuse),"
            f" {counts['untyped']} untyped exceptions, {counts['accepted']} accepted silently"
        )
    assert counts["cases"] > 100
    unique = sorted(set(problems))
    assert not unique, f"{len(unique)} problems:\n" + "\n".join(unique[:300])


def test_send_many_rejects_each_bad_message_and_puts_no_nan_on_the_wire() -> None:
    """Bad messages inside an iterable are the messages' outcomes (rejected, with the reason), not an error of the
    call: the good ones are sent, and the request holds only valid JSON."""
    wire = Wire()

    def answer(request: httpx.Request) -> httpx.Response:
        wire.requests.append(request)
        if request.method == "GET":
            return httpx.Response(200, json=mail_action(ACTION, state=50))
        count = len(json.loads(request.content))
        return httpx.Response(200, json=[{"type": "success", "id": f"M{i}"} for i in range(count)])

    from np6_generated.models import EmailMessage, EmailMessageData

    def generated(value: float) -> EmailMessage:
        recipient = np6.Recipient.by_unicity("c@example.com")
        return EmailMessage(recipient=recipient, data=EmailMessageData.from_dict({"x": value}))

    bad = [
        np6.EmailMessage("c@example.com", data={"x": math.nan}),  # built: a bad value is the message's outcome
        generated(math.nan),
        generated(math.inf),
        SURROGATE,
        CONTROL,
        "",
        None,
        3,
        {"recipient": {"type": "unicity", "value": [math.nan]}},
    ]
    messages = ["a@example.com", *bad, "b@example.com"]
    with np6.Client("k-fuzz-0123456789", transport=httpx.MockTransport(answer)) as client:
        report = client.actions.send_many(ACTION, messages)
    outcomes = [outcome.outcome for outcome in report]
    assert outcomes == [np6.Outcome.SENT] + [np6.Outcome.REJECTED] * len(bad) + [np6.Outcome.SENT]
    assert all(outcome.reason for outcome in report if outcome.outcome is np6.Outcome.REJECTED)
    (send,) = [r for r in wire.requests if r.method == "POST"]
    assert len(json.loads(send.content)) == 2
    assert not _nan_on_the_wire([send])
