"""The HTTP layer under every resource: the sans-IO engine and its drivers, retries, the rate-limit gate,
errors, response metadata, redacted logging and interrupt handling."""
