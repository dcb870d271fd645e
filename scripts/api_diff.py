#!/usr/bin/env python3
"""What changed between two versions of an OpenAPI document, from the point of view of a client's user.

    python scripts/api_diff.py OLD.yaml NEW.yaml              # a readable report
    python scripts/api_diff.py OLD.yaml NEW.yaml --markdown   # the subsection that goes into CHANGELOG.md

`scripts/regenerate.py` calls it after each regeneration that changes the spec and writes the Markdown subsection
under `## [Unreleased]` in CHANGELOG.md: `### NP6 API 8.1.0 -> 8.2.0 (<date>)` for a new NP6 version,
`### NP6 API 8.1.0, spec revision (<date>)` for a change of the curated spec within one.

A change is breaking when code written against the old client can fail against the new one:

- operations: removed is breaking; added, newly deprecated and un-deprecated are not;
- parameters: removed, added as required, made required, or retyped (unless the new types only widen the old
  ones) are breaking;
- request bodies: a removed media type, a removed field, a field added as or made required, a retyped field
  (unless widened) and removed enum values are breaking; what the client may now send in addition is not;
- responses: a removed field, a field made optional, a retyped field and added enum values are breaking (the
  client must now read values it never saw); added fields, media types and removed enum values are not;
- statuses: adding or removing a success (2xx) status is breaking, since that is the answer the client parses;
  other statuses are not.

Schemas are compared field by field after resolving local `$ref`s. The variants of `oneOf`/`anyOf`/`allOf` are
merged at the same path (their types joined): the path stays the one a user writes, e.g.
`POST /actions/{id}/executions request application/vnd.np6.cm.email [].recipient.value`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "Change",
    "diff",
    "insert_under_unreleased",
    "load_document",
    "markdown_section",
    "SpecUpdate",
    "section_title",
    "spec_update",
    "text_report",
]

HTTP_METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")
CHANGELOG_TITLE = "# Changelog"
UNRELEASED = "## [Unreleased]"
API_SUBSECTION = "### NP6 API "
# `[0.2.0]: https://...`: the link definitions Keep a Changelog puts at the end of the file.
_LINK_DEFINITION = re.compile(r"^\[[^\]]+\]:\s*\S")
ROOT_FIELD = "(body)"

Direction = Literal["request", "response", "parameter"]
# (method, path as written, path item, operation)
_Operation = tuple[str, str, Mapping[str, Any], Mapping[str, Any]]


@dataclass(frozen=True)
class Change:
    """One client-visible difference. `kind` is a stable identifier, `description` is for people."""

    kind: str
    location: str
    description: str
    breaking: bool

    @property
    def sort_key(self) -> tuple[str, str, str, bool]:
        return (self.location, self.kind, self.description, self.breaking)


# ------------------------------------------------------------------------------------------------ schemas


@dataclass(frozen=True)
class _Field:
    types: frozenset[str]
    required: bool
    # None when any value of the types is allowed; JSON-encoded values otherwise, so that 1 and "1" differ.
    enum: frozenset[str] | None

    def merged(self, other: _Field) -> _Field:
        enum = None if self.enum is None or other.enum is None else self.enum | other.enum
        return _Field(self.types | other.types, self.required or other.required, enum)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _encode(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


class _Resolver:
    """Follows local `$ref`s. A reference outside the document stays opaque: its name is its type."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document

    def lookup(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return None
        node: Any = self.document
        for part in ref[1:].split("/")[1:]:
            key = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                return None
        return node

    def resolve(self, node: Any) -> Any:
        """`node` with its chain of `$ref`s followed (objects that are not schemas: parameters, responses)."""
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
            seen.add(node["$ref"])
            target = self.lookup(node["$ref"])
            if target is None:
                return node
            node = target
        return node


def _own_types(node: Mapping[str, Any]) -> frozenset[str]:
    declared = node.get("type")
    if isinstance(declared, str):
        types = {declared}
    elif isinstance(declared, list):
        types = {str(item) for item in declared}
    elif "properties" in node or isinstance(node.get("additionalProperties"), Mapping):
        types = {"object"}
    elif "items" in node:
        types = {"array"}
    elif "const" in node:
        types = {_json_type(node["const"])}
    elif isinstance(node.get("enum"), list):
        types = {_json_type(value) for value in node["enum"]}
    else:
        return frozenset()
    fmt = node.get("format")
    if isinstance(fmt, str):
        # int32 -> int64 changes what a client must be able to hold: a format is part of the type.
        types = {kind if kind == "null" else f"{kind}({fmt})" for kind in types}
    return frozenset(types)


def _own_enum(node: Mapping[str, Any]) -> frozenset[str] | None:
    values: set[str] | None = None
    if isinstance(node.get("enum"), list):
        values = {_encode(value) for value in node["enum"]}
    if "const" in node:
        const = {_encode(node["const"])}
        values = const if values is None else values & const
    return None if values is None else frozenset(values)


def _required_names(node: Any) -> frozenset[str]:
    if not isinstance(node, Mapping):
        return frozenset()
    return frozenset(name for name in node.get("required") or [] if isinstance(name, str))


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class _FieldCollector:
    """Flattens a schema into {path: field}; every path a value can take, with its merged types."""

    def __init__(self, resolver: _Resolver) -> None:
        self.resolver = resolver
        self.fields: dict[str, _Field] = {}

    def add(self, path: str, field: _Field) -> None:
        known = self.fields.get(path)
        self.fields[path] = field if known is None else known.merged(field)

    def collect(
        self, node: Any, path: str, *, required: bool, active: frozenset[str], extra_required: frozenset[str]
    ) -> None:
        # `active` holds the refs being expanded on the way here: seeing one again is a cycle (a tree of
        # nodes, a recipient inside a recipient), which is recorded once and not expanded further.
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            target = self.resolver.lookup(ref)
            if target is None:
                self.add(path, _Field(frozenset({f"$ref {ref}"}), required, None))
                return
            if ref in active:
                types = _own_types(target) if isinstance(target, Mapping) else frozenset()
                self.add(path, _Field(types or frozenset({f"$ref {ref}"}), required, None))
                return
            active |= {ref}
            node = target
        if not isinstance(node, Mapping):
            # Boolean schemas: `true` takes anything, `false` nothing.
            self.add(path, _Field(frozenset({"any" if node is not False else "nothing"}), required, None))
            return

        all_of = [part for part in node.get("allOf") or [] if part is not None]
        alternatives = [part for key in ("oneOf", "anyOf") for part in node.get(key) or [] if part is not None]
        own_types, own_enum = _own_types(node), _own_enum(node)
        if own_types or own_enum is not None or not (all_of or alternatives):
            self.add(path, _Field(own_types or frozenset({"any"}), required, own_enum))

        names = _required_names(node) | extra_required
        # allOf parts are one object split in pieces: a part may require what another part declares.
        joint = names.union(*(_required_names(self.resolver.resolve(part)) for part in all_of))
        for part in all_of:
            self.collect(part, path, required=required, active=active, extra_required=joint)
        for part in alternatives:
            self.collect(part, path, required=required, active=active, extra_required=names)

        for name, child in sorted((node.get("properties") or {}).items()):
            self.collect(child, _join(path, name), required=name in joint, active=active, extra_required=frozenset())
        if "items" in node and node["items"] is not None:
            self.collect(node["items"], f"{path}[]", required=False, active=active, extra_required=frozenset())
        extra = node.get("additionalProperties")
        if isinstance(extra, Mapping) and extra:
            self.collect(extra, _join(path, "*"), required=False, active=active, extra_required=frozenset())


def _schema_fields(resolver: _Resolver, schema: Any) -> dict[str, _Field]:
    collector = _FieldCollector(resolver)
    if schema is not None:
        collector.collect(schema, "", required=False, active=frozenset(), extra_required=frozenset())
    return collector.fields


def _types_text(types: frozenset[str]) -> str:
    return "|".join(sorted(types)) or "any"


def _field_location(where: str, path: str, direction: Direction) -> str:
    if path:
        return f"{where} {path}"
    # A parameter's location already names it; a body's root needs a name of its own.
    return where if direction == "parameter" else f"{where} {ROOT_FIELD}"


def _is_below(path: str, ancestors: Iterable[str]) -> bool:
    return any(
        path.startswith(ancestor) and path[len(ancestor) : len(ancestor) + 1] in (".", "[") for ancestor in ancestors
    )


class _Differ:
    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        self.old, self.new = _Resolver(old), _Resolver(new)
        self.changes: list[Change] = []

    def add(self, kind: str, location: str, description: str, *, breaking: bool) -> None:
        self.changes.append(Change(kind, location, description, breaking))

    # ------------------------------------------------------------------------------------------ fields

    def fields(self, where: str, direction: Direction, old_schema: Any, new_schema: Any) -> None:
        before = _schema_fields(self.old, old_schema)
        after = _schema_fields(self.new, new_schema)
        # A client sends requests and parameters, and reads responses: what widens one narrows the other.
        sends = direction != "response"

        added = sorted(after.keys() - before.keys())
        removed = sorted(before.keys() - after.keys())
        # One entry per new or vanished subtree: its inner fields come and go with it.
        for path in added:
            if _is_below(path, added):
                continue
            field = after[path]
            required = " (required)" if field.required else ""
            self.add(
                f"{direction}-field-added",
                _field_location(where, path, direction),
                f"field added{required}: {_types_text(field.types)}",
                breaking=sends and field.required,
            )
        for path in removed:
            if _is_below(path, removed):
                continue
            self.add(
                f"{direction}-field-removed",
                _field_location(where, path, direction),
                f"field removed (was {_types_text(before[path].types)})",
                breaking=True,
            )

        for path in sorted(before.keys() & after.keys()):
            old, new = before[path], after[path]
            location = _field_location(where, path, direction)
            if old.types != new.types:
                widened = new.types > old.types
                self.add(
                    f"{direction}-type-changed",
                    location,
                    f"type changed: {_types_text(old.types)} -> {_types_text(new.types)}",
                    breaking=not (sends and widened),
                )
            if old.required != new.required:
                self.add(
                    f"{direction}-required-changed",
                    location,
                    "now required" if new.required else "now optional",
                    breaking=new.required if sends else not new.required,
                )
            self.enum(direction, location, old.enum, new.enum, sends=sends)

    def enum(
        self, prefix: str, location: str, old: frozenset[str] | None, new: frozenset[str] | None, *, sends: bool
    ) -> None:
        if old == new:
            return
        if old is None:
            self.add(
                f"{prefix}-enum-values-removed",
                location,
                f"values now restricted to: {', '.join(sorted(new or ()))}",
                breaking=sends,
            )
            return
        if new is None:
            self.add(f"{prefix}-enum-values-added", location, "values no longer restricted", breaking=not sends)
            return
        if new - old:
            self.add(
                f"{prefix}-enum-values-added",
                location,
                f"enum values added: {', '.join(sorted(new - old))}",
                breaking=not sends,
            )
        if old - new:
            self.add(
                f"{prefix}-enum-values-removed",
                location,
                f"enum values removed: {', '.join(sorted(old - new))}",
                breaking=sends,
            )

    # -------------------------------------------------------------------------------------- operations

    def operations(self) -> None:
        before = _operations(self.old)
        after = _operations(self.new)
        for key in sorted(before.keys() | after.keys()):
            if key not in after:
                method, path, _, old_op = before[key]
                self.add(
                    "operation-removed", f"{method.upper()} {path}", _named("operation removed", old_op), breaking=True
                )
            elif key not in before:
                method, path, _, new_op = after[key]
                self.add(
                    "operation-added", f"{method.upper()} {path}", _named("operation added", new_op), breaking=False
                )
            else:
                self.operation(before[key], after[key])

    def operation(self, old: _Operation, new: _Operation) -> None:
        # Reported under the new spelling of the path: the one the user will look up.
        method, _, old_item, old_op = old
        _, path, new_item, new_op = new
        where = f"{method.upper()} {path}"
        was, now = bool(old_op.get("deprecated")), bool(new_op.get("deprecated"))
        if now and not was:
            self.add("operation-deprecated", where, "operation deprecated", breaking=False)
        elif was and not now:
            self.add("operation-undeprecated", where, "operation no longer deprecated", breaking=False)
        self.parameters(
            where, self._parameters(self.old, old_item, old_op), self._parameters(self.new, new_item, new_op)
        )
        self.request_body(
            where, self.old.resolve(old_op.get("requestBody")), self.new.resolve(new_op.get("requestBody"))
        )
        self.responses(where, self.old.resolve(old_op.get("responses")), self.new.resolve(new_op.get("responses")))

    @staticmethod
    def _parameters(
        resolver: _Resolver, item: Mapping[str, Any], operation: Mapping[str, Any]
    ) -> dict[tuple[str, str], Mapping[str, Any]]:
        # The operation's own parameters override the path item's ones with the same name and location.
        merged: dict[tuple[str, str], Mapping[str, Any]] = {}
        for raw in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
            parameter = resolver.resolve(raw)
            if isinstance(parameter, Mapping) and "name" in parameter and "in" in parameter:
                merged[(str(parameter["in"]), str(parameter["name"]))] = parameter
        return merged

    def parameters(
        self,
        where: str,
        before: dict[tuple[str, str], Mapping[str, Any]],
        after: dict[tuple[str, str], Mapping[str, Any]],
    ) -> None:
        for key in sorted(before.keys() | after.keys()):
            location = f"{where} {key[0]} parameter {key[1]}"
            old, new = before.get(key), after.get(key)
            if old is None and new is not None:
                required = bool(new.get("required"))
                self.add(
                    "parameter-added",
                    location,
                    "required parameter added" if required else "optional parameter added",
                    breaking=required,
                )
            elif new is None:
                self.add("parameter-removed", location, "parameter removed", breaking=True)
            elif old is not None:
                self.required_change("parameter-required-changed", location, "", old, new)
                self.fields(location, "parameter", _parameter_schema(old), _parameter_schema(new))

    def required_change(
        self, kind: str, location: str, subject: str, old: Mapping[str, Any], new: Mapping[str, Any]
    ) -> None:
        """A parameter or a request body made required (which breaks callers) or optional; `subject` starts the text."""
        was, now = bool(old.get("required")), bool(new.get("required"))
        if was != now:
            self.add(kind, location, f"{subject}now {'required' if now else 'optional'}", breaking=now)

    def request_body(self, where: str, old: Any, new: Any) -> None:
        old_content = _content(old)
        new_content = _content(new)
        location = f"{where} request"
        if not old_content and not new_content:
            return
        if not old_content:
            required = bool(new.get("required"))
            self.add(
                "request-body-added",
                location,
                f"{'required' if required else 'optional'} request body added ({', '.join(sorted(new_content))})",
                breaking=required,
            )
            return
        if not new_content:
            self.add("request-body-removed", location, "request body removed", breaking=True)
            return
        self.required_change("request-body-required-changed", location, "request body ", old, new)
        self.media_types(location, "request", old_content, new_content)

    def responses(self, where: str, old: Any, new: Any) -> None:
        before = old if isinstance(old, Mapping) else {}
        after = new if isinstance(new, Mapping) else {}
        for status in sorted({str(key) for key in before} | {str(key) for key in after}):
            old_response = self.old.resolve(_get(before, status))
            new_response = self.new.resolve(_get(after, status))
            location = f"{where} response {status}"
            success = status.startswith("2")
            if new_response is None:
                self.add("response-status-removed", location, "status removed", breaking=success)
                continue
            if old_response is None:
                self.add("response-status-added", location, "status added", breaking=success)
                continue
            self.media_types(location, "response", _content(old_response), _content(new_response))

    def media_types(
        self,
        location: str,
        direction: Literal["request", "response"],
        before: Mapping[str, Mapping[str, Any]],
        after: Mapping[str, Mapping[str, Any]],
    ) -> None:
        """The media types of a request or response body: removed, added, or kept with their fields compared."""
        for media_type in sorted(before.keys() | after.keys()):
            where = f"{location} {media_type}"
            if media_type not in after:
                self.add(f"{direction}-media-type-removed", where, "media type removed", breaking=True)
            elif media_type not in before:
                self.add(f"{direction}-media-type-added", where, "media type added", breaking=False)
            else:
                self.fields(where, direction, before[media_type].get("schema"), after[media_type].get("schema"))


def _operations(resolver: _Resolver) -> dict[tuple[str, str], _Operation]:
    """Operations by (template, method); `{id}` and `{actionId}` are one template, as on the wire."""
    found: dict[tuple[str, str], _Operation] = {}
    for path, raw_item in (resolver.document.get("paths") or {}).items():
        item = resolver.resolve(raw_item)
        if not isinstance(item, Mapping):
            continue
        template = re.sub(r"\{[^}]*\}", "{}", str(path))
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, Mapping):
                found[(template, method)] = (method, str(path), item, operation)
    return found


