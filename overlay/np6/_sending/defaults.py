"""What `send_many`'s signature names, apart from the code that sends: its defaults and the progress it reports.
The signature and the command line's options need them, also at run time (`typing.get_type_hints`), and
importing them must not load the send machinery (reports, journal, sqlite3) a client that never sends in batches
does not use."""

from __future__ import annotations

from collections.abc import Callable

import attrs

__all__ = ["DEFAULT_BATCH_SIZE", "DEFAULT_CONCURRENCY", "MAX_BATCH_SIZE", "ProgressCallback", "SendProgress"]

# NP6 documents no limit per call. 500 is what a production integration settled on: a request body of ~50 KB,
# an answer within seconds, and a failure that leaves at most 500 messages to look at.
DEFAULT_BATCH_SIZE = 500
DEFAULT_CONCURRENCY = 4
MAX_BATCH_SIZE = 10_000


@attrs.frozen
class SendProgress:
    """Running counts, given to `on_progress` after each batch."""

    sent: int
    rejected: int
    failed: int
    unknown: int
    elapsed: float

    @property
    def done(self) -> int:
        """How many messages have an outcome so far, whichever it is."""
        return self.sent + self.rejected + self.failed + self.unknown


ProgressCallback = Callable[[SendProgress], object]
