"""The defaults of a batch send, apart from the code that sends: `send_many`'s signature and the command line's
options need them, and importing them must not load the send machinery (reports, journal, sqlite3) a client
that never sends in batches does not use."""

from __future__ import annotations

__all__ = ["DEFAULT_BATCH_SIZE", "DEFAULT_CONCURRENCY", "MAX_BATCH_SIZE"]

# NP6 documents no limit per call. 500 is what a production integration settled on: a request body of ~50 KB,
# an answer within seconds, and a failure that leaves at most 500 messages to look at.
DEFAULT_BATCH_SIZE = 500
DEFAULT_CONCURRENCY = 4
MAX_BATCH_SIZE = 10_000