def _named(text: str, operation: Mapping[str, Any]) -> str:
    operation_id = operation.get("operationId")
    return f"{text} ({operation_id})" if operation_id else text


def _get(mapping: Mapping[Any, Any], status: str) -> Any:
    # YAML reads an unquoted 200 as an integer key.
    if status in mapping:
        return mapping[status]
    return mapping.get(int(status)) if status.isdigit() else None


def _content(node: Any) -> dict[str, Mapping[str, Any]]:
    if not isinstance(node, Mapping):
        return {}
    content = node.get("content") or {}
    return {str(key): value if isinstance(value, Mapping) else {} for key, value in content.items()}


def _parameter_schema(parameter: Mapping[str, Any]) -> Any:
    if "schema" in parameter:
        return parameter["schema"]
    content = _content(parameter)
    return next(iter(content.values())).get("schema") if content else None


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """The client-visible changes from `old` to `new`, sorted (by location, then kind)."""
    differ = _Differ(old, new)
    differ.operations()
    return sorted(set(differ.changes), key=lambda change: change.sort_key)


# ------------------------------------------------------------------------------------------------ reports


def version_of(document: Mapping[str, Any]) -> str:
    info = document.get("info")
    return str(info.get("version", "?")) if isinstance(info, Mapping) else "?"


