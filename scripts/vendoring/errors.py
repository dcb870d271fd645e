"""The failures vendor.py expects, and the exit code of each."""

from __future__ import annotations

__all__ = ["EXIT_DIFFERS", "EXIT_OK", "EXIT_REFUSED", "EXIT_WRITE_FAILED", "VendorError"]

EXIT_OK = 0
EXIT_DIFFERS = 1
EXIT_REFUSED = 2
EXIT_WRITE_FAILED = 3


class VendorError(Exception):
    """An expected failure: the message is for the user, `code` is the exit code."""

    def __init__(self, message: str, code: int = EXIT_REFUSED) -> None:
        super().__init__(message)
        self.code = code
