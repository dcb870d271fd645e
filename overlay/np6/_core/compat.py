"""Work-arounds for behaviour of our dependencies, each naming the upstream report it waits on."""

from __future__ import annotations

import importlib.util
import sys

__all__ = ["remember_missing_sniffio"]


def remember_missing_sniffio() -> None:
    """Make a missing `sniffio` cost one lookup per process instead of one per async request.

    httpcore 1.0 imports `sniffio` inside `current_async_library()`, called for every lock, event and semaphore
    of an async request; since anyio 4.11 no longer installs sniffio, each call is a failed import that searches
    sys.path again (Python does not cache failed imports): about 15% of an async batch send's CPU time.
    Upstream: encode/httpcore discussion #1102, pull request #1103. A `None` entry in `sys.modules` makes the
    import fail at once, and only when the module is really absent, so nothing that could import it changes.
    """
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]