def _versions(old_version: str, new_version: str) -> str:
    # A curated spec can change while NP6's version stays the same (operations documented later): "8.1.0 -> 8.1.0"
    # would read as a bump that is not one.
    if old_version == new_version:
        return f"{new_version}, spec revision"
    return f"{old_version} -> {new_version}"


def text_report(old_version: str, new_version: str, changes: list[Change]) -> str:
    breaking = [change for change in changes if change.breaking]
    others = [change for change in changes if not change.breaking]
    versions = _versions(old_version, new_version)
    if not changes:
        return f"API diff {versions}: no client-visible change\n"
    lines = [f"API diff {versions}: {len(changes)} change(s), {len(breaking)} breaking"]
    for title, group in (("Breaking", breaking), ("Non-breaking", others)):
        if group:
            lines += ["", f"{title}:"]
            lines += [f"  - {change.location}: {change.description} [{change.kind}]" for change in group]
    return "\n".join(lines) + "\n"


def section_title(old_version: str, new_version: str, date: dt.date) -> str:
    """`NP6 API 8.1.0 -> 8.2.0 (2026-12-01)`, or `NP6 API 8.1.0, spec revision (2026-11-26)` within one version."""
    return f"NP6 API {_versions(old_version, new_version)} ({date.isoformat()})"


