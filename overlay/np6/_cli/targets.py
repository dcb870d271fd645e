"""`np6 targets import`: contacts created (or found, when their unicity value exists) from a CSV file.

Recipients must be contacts before a send reaches them. Each CSV column is a contact field, by name; the header is
checked against the account's fields before anything is written (a name NP6 does not know would be refused row
after row), and so is every row (a row whose cells do not match the header would put values in the wrong fields).
Every row ends with one outcome in the report: `upserted` (with the contact id: created, or found with its values
as NP6 has them), `rejected` (an invalid row, or NP6 refused it), `failed` (not written: NP6 could not be
reached) or `unknown` (NP6 failed after the request went out: the contact may exist; importing again finds it).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

from .._core.errors import APIConnectionError, APIStatusError, InternalServerError, InvalidInputError, NP6Error
from .._resources.fields import FieldMap
from . import connect
from .console import check_output_path, err, plural, print_json
from .errors import EXIT_INTERRUPTED, EXIT_NOT_ALL_SENT, EXIT_OK, BadInput
from .progress import Counter
from .rows import MAX_VALUE_LENGTH, STDIN, csv_records, csv_shape

__all__ = ["IMPORT_COLUMNS", "run_import"]

IMPORT_COLUMNS = ("line", "unicity", "outcome", "contact_id", "reason", "request_id")


def _rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and every row (its line and its non-empty cells), read at once: imports are sized in contacts,
    not in millions of messages, and every row is checked before any write."""
    label = "stdin" if str(path) == STDIN else str(path)
    try:
        data = sys.stdin.buffer.read() if str(path) == STDIN else path.read_bytes()
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"{label}: cannot be read: {getattr(exc, 'strerror', None) or exc}") from exc
    # The stream as csv reads a file opened with newline="": line numbers count the file's own line ends only.
    header, records = csv_records(iter(io.StringIO(text, newline="")), label)
    csv_shape(header, None, None, no_data=False)  # a column named twice, an empty header: refused
    rows: list[tuple[int, dict[str, str]]] = []
    bad: list[str] = []
    for start, cells in records:
        if len(cells) != len(header):
            bad.append(f"  line {start}: {len(cells)} cells where the header has {len(header)}")
            continue
        rows.append((start, {name: value for name, value in zip(header, cells, strict=True) if value.strip()}))
    if bad:  # a row whose cells shift would write values into the wrong fields: never imported
        raise BadInput(f"{label}: {plural(len(bad), 'row')} cannot be read as the header says:\n" + "\n".join(bad[:20]))
    return header, rows


def run_import(args: argparse.Namespace) -> int:
    if args.report is not None:
        check_output_path(args.report, "--report")
    if not 1 <= args.concurrency <= 32:
        raise BadInput("--concurrency must be 1..32")
    header, rows = _rows(args.csv)
    return asyncio.run(_import(args, header, rows))


