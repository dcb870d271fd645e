"""`np6 actions get|list|validate|render`: a look at actions, readable or as JSON."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from rich.table import Table

from .._content.channel import Channel
from . import connect
from .console import out, print_json
from .errors import EXIT_NOT_ALL_SENT, EXIT_OK
from .rows import parse_recipient

__all__ = ["run_actions"]


def run_actions(args: argparse.Namespace) -> int:
    with connect.sync_client(args) as client:
        if args.verb == "get":
            action = client.actions.get(args.action_id)
            if args.json:
                print_json(action.to_dict())
            else:
                out.print(_action_table([action]))
        elif args.verb == "list":
            actions = client.actions.list(created_after=args.created_after, created_before=args.created_before)
            if args.json:
                print_json([a.to_dict() for a in actions])
            else:
                out.print(_action_table(actions))
        elif args.verb == "validate":
            phases = client.actions.validate(args.action_id, test_segments=args.test_segment or None)
            if args.json:
                print_json({"action_id": args.action_id, "phases": list(phases)}, indent=None)
            elif phases:
                out.print(f"action {args.action_id}: validated ({' then '.join(phases)} phase)")
            else:
                out.print(f"action {args.action_id} was already validated for production")
        else:
            channel = Channel.coerce(args.channel) if args.channel else None
            result = client.actions.render(
                args.action_id, parse_recipient(args.to, "unicity", "--to")[0], channel=channel
            )
            if args.json:
                print_json(result.to_dict())
            else:
                out.print(_render_text(result))
            if result.to_dict().get("type") != "success":  # NP6 answered that it could not render it
                return EXIT_NOT_ALL_SENT
    return EXIT_OK


def _action_table(actions: Sequence[Any]) -> Table:
    table = Table()
    for column in ("id", "type", "name", "state", "created"):
        table.add_column(column)
    for action in actions:
        data = action.to_dict()
        informations: dict[str, Any] = data.get("informations") or {}
        table.add_row(
            str(data.get("id", "")),
            str(data.get("type", "")),
            str(data.get("name", "")),
            str(informations.get("state", "")),
            str(data.get("creationDate", "")),  # top-level in every answer NP6 documents
        )
    return table


def _render_text(result: Any) -> str:
    data = result.to_dict()
    if data.get("type") != "success":
        return f"NP6 could not render it: {json.dumps(data)}"
    lines = [f"{name}: {data[name]}" for name in ("recipient", "subject") if data.get(name)]
    if isinstance(data.get("sender"), dict):
        lines.append(f"from: {data['sender'].get('label', '')} <{data['sender'].get('value', '')}>")
    body = data.get("text") or data.get("html") or data.get("content") or ""
    return "\n".join([*lines, "", str(body)])