def markdown_section(old_version: str, new_version: str, changes: list[Change], date: dt.date) -> str:
    """The `### NP6 API ...` subsection of a version in CHANGELOG.md, its Breaking and Non-breaking lists below."""
    lines = [f"### {section_title(old_version, new_version, date)}"]
    for title, breaking in (("Breaking", True), ("Non-breaking", False)):
        group = [change for change in changes if change.breaking is breaking]
        lines += ["", f"#### {title}", ""]
        lines += [f"- `{change.location}`: {change.description} [`{change.kind}`]" for change in group] or ["- None"]
    return "\n".join(lines) + "\n"


def insert_under_unreleased(path: Path, section: str) -> None:
    """Put `section` (a `### NP6 API ...` subsection) in the `## [Unreleased]` section of the changelog at `path`.

    It goes above the NP6 API subsections already there, which keeps them newest first, or else at the end of the
    section, below np6's own changes. A missing `## [Unreleased]` is created above the newest release (below the
    title and its introduction), a missing title or file too. The rest of the file is kept as it is.
    """
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    if not lines or not lines[0].startswith("# "):
        lines = [CHANGELOG_TITLE, "", *lines]
    block = section.strip("\n").splitlines()
    start = next((index for index, line in enumerate(lines) if _is_unreleased(line)), None)
    if start is None:
        # Above the newest release; with none yet, above the link definitions that end the file.
        first = next((index for index, line in enumerate(lines) if line.startswith("## ")), None)
        at = _before_trailer(lines, 1, len(lines)) if first is None else first
        block = [UNRELEASED, "", *block]
    else:
        end = next((index for index in range(start + 1, len(lines)) if lines[index].startswith("## ")), len(lines))
        newest = next((index for index in range(start + 1, end) if lines[index].startswith(API_SUBSECTION)), None)
        at = _before_trailer(lines, start + 1, end) if newest is None else newest
    path.write_text(_splice(lines, at, block), encoding="utf-8")


