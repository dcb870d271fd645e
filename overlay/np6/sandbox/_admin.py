"""Sandbox-only endpoints under `/_sandbox/`: what a test or a user sees of the sandbox over HTTP.

Why: with the loopback server (or `np6 sandbox` in another process), a test cannot reach `sandbox.deliveries`;
these endpoints expose the same record and controls. They need a valid API key, are never rate-limited nor
fault-injected, and are not part of NP6's API (so the spec does not describe them).

- `GET /_sandbox/deliveries[?action_id=ID]` -> `{"count": n, "deliveries": [...]}`
- `POST /_sandbox/reset` -> 204 (forget actions, contacts, deliveries, windows, queued faults, mismatches)
- `POST /_sandbox/contacts` `{"unicity": "a@b.c" | [...], "id": optional, "fields": optional}` -> 201 contact
- `GET /_sandbox/faults` -> `{"pending": [...]}`; `POST` a list of faults (each may say `"times": n`) -> 204;
  `DELETE` -> 204 (clear the queue)
- `GET /_sandbox/mismatches` -> `{"count": n, "mismatches": ["..."]}` (spec mismatches seen so far)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from ._faults import Fault
from ._http import CoreRequest, CoreResponse

if TYPE_CHECKING:
    from ._app import App

__all__ = ["ADMIN_PREFIX", "handle_admin"]

ADMIN_PREFIX = "/_sandbox"


def _body(request: CoreRequest) -> Any:
    try:
        return json.loads(request.body or b"null")
    except (ValueError, RecursionError):
        return None


def handle_admin(app: App, request: CoreRequest) -> CoreResponse:
    """Answer a `/_sandbox/...` request."""
    if request.headers.get(app.spec.api_key_header, "") not in app.settings.api_keys:
        return CoreResponse.empty(401)
    route = (request.method.upper(), request.path.rstrip("/"))
    if route == ("GET", f"{ADMIN_PREFIX}/deliveries"):
        action_ids = request.query.get("action_id")
        action_id = action_ids[0] if action_ids else None
        deliveries = app.deliveries.all(action_id)
        return CoreResponse.json(
            200, {"count": len(deliveries), "deliveries": [delivery.to_json() for delivery in deliveries]}
        )
    if route == ("POST", f"{ADMIN_PREFIX}/reset"):
        app.reset()
        return CoreResponse.empty(204)
    if route == ("POST", f"{ADMIN_PREFIX}/contacts"):
        return _create_contact(app, _body(request))
    if route[1] == f"{ADMIN_PREFIX}/faults":
        return _faults(app, route[0], _body(request))
    if route == ("GET", f"{ADMIN_PREFIX}/mismatches"):
        with app.lock:
            mismatches = [str(mismatch) for mismatch in app.mismatches]
        return CoreResponse.json(200, {"count": len(mismatches), "mismatches": mismatches})
    return CoreResponse.empty(404)


def _create_contact(app: App, body: Any) -> CoreResponse:
    if not isinstance(body, Mapping):
        return CoreResponse.empty(400)
    body = cast("Mapping[str, Any]", body)  # a JSON object
    unicity = body.get("unicity")
    fields = body.get("fields")
    contact_id = body.get("id")
    # An empty unicity value is a malformed request (400), not a conflict with an existing contact (409).
    parts = [unicity] if isinstance(unicity, str) else unicity
    if not isinstance(parts, list):
        return CoreResponse.empty(400)
    parts = cast("list[object]", parts)
    if not parts or not all(isinstance(v, str) and v for v in parts):
        return CoreResponse.empty(400)
    if (fields is not None and not isinstance(fields, Mapping)) or (
        contact_id is not None and not isinstance(contact_id, str)
    ):
        return CoreResponse.empty(400)
    try:
        contact = app.contacts.create(
            cast("list[str]", parts), contact_id=contact_id, fields=cast("Mapping[str, Any] | None", fields)
        )
    except ValueError:
        return CoreResponse.empty(409)
    return CoreResponse.json(
        201,
        {
            "type": "footprint",
            "id": contact.id,
            "unicity": contact.unicity,
            "hash": contact.hash,
            "fields": contact.fields,
        },
    )


def _faults(app: App, method: str, body: Any) -> CoreResponse:
    if method == "GET":
        return CoreResponse.json(200, {"pending": [fault.to_json() for fault in app.faults.pending()]})
    if method == "DELETE":
        app.faults.clear()
        return CoreResponse.empty(204)
    if method != "POST":
        return CoreResponse.empty(405)
    items = cast("Mapping[str, Any]", body).get("faults") if isinstance(body, Mapping) else body
    if not isinstance(items, list):
        return CoreResponse.empty(400)
    items = cast("list[object]", items)
    if not all(isinstance(item, Mapping) for item in items):
        return CoreResponse.empty(400)
    try:
        parsed = [(Fault.from_json(item), int(item.get("times", 1))) for item in cast("list[Mapping[str, Any]]", items)]
    except (TypeError, ValueError, OverflowError):  # OverflowError: int(Infinity), which json.loads reads
        return CoreResponse.empty(400)
    for fault, times in parsed:
        app.faults.add(fault, times=times)
    return CoreResponse.empty(204)
