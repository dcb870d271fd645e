"""How the API reference reads np6: a Griffe extension for the documentation build (mkdocs.yml).

The reference reads the source (annotations and defaults as written, attribute docstrings), but some of what users
call is made at import time, and the source alone does not show it:

- each operation is declared once, `get = operation(_get)`, and every resource class gets a real method from it
  (`np6/_resources/binding.py`); the async twin of a method takes its docstring the same way (`twin_of`);
- some properties are built by a helper (the sandbox's state: `deliveries = _StateProperty(...)`), and the
  clients' resources are `cached_property(Actions)`.

So for each class of `np6`, what the imported class has and the source does not is added from the imported
objects: methods with their signature and docstring, at the line of their declaration (the reference lists
members in source order), and the docstrings of properties. Two rendering details are put right on the way:
interactive examples (`>>>` lines) become code blocks, and the generated package's docstrings, which np6 does not
write, are parsed without warnings.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import re
from typing import Any

import griffe

_DECLARED = re.compile(r"^\s+(\w+)\s*=\s*(?:operation|iteration)\(")
_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: griffe.ParameterKind.positional_only,
    inspect.Parameter.POSITIONAL_OR_KEYWORD: griffe.ParameterKind.positional_or_keyword,
    inspect.Parameter.VAR_POSITIONAL: griffe.ParameterKind.var_positional,
    inspect.Parameter.KEYWORD_ONLY: griffe.ParameterKind.keyword_only,
    inspect.Parameter.VAR_KEYWORD: griffe.ParameterKind.var_keyword,
}


def _runtime_class(cls: griffe.Class) -> type | None:
    try:
        value: Any = importlib.import_module(cls.module.path)
        for part in cls.path.removeprefix(cls.module.path + ".").split("."):
            value = getattr(value, part)
    except (ImportError, AttributeError):
        return None
    return value if inspect.isclass(value) else None


def _declaration_lines(runtime: type) -> dict[str, int]:
    """Where the operations of a class (and of its bases in the same module) are declared, by name."""
    lines: dict[str, int] = {}
    for klass in reversed(runtime.__mro__):
        if klass.__module__ != runtime.__module__:
            continue  # line numbers compare within one file only
        try:
            source, start = inspect.getsourcelines(klass)
        except (OSError, TypeError):
            continue
        for offset, line in enumerate(source):
            if declared := _DECLARED.match(line):
                lines.setdefault(declared[1], start + offset)
    return lines


def _expression(annotation: object, cls: griffe.Class) -> str | griffe.Expr | None:
    """An annotation as Griffe renders one: an expression resolved in the class's module (so that it links), else
    its text."""
    if annotation is inspect.Parameter.empty:
        return None
    text = annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        return text
    return griffe.safe_get_annotation(node, cls) or text


def _docstring(text: str | None, owner: griffe.Object, agent: Any) -> griffe.Docstring | None:
    if not text:
        return None
    return griffe.Docstring(
        inspect.cleandoc(text),
        parent=owner,
        parser=getattr(agent, "docstring_parser", None),
        parser_options=getattr(agent, "docstring_options", None),
    )


def _function(name: str, method: Any, cls: griffe.Class, lineno: int | None, agent: Any) -> griffe.Function:
    signature = inspect.signature(method)
    parameters = griffe.Parameters(
        griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword),
        *(
            griffe.Parameter(
                parameter.name,
                annotation=_expression(parameter.annotation, cls),
                kind=_KINDS[parameter.kind],
                default=None if parameter.default is parameter.empty else repr(parameter.default),
            )
            for parameter in list(signature.parameters.values())[1:]
        ),
    )
    function = griffe.Function(
        name,
        lineno=lineno,
        endlineno=lineno,
        parameters=parameters,
        returns=_expression(signature.return_annotation, cls),
        parent=cls,
        analysis="dynamic",
    )
    function.docstring = _docstring(method.__doc__, function, agent)
    if inspect.iscoroutinefunction(method):
        function.labels.add("async")
    return function


def _is_documented_descriptor(value: object) -> bool:
    """A property, or a descriptor of np6's own that carries its docstring (`report.sent`: `_Tally`)."""
    if isinstance(value, property | functools.cached_property):
        return True
    return hasattr(type(value), "__get__") and isinstance(
        vars(value).get("__doc__") if hasattr(value, "__dict__") else None, str
    )


class RuntimeMembers(griffe.Extension):
    """Adds to each class of np6 what only its imported form has: generated methods, borrowed docstrings."""

    def on_class_members(self, *, node: Any, cls: griffe.Class, agent: Any, **kwargs: Any) -> None:
        if isinstance(node, griffe.ObjectNode) or not cls.path.startswith("np6."):
            return
        runtime = _runtime_class(cls)
        if runtime is None:
            return
        lines = _declaration_lines(runtime)
        for name, value in vars(runtime).items():
            if name.startswith("_"):
                continue
            member = cls.members.get(name)
            # `client.actions`: read on the class, a resource is its own class, which is what it holds; it imports
            # that class on this first read, and documents itself with its docstring from then on.
            held = getattr(runtime, name, None)
            if inspect.isfunction(value):
                if member is None or isinstance(member, griffe.Attribute):
                    cls.set_member(name, _function(name, value, cls, lines.get(name), agent))
                elif isinstance(member, griffe.Function):
                    if not member.runtime:
                        # Typed overloads written for type checkers only: the method itself exists, made from the
                        # operation, so it is listed where the operation is declared, with its docstring.
                        member.runtime = True
                        member.lineno = lines.get(name, member.lineno)
                    if member.docstring is None:
                        member.docstring = _docstring(value.__doc__, member, agent)
            elif _is_documented_descriptor(value) and isinstance(member, griffe.Attribute):
                member.labels = {"property"}
                member.value = None  # the helper that builds it is not what users see
                if member.docstring is None:
                    member.docstring = _docstring(value.__doc__, member, agent)
                if inspect.isclass(held) and member.annotation is None:
                    member.annotation = _expression(held.__name__, cls)


_EXAMPLE = re.compile(r"^(>>>|\.\.\.)( |$)")


def _fence_examples(text: str) -> str:
    """Interactive examples written in prose become pycon code blocks, their doctest directives dropped."""
    lines: list[str] = []
    inside = False
    for line in text.splitlines():
        example = _EXAMPLE.match(line) is not None
        if example and not inside:
            lines.extend(["", "```pycon"])
        elif inside and not example:
            lines.extend(["```", ""])
        inside = example
        lines.append(re.sub(r"\s*# doctest: \+\w+$", "", line) if example else line)
    if inside:
        lines.append("```")
    return "\n".join(lines)


class ReadableDocstrings(griffe.Extension):
    """`>>>` examples as code blocks; the generated package's docstrings parsed without warnings."""

    def on_instance(self, *, node: Any, obj: griffe.Object, agent: Any, **kwargs: Any) -> None:
        docstring = obj.docstring
        if docstring is None:
            return
        if obj.path.startswith("np6_generated."):
            # Written by the code generator (in the Google style the build reads): a warning about them is nothing
            # np6 can act on here.
            docstring.parser_options = griffe.GoogleOptions(warnings=False)
        elif ">>>" in docstring.value:
            docstring.value = _fence_examples(docstring.value)
