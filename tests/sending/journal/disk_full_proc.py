"""A full disk under a journaled send_many, for test_resume.py: RLIMIT_FSIZE (the largest file this process
may write) stands for the disk filling up, at a different journal write for each limit.

    python disk_full_proc.py DIRECTORY LIMIT [LIMIT ...]

For each limit: a send of 600 messages (batches of 50) to an in-process fake NP6, with a journal in DIRECTORY,
under that file-size limit; then, without the limit, the journal is read and the same send resumed. Prints one JSON
object per limit: what send_many raised, whether its partial report was reachable, and what the journal and the
resume say against what the fake server processed.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import signal
import sys
from collections import Counter

import httpx
import np6

ACTION = "000ABC"
MESSAGES = [f"user{i}@example.com" for i in range(600)]


def main() -> None:
    directory, limits = sys.argv[1], [int(a) for a in sys.argv[2:]]
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing us
    for limit in limits:
        print(json.dumps(trial(os.path.join(directory, f"send-{limit}.np6journal"), limit)), flush=True)


def trial(journal: str, limit: int) -> dict[str, object]:
    processed: Counter[str] = Counter()

    def answer(request: httpx.Request) -> httpx.Response:
        values = [m["recipient"]["value"][0] for m in json.loads(request.content)]
        processed.update(values)
        results = [
            {"type": "success", "id": f"M-{v}", "recipient": {"type": "footprint", "id": f"T-{v}", "unicity": v}}
            for v in values
        ]
        return httpx.Response(200, json=results, headers={"x-request-id": "r"})

    result: dict[str, object] = {"limit": limit}
    report: np6.SendReport | None = None
    unlimited = resource.getrlimit(resource.RLIMIT_FSIZE)
    with np6.Client("k", base_url="http://127.0.0.1", transport=httpx.MockTransport(answer)) as client:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, unlimited[1]))
        try:
            report = client.actions.send_many(ACTION, MESSAGES, channel="email", batch_size=50, journal=journal)
            result["raised"] = None
        except BaseException as error:  # reported, not judged, here
            result["raised"] = type(error).__name__
            result["message"] = str(error)[:300]
            report = np6.SendInterrupted.report_of(error)
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, unlimited)
        result["report"] = report is not None
        result["processed_by_the_send"] = len(processed)  # before the resume below sends the rest
        sent_once = set(processed)
        if report is not None:
            result["report_failed_but_processed"] = sum(
                1 for item in report if item.outcome is np6.Outcome.FAILED and item.recipient["value"][0] in sent_once
            )
            result["report_complete"] = sum(report.counts.values()) == len(report)
        result["locked_after"] = False
        try:
            try:
                recorded = np6.SendReport.open(journal)
            except np6.JournalLockedError:  # the failed send's connection, not closed: released when collected
                result["locked_after"] = True
                del report
                gc.collect()
                recorded = np6.SendReport.open(journal)
            result["journal_failed_but_processed"] = sum(
                1 for item in recorded if item.outcome is np6.Outcome.FAILED and item.recipient["value"][0] in sent_once
            )
            result["journal_processed_missing"] = len(
                sent_once - {item.recipient["value"][0] for item in recorded if item.recipient}
            )
        except np6.JournalError as error:
            result["journal_error"] = str(error)[:200]
        try:
            final = client.actions.send_many(ACTION, MESSAGES, channel="email", batch_size=50, journal=journal)
            result["resumed"] = final.counts
        except np6.NP6Error as error:
            result["resume_error"] = f"{type(error).__name__}: {str(error)[:200]}"
    result["processed"] = len(processed)
    result["processed_twice"] = sum(1 for count in processed.values() if count > 1)
    return result


if __name__ == "__main__":
    main()
