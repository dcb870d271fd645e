#!/usr/bin/env python3
"""The public API of `np6` as text: every exported name, its signature, the public members of classes, and the
exception tree. `tests/scripts/test_api_snapshot.py` compares it with the committed `api/np6.txt`, so a change to the
public surface is always a decision, never an accident.

    .venv/bin/python scripts/api_snapshot.py            # print the current snapshot
    .venv/bin/python scripts/api_snapshot.py --update   # write it to api/np6.txt (after an intended change)
    .venv/bin/python scripts/api_snapshot.py --check    # exit 1 and show the diff when they differ
"""

from __future__ import annotations

import argparse
import difflib
import enum
import importlib
import inspect
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "api" / "np6.txt"
MODULES = ("np6", "np6.sandbox")


_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def _signature(value: Any) -> str:
    try:
        text = str(inspect.signature(value))
    except (TypeError, ValueError):
        return "(...)"
    return _ADDRESS.sub("", text)  # default values that are functions print their (run-dependent) address


def _exported_classes() -> set[type]:
    modules = [importlib.import_module(name) for name in MODULES]
    return {value for module in modules for name in module.__all__ if inspect.isclass(value := getattr(module, name))}


def _own_namespace(cls: type) -> dict[str, Any]:
    """The class's members plus those it inherits from np6 bases that are not exported themselves: such a base
    (the clients' shared constructor) is part of what users call, though they cannot name it."""
    exported = _exported_classes()
    namespace: dict[str, Any] = {}
    for base in reversed(cls.__mro__):
        if base is cls or (base.__module__.startswith("np6") and base not in exported):
            namespace.update(vars(base))
    return namespace


def _members(cls: type) -> list[str]:
    lines = []
    if issubclass(cls, enum.Enum):
        return [f"    {member.name} = {member.value!r}" for member in cls]
    for name, value in sorted(_own_namespace(cls).items()):
        if name.startswith("_") and name not in ("__init__", "__call__", "__iter__", "__getitem__", "__len__"):
            continue
        if isinstance(value, property) or (
            inspect.isdatadescriptor(value) and type(value).__module__.startswith("np6")
        ):
            lines.append(f"    {name}: property")
        elif isinstance(value, (staticmethod, classmethod)):
            lines.append(f"    {name}{_signature(value.__func__)}  [{type(value).__name__}]")
        elif inspect.isfunction(value):
            prefix = "async " if inspect.iscoroutinefunction(value) or inspect.isasyncgenfunction(value) else ""
            lines.append(f"    {prefix}{name}{_signature(value)}")
    return lines


def _describe(module: ModuleType, name: str) -> list[str]:
    value = getattr(module, name)
    if inspect.isclass(value):
        bases = ", ".join(base.__name__ for base in value.__bases__ if base is not object)
        return [f"class {name}({bases})", *_members(value)]
    if inspect.isfunction(value):
        return [f"def {name}{_signature(value)}"]
    if inspect.ismodule(value):
        return [f"module {name}"]
    return [f"{name}: {type(value).__name__} = {value!r}"]


def _exception_tree(module: ModuleType) -> list[str]:
    errors = [getattr(module, name) for name in module.__all__]
    errors = [e for e in errors if inspect.isclass(e) and issubclass(e, BaseException)]
    lines: list[str] = []

    def walk(cls: type, depth: int) -> None:
        lines.append("  " * depth + cls.__name__)
        for child in sorted((e for e in errors if cls in e.__bases__), key=lambda e: e.__name__):
            walk(child, depth + 1)

    for root in sorted((e for e in errors if not any(b in errors for b in e.__bases__)), key=lambda e: e.__name__):
        walk(root, 0)
    return lines


def _methods(resource: object) -> list[str]:
    """A resource's public methods as its users call them (operations are descriptors over flows, so the class
    alone does not show them), written as methods of the class."""
    lines = []
    for name in sorted(n for n in dir(type(resource)) if not n.startswith("_")):
        member = getattr(resource, name)
        if not callable(member):
            continue
        prefix = "async " if inspect.iscoroutinefunction(member) or inspect.isasyncgenfunction(member) else ""
        parameters = _signature(member)
        lines.append(f"    {prefix}{name}(self{', ' if not parameters.startswith('()') else ''}{parameters[1:]}")
    return lines


def _resources() -> list[str]:
    """The resources a client exposes (`client.actions`, ...), sync and async, found on real client objects."""
    import np6

    lines: list[str] = []
    for client in (
        np6.Client("snapshot", base_url="http://127.0.0.1"),
        np6.AsyncClient("snapshot", base_url="http://127.0.0.1"),
    ):
        lines.append(f"# {type(client).__name__} resources")
        for attribute in sorted(n for n in dir(client) if not n.startswith("_")):
            value = getattr(client, attribute)
            cls = type(value)
            if attribute.startswith("_") or not cls.__module__.startswith("np6._resources") or inspect.isroutine(value):
                continue
            lines.append(f"{type(client).__name__}.{attribute}: {cls.__name__}")
            lines.extend(_methods(value))
        lines.append("")
    return lines


def snapshot() -> str:
    lines: list[str] = []
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        lines.append(f"# {module_name}")
        for name in sorted(module.__all__):
            lines.extend(_describe(module, name))
        lines.append("")
    lines.extend(_resources())
    lines.append("# exception tree (np6)")
    lines.extend(_exception_tree(importlib.import_module("np6")))
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--update", action="store_true", help="write the snapshot to api/np6.txt")
    mode.add_argument("--check", action="store_true", help="compare with api/np6.txt")
    args = parser.parse_args()
    current = snapshot()
    if args.update:
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(current, encoding="utf-8")
        print(f"wrote {SNAPSHOT.relative_to(ROOT)}")
        return 0
    if args.check:
        committed = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
        if committed == current:
            print("the public API matches api/np6.txt")
            return 0
        sys.stdout.writelines(
            difflib.unified_diff(committed.splitlines(True), current.splitlines(True), "api/np6.txt", "now")
        )
        return 1
    sys.stdout.write(current)
    return 0


if __name__ == "__main__":
    sys.exit(main())
