"""The sandbox on a loopback socket: the overlay over real HTTP, the `/_sandbox/` endpoints, and a clean stop."""

from __future__ import annotations

import asyncio
import socket
import threading

import httpx
import np6
from np6.sandbox import Sandbox

from tests.sandbox.support import KEY, Clock, validated_action


def _connectable(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def test_a_concurrent_async_send_many_over_loopback() -> None:
    sandbox = Sandbox(api_key=KEY, validation="sample", unknown_recipients=["ghost@example.com"])
    action_id = validated_action(sandbox)
    recipients = [f"user{i}@example.com" for i in range(300)]
    recipients[123] = "ghost@example.com"
    progress: list[int] = []

    async def send(url: str) -> np6.SendReport:
        async with np6.AsyncClient(base_url=url, api_key=sandbox.api_key, retry_policy=Clock().policy()) as client:
            return await client.actions.send_many(
                action_id, recipients, batch_size=20, concurrency=4, on_progress=lambda p: progress.append(p.done)
            )

    server = sandbox.serve(port=0)
    assert server.port == 0
    assert not server.running
    with server:
        port = server.port
        assert port != 0
        assert server.url == f"http://127.0.0.1:{port}"
        report = asyncio.run(send(server.url))
        with httpx.Client(base_url=server.url, headers={"X-Key": KEY}) as http:
            listed = http.get("/_sandbox/deliveries", params={"action_id": action_id}).json()
            other = http.get("/_sandbox/deliveries", params={"action_id": "NOSUCH"}).json()
    assert report.counts == {"sent": 299, "rejected": 1, "failed": 0, "unknown": 0}
    assert report[123].reason == "recipient not found"
    assert sorted(progress)[-1] == 300
    assert listed["count"] == 299
    assert other == {"count": 0, "deliveries": []}
    sent = [item["contact"]["unicity"] for item in listed["deliveries"]]
    assert sorted(sent) == sorted(r for r in recipients if r != "ghost@example.com")
    assert sandbox.deliveries.duplicates() == {}
    first = listed["deliveries"][0]
    assert first["action_id"] == action_id
    assert first["operation_id"] == "send_messages"
    assert first["channel"] == "email"
    assert first["message"] == {"recipient": first["recipient"]}
    # The report and the sandbox's record tell the same story about each message.
    reported = report[recipients.index(first["contact"]["unicity"])]
    assert (reported.message_id, reported.request_id) == (first["message_id"], first["request_id"])
    # Stopped cleanly: no listener, no serving thread left behind.
    assert not server.running
    assert not _connectable(port)
    assert not [t for t in threading.enumerate() if t.name == "np6-sandbox"]
    assert sandbox.mismatches == []


def test_start_and_stop_are_idempotent(sandbox: Sandbox) -> None:
    server = sandbox.serve()
    assert server.start() is server.start()
    port = server.port
    assert _connectable(port)
    server.stop()
    server.stop()
    assert not _connectable(port)


def test_the_sync_overlay_over_loopback_sees_a_dropped_send_as_unknown(sandbox: Sandbox) -> None:
    action_id = validated_action(sandbox)
    with sandbox.serve() as server, httpx.Client(base_url=server.url, headers={"X-Key": KEY}) as http:
        # Faults scripted over HTTP, as another process would.
        scripted = http.post(
            "/_sandbox/faults",
            json=[
                {"kind": "drop", "operation": "send_message"},
                {"kind": "drop", "after_processing": False, "operation": "get_action", "times": 2},
            ],
        )
        assert scripted.status_code == 204
        assert [f["kind"] for f in http.get("/_sandbox/faults").json()["pending"]] == ["drop"] * 3
        with np6.Client(base_url=server.url, api_key=KEY, retry_policy=Clock().policy()) as client:
            error = None
            try:
                client.actions.send(action_id, "alice@example.com")
            except np6.APIConnectionError as exc:
                error = exc
            assert error is not None
            assert error.outcome_unknown
            # Two dropped connections, then the answer: within the default two retries of an idempotent GET.
            assert client.actions.get(action_id).id == action_id
        assert http.get("/_sandbox/faults").json() == {"pending": []}
        deliveries = http.get("/_sandbox/deliveries").json()
    assert deliveries["count"] == 1
    assert deliveries["deliveries"][0]["contact"]["unicity"] == "alice@example.com"


def test_the_sandbox_endpoints(sandbox: Sandbox) -> None:
    action_id = validated_action(sandbox)
    with sandbox.serve() as server, httpx.Client(base_url=server.url, headers={"X-Key": KEY}) as http:
        contact = http.post(
            "/_sandbox/contacts", json={"unicity": "vip@example.com", "id": "VIP00001", "fields": {"first_name": "V"}}
        )
        assert contact.status_code == 201
        assert contact.json()["id"] == "VIP00001"
        assert contact.json()["fields"] == {"first_name": "V"}
        assert http.post("/_sandbox/contacts", json={"unicity": 42}).status_code == 400
        assert http.post("/_sandbox/faults", json=[{"kind": "explode"}]).status_code == 400
        assert http.post("/_sandbox/faults", json={"faults": [{"kind": "error", "status": 503}]}).status_code == 204
        assert http.delete("/_sandbox/faults").status_code == 204
        assert http.get("/_sandbox/faults").json() == {"pending": []}
        with np6.Client(base_url=server.url, api_key=KEY) as client:
            result = client.actions.send(action_id, np6.Recipient.by_id("VIP00001"))
        assert result.recipient.unicity == "vip@example.com"
        assert http.get("/_sandbox/deliveries").json()["count"] == 1
        assert http.get("/_sandbox/mismatches").json() == {"count": 0, "mismatches": []}
        assert http.get("/_sandbox/nothing").status_code == 404
        assert http.get("/_sandbox/deliveries", headers={"X-Key": "wrong"}).status_code == 401
        assert http.post("/_sandbox/reset").status_code == 204
        assert http.get("/_sandbox/deliveries").json() == {"count": 0, "deliveries": []}
        assert http.get(f"/actions/{action_id}").status_code == 404
    assert len(sandbox.actions) == 0
