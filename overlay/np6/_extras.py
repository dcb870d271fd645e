"""What each optional part of np6 needs, and the one line that says how to install it when it is missing.

`import np6` needs httpx and attrs only. The sandbox and the command line need more; without it, users get one
line naming the extra to install instead of a `ModuleNotFoundError` from deep inside a dependency.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator

__all__ = ["EXTRA_OF", "MissingExtraError", "extra_imports", "missing_extra"]

# The top-level module each extra brings -> the extra that brings it.
EXTRA_OF = {
    "openapi_schema_validator": "sandbox",
    "referencing": "sandbox",
    "jsonschema": "sandbox",
    "jsonschema_rs": "sandbox",
    "rfc3339_validator": "sandbox",
    "rich": "cli",
    "argcomplete": "cli",
}


class MissingExtraError(ModuleNotFoundError):
    """A part of np6 whose extra is not installed; the message says which and how to install it (a
    `ModuleNotFoundError`, so that the usual `except ModuleNotFoundError` guard still catches it)."""


def missing_extra(error: ModuleNotFoundError, part: str) -> MissingExtraError | None:
    """The error to raise instead of `error`, when `error` is a dependency of an extra missing; None otherwise (a
    missing module of np6 itself, or of the user's code, is not an install problem to paper over)."""
    top = (error.name or "").partition(".")[0]
    extra = EXTRA_OF.get(top)
    if extra is None:
        return None
    return MissingExtraError(
        f"{part} needs the '{extra}' extra ({top} is not installed): pip install 'np6-cm[{extra}]'", name=top
    )


@contextlib.contextmanager
def extra_imports(part: str) -> Generator[None, None, None]:
    """Around the imports `part` needs from its extra: a missing one raises the one-line `MissingExtraError`."""
    try:
        yield
    except ModuleNotFoundError as error:
        hint = missing_extra(error, part)
        if hint is None:
            raise
        raise hint from None
