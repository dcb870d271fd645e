"""`send_many` and what it stands on: batching, the run's bookkeeping, the report, the journal, reconcile."""
