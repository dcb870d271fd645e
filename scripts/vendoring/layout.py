"""What a vendored copy is made of: the two packages, their optional parts, the manifest beside them."""

from __future__ import annotations

__all__ = [
    "GENERATED",
    "MANIFEST_NAME",
    "OPTIONAL_MODULES",
    "OPTIONAL_PATHS",
    "OVERLAY",
    "PACKAGES",
    "SKIPPED_DIRS",
    "SKIPPED_SUFFIXES",
]

OVERLAY = "np6"
GENERATED = "np6_generated"
PACKAGES = (OVERLAY, GENERATED)
MANIFEST_NAME = "np6_vendor.json"
# Paths inside the copy (and module names) of the parts that need the optional extras.
OPTIONAL_PATHS = ("np6/sandbox", "np6/_cli", "np6/_command.py", "np6/__main__.py")
OPTIONAL_MODULES = ("np6.sandbox", "np6._cli", "np6._command", "np6.__main__")
SKIPPED_SUFFIXES = (".pyc", ".pyo")
SKIPPED_DIRS = frozenset({"__pycache__"})