async def _import(args: argparse.Namespace, header: list[str], rows: list[tuple[int, dict[str, str]]]) -> int:
    async with connect.async_client(args) as client:
        fields = await client.fields.map()
        unknown = [name for name in header if not _is_field(fields, name)]
        if unknown:
            raise BadInput(
                f"the CSV names fields the account does not have: {', '.join(unknown)}"
                f" (its fields: {', '.join(str(f.name) for f in fields.fields)}"
            )
        results: dict[int, dict[str, Any]] = {}
        bad: list[str] = []
        for line, values in rows:
            reason = _invalid(values, fields)
            if reason is not None:
                results[line] = {"outcome": "rejected", "reason": f"invalid input: {reason}"}
                bad.append(f"  line {line}: {reason}")
        if bad and not args.skip_invalid:
            raise BadInput(
                f"{plural(len(bad), 'row')} cannot be imported; nothing was written. Fix them, or import the"
                " others with --skip-invalid:\n" + "\n".join(bad[:20])
            )
        slots = asyncio.Semaphore(args.concurrency)
        todo = [(line, values) for line, values in rows if line not in results]
        progress = Counter("importing", len(todo), quiet=args.json)

        started: set[int] = set()

        async def upsert(line: int, values: dict[str, str]) -> None:
            async with slots:
                started.add(line)
                try:
                    contact = await client.targets.upsert(values)
                    results[line] = {"outcome": "upserted", "contact_id": contact.id}
                except (APIConnectionError, InternalServerError) as exc:
                    # Refused before anything was processed (a connection refused) is failed; anything else may have
                    # created the contact: importing again finds it instead of creating a second one.
                    results[line] = _error("unknown" if getattr(exc, "outcome_unknown", True) else "failed", exc)
                except (APIStatusError, InvalidInputError, NP6Error) as exc:
                    results[line] = _error("rejected", exc)
                progress.advance()

        interrupted = False
        try:
            await asyncio.gather(*(upsert(line, values) for line, values in todo))
        except (asyncio.CancelledError, KeyboardInterrupt):
            # Ctrl-C: every row still gets its outcome in the report, and the command ends as interrupted.
            interrupted = True
            for line, _ in todo:
                if line not in results:
                    in_flight = line in started
                    results[line] = {
                        "outcome": "unknown" if in_flight else "failed",
                        "reason": "interrupted while NP6 was asked: the contact may exist (importing again finds it)"
                        if in_flight
                        else "interrupted before it was written",
                    }
        finally:
            progress.finish()
    return _conclude(args, rows, results, fields, interrupted=interrupted)


def _conclude(
    args: argparse.Namespace,
    rows: list[tuple[int, dict[str, str]]],
    results: dict[int, dict[str, Any]],
    fields: FieldMap,
    *,
    interrupted: bool,
) -> int:
    """The counts, the report and the exit status of an import."""
    counts = {name: 0 for name in ("upserted", "rejected", "failed", "unknown")}
    for result in results.values():
        counts[result["outcome"]] += 1
    if args.report is not None:
        _write(args.report, rows, results, fields)
    if args.json:
        written = None if args.report is None else str(args.report)
        print_json({"contacts": len(rows), "counts": counts, "report": written}, indent=None)
    else:
        err.print(", ".join(f"{count:,} {name}" for name, count in counts.items()) + f" of {plural(len(rows), 'row')}")
    if interrupted:
        err.print("interrupted: the rows not written are in the report (import again to write them)", style="yellow")
        return EXIT_INTERRUPTED
    return EXIT_OK if counts["upserted"] == len(rows) else EXIT_NOT_ALL_SENT


def _is_field(fields: FieldMap, name: str) -> bool:
    try:
        fields.field(name)
    except InvalidInputError:
        return False
    return True


def _invalid(values: dict[str, str], fields: FieldMap) -> str | None:
    try:
        unicity = fields.unicity_value(values)
    except (InvalidInputError, KeyError, ValueError) as exc:
        return str(exc) or "no unicity value"
    if len(unicity) > MAX_VALUE_LENGTH or any(ord(c) < 32 for c in unicity):
        return f"unicity value {unicity[:40]!r} cannot be sent"
    return None


def _error(outcome: str, error: Exception) -> dict[str, Any]:
    return {"outcome": outcome, "reason": str(error).splitlines()[0], "request_id": getattr(error, "request_id", None)}


def _write(
    path: Path, rows: list[tuple[int, dict[str, str]]], results: dict[int, dict[str, Any]], fields: FieldMap
) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        records: list[dict[str, Any]] = []
        for line, values in rows:
            result = results.get(line, {"outcome": "failed", "reason": "not written"})
            try:
                unicity = fields.unicity_value(values)
            except (InvalidInputError, KeyError, ValueError):
                unicity = ""
            records.append({"line": line, "unicity": unicity, **result})
        if path.suffix == ".csv":
            from .._sending.report import inert_cell

            writer: csv.DictWriter[str] = csv.DictWriter(stream, fieldnames=IMPORT_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            for record in records:
                writer.writerow({name: inert_cell(record.get(name) or "") for name in IMPORT_COLUMNS})
        else:
            for record in records:
                stream.write(json.dumps({name: record.get(name) for name in IMPORT_COLUMNS}) + "\n")
