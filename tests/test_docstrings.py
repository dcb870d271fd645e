"""Every public module, class, function, method, property and exception of np6 has a docstring: what the API
snapshot lists (`scripts/api_snapshot.py`), the resources as users reach them (`client.actions.send`), and the
model classes of `np6.models`. `help()` shows it on the classes themselves (`help(np6.Client.actions.send)`)."""

from __future__ import annotations

import importlib
import inspect
import pydoc
from collections.abc import Iterator
from typing import Any

import np6
import pytest

from tests.scripts.support import load_script

MODULES = ("np6", "np6.models", "np6.sandbox")
RESOURCES = ("actions", "targets", "fields", "segments", "events")
# Dunders whose documentation is Python's own: they do what the protocol says.
PROTOCOL = {"__init__", "__call__", "__iter__", "__getitem__", "__len__", "__repr__", "__eq__", "__hash__"}


def _documented(value: Any) -> bool:
    if inspect.isclass(value):  # its own: `inspect.getdoc` would show a base class's text for an undocumented one
        doc = vars(value).get("__doc__")
        generated = f"{value.__name__}("  # what dataclasses write when a class has no docstring
        return bool(doc and doc.strip() and not doc.startswith(generated))
    doc = value.__doc__ if isinstance(value, property) else inspect.getdoc(value)
    return bool(doc and doc.strip())


def _class_members(cls: type) -> Iterator[tuple[str, Any]]:
    snapshot = load_script("api_snapshot.py", "api_snapshot")
    for name, value in sorted(snapshot._own_namespace(cls).items()):
        if name.startswith("_"):
            continue
        if isinstance(value, (staticmethod, classmethod)):
            yield name, value.__func__
        elif (
            isinstance(value, property)
            or inspect.isfunction(value)
            or (inspect.isdatadescriptor(value) and type(value).__module__.startswith("np6"))
        ):
            yield name, value


def _public_api() -> Iterator[tuple[str, Any]]:
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        yield module_name, module
        for name in module.__all__:
            value = getattr(module, name)
            if not (inspect.isclass(value) or inspect.isroutine(value)):
                continue  # constants and type aliases: documented where they are defined, in the reference pages
            label = f"{module_name}.{name}"
            yield label, value
            if inspect.isclass(value) and module_name != "np6.models":  # generated: the class's docstring only
                for member, attribute in _class_members(value):
                    yield f"{label}.{member}", attribute
    for client in (np6.Client, np6.AsyncClient):
        for resource in RESOURCES:
            kind = getattr(client, resource)
            yield f"{client.__name__}.{resource}", kind
            for name in dir(kind):
                if not name.startswith("_") and callable(method := getattr(kind, name)):
                    yield f"{client.__name__}.{resource}.{name}", method


def test_every_public_member_has_a_docstring() -> None:
    members = dict(_public_api())
    assert len(members) > 350
    missing = sorted(label for label, value in members.items() if not _documented(value))
    assert not missing, f"{len(missing)} of {len(members)} public members have no docstring:\n" + "\n".join(missing)


@pytest.mark.parametrize("client", [np6.Client, np6.AsyncClient])
def test_help_works_on_the_resources_at_class_level(client: type[np6.Client]) -> None:
    text = pydoc.render_doc(client.actions.send, renderer=pydoc.plaintext)
    assert "timeout" in text
    assert "Send the action to one recipient" in text
    assert client.actions.__name__.endswith("Actions")
    assert "send_many" in pydoc.render_doc(client.actions, renderer=pydoc.plaintext)