def _is_unreleased(line: str) -> bool:
    return line.rstrip().lower() == UNRELEASED.lower()


def _before_trailer(lines: list[str], lowest: int, end: int) -> int:
    """The index, in lines[lowest:end], just past the last line that is neither blank nor a link definition."""
    while end > lowest and (not lines[end - 1].strip() or _LINK_DEFINITION.match(lines[end - 1])):
        end -= 1
    return end


def _splice(lines: list[str], at: int, block: list[str]) -> str:
    """The text of `lines` with `block` inserted at `at`, one blank line on each side of it."""
    before = "\n".join(lines[:at]).rstrip("\n")
    after = "\n".join(lines[at:]).strip("\n")
    text = f"{before}\n\n" + "\n".join(block) + "\n"
    return f"{text}\n{after}\n" if after else text


@dataclass(frozen=True)
class SpecUpdate:
    """The API diff of one regeneration, computed before anything is written so that a failure writes nothing."""

    old_version: str
    new_version: str
    changes: list[Change]
    date: dt.date

    @property
    def report(self) -> str:
        return text_report(self.old_version, self.new_version, self.changes)

    @property
    def section(self) -> str:
        return markdown_section(self.old_version, self.new_version, self.changes, self.date)

    def record(self, changelog: Path, echo: Callable[[str], None] = print) -> None:
        echo(self.report.rstrip("\n"))
        insert_under_unreleased(changelog, self.section)
        title = section_title(self.old_version, self.new_version, self.date)
        echo(f"{changelog.name}: added `### {title}` under `{UNRELEASED}`.")


