"""The sandbox's contact, field, segment and event operations over plain HTTP (exactly the requests written here):
NP6's observed answers (names in, ids out, 400 without unicity, 409 when it exists), routing of literal paths,
one shared state with the sends, and `reset()`."""

from __future__ import annotations

from typing import Any

import pytest
from np6.sandbox import Sandbox

from tests.sandbox.support import KEY, raw


@pytest.fixture
def sandbox_options() -> dict[str, Any]:
    """Contacts must be created, as on a real account."""
    return {"api_key": KEY, "seed": 7, "auto_create_contacts": False}


def test_a_contact_is_written_with_names_and_read_with_ids(sandbox: Sandbox) -> None:
    with raw(sandbox) as http:
        created = http.post("/targets", json={"Email": "alice@example.com", "LastName": "Martin"})
        assert created.status_code == 200
        assert created.json()["fields"] == {"728": "alice@example.com", "731": "Martin"}
        # What production answers to the read shape on creation.
        assert http.post("/targets", json={"fields": {"728": "bob@example.com"}}).status_code == 400
        assert http.post("/targets", json={"LastName": "Martin"}).status_code == 400
        assert http.post("/targets", json={"Email": "alice@example.com"}).status_code == 409
        found = http.get("/targets", params={"unicity": "alice@example.com"})
        assert found.headers["content-type"] == "application/vnd.np6.experimental+json"
        assert found.json()["id"] == created.json()["id"]
        assert http.get("/targets").status_code == 400
        assert http.get("/targets", params={"unicity": "a", "hash": "b"}).status_code == 400


def test_literal_paths_win_over_templates(sandbox: Sandbox) -> None:
    with raw(sandbox) as http:
        assert http.get("/targets/count").json() == {"targetsCount": 0}
        assert http.get("/actions/events").json() == []
        assert http.delete("/targets/count").status_code == 405
        assert http.get("/targets/000R4M0T").status_code == 404


def test_contacts_are_the_ones_sends_reach(sandbox: Sandbox) -> None:
    with raw(sandbox) as http:
        contact = http.post("/targets", json={"Email": "alice@example.com"}).json()
        segment = http.post("/segments", json={"type": "static", "name": "S"}).json()
        assert (
            http.put(f"/segments/{segment['id']}/targets", json=["alice@example.com", "nobody@x.example"]).json() == 1
        )
        http.post(f"/targets/{contact['id']}/redlist/mail", json={})
        assert sandbox.contacts.find(unicity="alice@example.com") is not None
        assert http.delete(f"/targets/{contact['id']}").status_code == 204
        # A deleted contact leaves its segments and redlists.
        assert http.get(f"/segments/{segment['id']}/targets").json() == []
        assert http.get("/targets/redlist/mail").json() == []
        assert http.put(f"/segments/{segment['id']}/targets", json=["x"] * 51).status_code == 400  # at most 50


def test_robot_hits_are_none_and_unknown_actions_not_found(sandbox: Sandbox) -> None:
    action = sandbox.actions.create({"type": "mailMessage", "name": "n"})["id"]
    with raw(sandbox) as http:
        assert http.get(f"/actions/{action}/events/hits/mirror", params={"classification": "mpp"}).json() == []
        assert http.get("/actions/NOPE/events/bounces").status_code == 404
        assert http.get("/actions/events", params={"start": "yesterday"}).status_code == 400


def test_reset_restores_the_initial_account(sandbox: Sandbox) -> None:
    with raw(sandbox) as http:
        http.post("/targets", json={"Email": "alice@example.com"})
        http.post("/segments", json={"type": "static", "name": "S"})
    sandbox.fields.add({"type": "textField", "id": 740, "name": "City"})
    sandbox.events.add({"type": "activation", "timestamp": 1})
    sandbox.reactions.click("alice@example.com")
    sandbox.reset()
    assert (len(sandbox.contacts), len(sandbox.events), sandbox.reactions.of("alice@example.com")) == (0, 0, [])
    assert [s["name"] for s in sandbox.segments.list()] == ["BAT TEST"]
    assert [f["name"] for f in sandbox.fields.fields()][-1] == "Pastimes"


def test_sandbox_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="events_page_cap"):
        Sandbox(events_page_cap=0)
    sandbox = Sandbox()
    with pytest.raises(ValueError, match="timestamp"):
        sandbox.events.add({"type": "activation"})
    with pytest.raises(ValueError, match="verdict"):
        sandbox.reactions.bounce("a@b.co", verdict="medium")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one"):
        sandbox.reactions.click()