def spec_update(
    previous: Mapping[str, Any] | None, current: Mapping[str, Any], *, date: dt.date | None = None
) -> SpecUpdate | None:
    """The diff to record when `current` replaces `previous`; None when the spec did not change (or is new)."""
    if previous is None or previous == current:
        return None
    return SpecUpdate(version_of(previous), version_of(current), diff(previous, current), date or dt.date.today())


# ---------------------------------------------------------------------------------------------------- CLI


def load_document(path: Path) -> dict[str, Any]:
    """An OpenAPI document from YAML or JSON (JSON is YAML)."""
    from ruamel.yaml import YAML  # a dependency of openapi-python-client (the `regen` extra)

    with path.open(encoding="utf-8") as stream:
        document = YAML(typ="safe", pure=True).load(stream)
    if not isinstance(document, dict):
        raise ValueError(f"{path}: not an OpenAPI document")
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", type=Path, help="the previous OpenAPI document (YAML or JSON)")
    parser.add_argument("new", type=Path, help="the new OpenAPI document")
    parser.add_argument("--markdown", action="store_true", help="print the CHANGELOG.md subsection instead")
    parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="date of the subsection (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    try:
        old, new = load_document(args.old), load_document(args.new)
    except Exception as exc:  # unreadable file or bad YAML: one line, not a traceback
        print(f"api_diff: {exc}".splitlines()[0], file=sys.stderr)
        return 2
    changes = diff(old, new)
    if args.markdown:
        print(markdown_section(version_of(old), version_of(new), changes, args.date or dt.date.today()), end="")
    else:
        print(text_report(version_of(old), version_of(new), changes), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
