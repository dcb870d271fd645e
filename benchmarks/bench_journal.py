"""Benchmark 5: what the send journal costs (`send_many(..., journal=PATH)`), against no journal in the same run.

async     bench_async's loopback server (another process, answering each batch after 20 ms): 100,000 messages,
          batches of 500, concurrency 8, with and without a journal (a fresh file in a temporary directory each
          run), in alternating repetitions. Figures: the median time and throughput of each, their spread, the ratio
          of throughputs with/without (target >= 0.95), and the journal file's size.
overhead  bench_overhead's in-process run (sync send_many, 100,000 e-mails, batches of 500, canned answers) with and
          without a journal, alternating: the figure and the ratio with/without (no target).

--explain adds experiments that tell where the journal's time goes and what would win it back, without changing np6
(they monkeypatch its Journal and wrap the transport; every variant of an experiment, the baseline included, goes
through the same wrapped transport). Each journal variant's second line breaks its time down: np6's calls to the
journal's writes (on the event loop, in the async client), the fingerprints, opening and closing the journal (the
close checkpoints the WAL into the file).
  - `PRAGMA synchronous=NORMAL` and `OFF` instead of the shipped FULL (fewer or no fsyncs: less durable);
  - "no prints": the messages' fingerprints (8 bytes of BLAKE2b of each wire form, computed on the event loop
    before each batch) replaced by zeros: what the send would cost if they were derived from the stored request
    bodies when a send is resumed instead of while it runs;
  - "lazy outcomes": a batch's outcome committed with synchronous=NORMAL (written, not synced), on disk with the
    next batch's FULL commit (or the close): one fsync per batch instead of two; a crash may lose the outcomes of
    the batches finished since, which a resume then reports `unknown`;
  - "writer thread": the journal's transactions handed, in order, to a thread of their own that commits (FULL)
    everything queued so far as one transaction (a group commit: one fsync for several writes), and a send
    request handed to the transport only once every write queued before it is committed: the same guarantee as
    shipped (a batch is on disk before its request goes out), with the event loop free meanwhile;
  - "fsync thread": the commits made with synchronous=NORMAL on the event loop (written to the WAL, not synced),
    and, before a request is handed to the transport, one fsync of the WAL file in a thread, shared by every
    commit made since the last one: FULL's guarantee again, the fsync's wait off the event loop (in the sync
    client, the same fsync inline: one per request instead of one per commit);
  - "writer process": as the writer thread, by a process of its own (which opens and locks the journal), sent
    np6's transactions through a pipe; a send request waits for the acknowledgment, which the event loop reads
    from the pipe (no thread, so no wait for the GIL the busy event loop holds);
  - "bound: ... no wait": the writer process without the wait, which is not a safe journal (a request may go
    out before its record is on disk): what the journal would cost if its records were made durable while the
    batch ahead of them is in flight (a batch journaled one slot ahead), so that no request waits for one.

    .venv/bin/python benchmarks/bench_journal.py [--messages 100000] [--rounds 5] [--dir DIR] [--explain]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import gc
import multiprocessing
import os
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any

import httpx
import np6
from _common import ACTION_ID, API_KEY, CannedTransport, addresses, success_results
from bench_async import serve
from np6._sending.batches import _Prepared
from np6._sending.journal import Journal

BATCH = 500
TARGET = 0.95
# The journal's writes: one transaction (one commit) each.
WRITES = ("identify", "add", "split", "start", "finish", "add_final")
# The pool the client builds for itself (np6._client), for the experiments that hand it a transport.
LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=1.0)


# --------------------------------------------------------------------------------------------- experiments


class Tally:
    """What one run's journal cost: time inside its writes (as called by np6) and how many, time computing the
    fingerprints, opening and closing it; SQLite transactions committed by the writer thread (or fsyncs by the
    fsync thread), and how long send requests waited for them in all."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.writes = 0
        self.prints = 0.0
        self.open = 0.0
        self.close = 0.0
        self.commits = 0
        self.waited = 0.0


class _Cursor:
    def __init__(self, lastrowid: int | None) -> None:
        self.lastrowid = lastrowid
        self.rowcount = -1


class _Deferred:
    """Stands in for the journal's sqlite3 connection: each of its transactions (BEGIN IMMEDIATE ... COMMIT) is
    handed on, in order, to be committed elsewhere (`_submit`); a statement outside a transaction (a read) first
    waits for all of them (`_read`). The row ids np6 is given are the ones SQLite assigns (max + 1: batches are
    never deleted), checked at close."""

    def __init__(self, last_id: int) -> None:
        self._group: list[tuple[str, Any, bool]] | None = None
        self._last_id = last_id

    @property
    def in_transaction(self) -> bool:
        return self._group is not None

    def execute(self, sql: str, parameters: Any = ()) -> Any:
        return self._statement(sql, parameters, many=False)

    def executemany(self, sql: str, rows: Any) -> Any:
        return self._statement(sql, list(rows), many=True)

    def _statement(self, sql: str, parameters: Any, *, many: bool) -> Any:
        if sql == "BEGIN IMMEDIATE":
            self._group = []
            return _Cursor(None)
        if sql == "COMMIT":
            assert self._group is not None
            group, self._group = self._group, None
            self._submit(group)
            return _Cursor(None)
        if sql == "ROLLBACK":
            self._group = None
            return _Cursor(None)
        if self._group is None:
            return self._read(sql, parameters, many)
        self._group.append((sql, parameters, many))
        if sql.lstrip().upper().startswith("INSERT INTO BATCHES"):
            self._last_id += len(parameters) if many else 1
        return _Cursor(self._last_id)

    def _submit(self, group: list[tuple[str, Any, bool]]) -> None:
        raise NotImplementedError

    def _read(self, sql: str, parameters: Any, many: bool) -> Any:
        raise NotImplementedError


def _apply(db: sqlite3.Connection, groups: list[list[tuple[str, Any, bool]]]) -> None:
    """Commit transactions as one (a group commit)."""
    db.execute("BEGIN IMMEDIATE")
    for group in groups:
        for sql, parameters, many in group:
            if many:
                db.executemany(sql, parameters)
            else:
                db.execute(sql, parameters)
    db.execute("COMMIT")


def _max_id(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT coalesce(max(id), 0) FROM batches").fetchone()[0])


class QueuedConnection(_Deferred):
    """The transactions committed by a writer thread, everything queued so far as one SQLite transaction."""

    def __init__(self, db: sqlite3.Connection, tally: Tally) -> None:
        super().__init__(_max_id(db))
        self._db = db
        self._tally = tally
        self._cond = threading.Condition()
        self._queue: list[list[tuple[str, Any, bool]]] = []
        self._submitted = 0
        self._committed = 0
        self._waiters: list[tuple[int, asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        self._error: BaseException | None = None
        self._closing = False
        self._thread = threading.Thread(target=self._work, name="journal-writer", daemon=True)
        self._thread.start()

    def _submit(self, group: list[tuple[str, Any, bool]]) -> None:
        with self._cond:
            self._queue.append(group)
            self._submitted += 1
            self._cond.notify_all()

    def _read(self, sql: str, parameters: Any, many: bool) -> Any:
        self.wait()
        return self._db.executemany(sql, parameters) if many else self._db.execute(sql, parameters)

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closing:
                    self._cond.wait()
                if not self._queue:
                    return
                work, self._queue = self._queue, []
            try:
                _apply(self._db, work)
            except BaseException as exc:
                self._error = exc
            with self._cond:
                self._committed += len(work)
                self._tally.commits += 1
                self._cond.notify_all()
                ready = [w for w in self._waiters if w[0] <= self._committed]
                self._waiters = [w for w in self._waiters if w[0] > self._committed]
            for _, loop, future in ready:
                loop.call_soon_threadsafe(_resolve, future)

    def wait(self) -> None:
        """Until every transaction queued so far is committed (blocking)."""
        with self._cond:
            target = self._submitted
            while self._committed < target:
                self._cond.wait()
        if self._error is not None:
            raise self._error

    async def wait_async(self) -> None:
        """The same, awaited: the event loop goes on meanwhile."""
        with self._cond:
            target = self._submitted
            if self._committed >= target:
                return
            future = asyncio.get_running_loop().create_future()
            self._waiters.append((target, asyncio.get_running_loop(), future))
        await future
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        self.wait()
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join()
        assert _max_id(self._db) == self._last_id
        self._db.close()


class _Rows:
    def __init__(self, rows: list[Any]) -> None:
        self._rows = rows

    def fetchone(self) -> Any:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[Any]:
        return self._rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)


def _journal_process(pipe: Connection, path: str, synchronous: str) -> None:
    """The writer process: opens and locks the journal as np6 does, then commits what it is sent, everything
    already sent as one transaction, and answers reads, in order."""
    db = sqlite3.connect(path, isolation_level=None, timeout=0)
    db.execute("PRAGMA locking_mode=EXCLUSIVE")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    db.execute("BEGIN IMMEDIATE")
    db.execute("COMMIT")
    pipe.send(("ready", _max_id(db)))
    done = commits = 0
    while True:
        messages = [pipe.recv()]
        while pipe.poll():
            messages.append(pipe.recv())
        writes: list[list[tuple[str, Any, bool]]] = []
        for kind, *body in [*messages, ("flush",)]:
            if kind == "write":
                writes.append(body[0])
                continue
            if writes:
                _apply(db, writes)
                done, commits = done + len(writes), commits + 1
                pipe.send(("done", done, commits))
                writes = []
            if kind == "read":
                sql, parameters, many = body
                pipe.send(("rows", (db.executemany if many else db.execute)(sql, parameters).fetchall()))
            elif kind == "close":
                assert _max_id(db) == body[0], (_max_id(db), body[0])
                db.close()
                pipe.send(("closed",))
                return


class ProcessConnection(_Deferred):
    """The journal's SQLite connection moved to a process of its own (which takes the journal's lock): np6's
    transactions are sent to it through a pipe, and a send request waits for its acknowledgment, read by the event
    loop from the pipe's file descriptor (no thread, so no wait for the GIL)."""

    def __init__(self, db: sqlite3.Connection, path: str, synchronous: str, tally: Tally) -> None:
        db.close()  # releases the lock, for the writer process to take
        self._pipe, theirs = multiprocessing.Pipe()
        self._process = multiprocessing.Process(target=_journal_process, args=(theirs, path, synchronous))
        self._process.start()
        theirs.close()
        kind, last_id = self._pipe.recv()
        assert kind == "ready"
        super().__init__(last_id)
        self._tally = tally
        self._submitted = 0
        self._committed = 0
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    def _submit(self, group: list[tuple[str, Any, bool]]) -> None:
        # The acknowledgments read first: left unread, they would fill the pipe, and both sides would block
        # sending.
        self._readable()
        self._pipe.send(("write", group))
        self._submitted += 1

    def _receive(self) -> tuple[Any, ...]:
        message: tuple[Any, ...] = self._pipe.recv()
        if message[0] == "done":
            self._committed, self._tally.commits = message[1], message[2]
            ready = [w for w in self._waiters if w[0] <= self._committed]
            self._waiters = [w for w in self._waiters if w[0] > self._committed]
            for _, future in ready:
                _resolve(future)
        return message

    def _readable(self) -> None:
        while self._pipe.poll():
            self._receive()

    def _read(self, sql: str, parameters: Any, many: bool) -> Any:
        self.wait()
        self._pipe.send(("read", sql, parameters, many))
        while (message := self._receive())[0] != "rows":
            pass
        return _Rows(message[1])

    def wait(self) -> None:
        while self._committed < self._submitted:
            self._receive()

    async def wait_async(self) -> None:
        if self._committed >= self._submitted:
            return
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
            self._loop.add_reader(self._pipe.fileno(), self._readable)
        future = self._loop.create_future()
        self._waiters.append((self._submitted, future))
        await future

    def close(self) -> None:
        if self._loop is not None:
            self._loop.remove_reader(self._pipe.fileno())
        self.wait()
        self._pipe.send(("close", self._last_id))
        while self._receive()[0] != "closed":
            pass
        self._process.join()
        self._pipe.close()


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class WalSync:
    """Makes every journal commit made so far durable with one fsync of the WAL file: the commits themselves ran
    with synchronous=NORMAL (written to the WAL, not synced). `tally.writes` counts the commits made."""

    def __init__(self, path: str, tally: Tally) -> None:
        self._path = path + "-wal"
        self._tally = tally
        self._synced = 0
        self._fd: int | None = None
        self._lock: asyncio.Lock | None = None

    def _sync(self) -> None:
        if self._fd is None:
            self._fd = os.open(self._path, os.O_RDWR)
        os.fsync(self._fd)
        self._tally.commits += 1

    def wait(self) -> None:
        target = self._tally.writes
        if self._synced < target:
            self._sync()
            self._synced = target

    async def wait_async(self) -> None:
        """The same, the fsync in a thread: the event loop goes on; requests waiting at once share one fsync."""
        if self._synced >= self._tally.writes:
            return
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            target = self._tally.writes
            if self._synced < target:
                await asyncio.to_thread(self._sync)
                self._synced = max(self._synced, target)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class Durable:
    """What makes the journal being written durable when np6's own commits do not (a writer thread or process, or
    an fsync thread), for the transport to wait on before a send request goes out."""

    def __init__(self) -> None:
        self.current: QueuedConnection | ProcessConnection | WalSync | None = None


ORIGINAL_FINGERPRINTS = _Prepared.fingerprints


def no_fingerprints(self: _Prepared) -> bytes:
    return bytes(8 * self.count)


@contextlib.contextmanager
def patched(variant: Variant, tally: Tally | None, durable: Durable | None) -> Iterator[None]:
    """np6 as `variant` says, its journal's costs timed into `tally` (if given)."""
    saved = {name: Journal.__dict__[name] for name in ("__init__", "close", *WRITES)}
    original_init = saved["__init__"]

    @functools.wraps(original_init)
    def init(self: Journal, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        if variant.synchronous is not None:
            self._db.execute(f"PRAGMA synchronous={variant.synchronous}")
        if durable is not None:
            assert tally is not None
            if variant.thread == "writer":
                durable.current = QueuedConnection(self._db, tally)
                self._db = durable.current  # type: ignore[assignment]
            elif variant.thread == "process":
                durable.current = ProcessConnection(self._db, self.path, variant.synchronous or "FULL", tally)
                self._db = durable.current  # type: ignore[assignment]
            else:
                durable.current = WalSync(self.path, tally)

    original_close = saved["close"]

    @functools.wraps(original_close)
    def close(self: Journal) -> None:
        if durable is not None and isinstance(durable.current, WalSync):
            durable.current.close()
        original_close(self)

    Journal.__init__ = init  # type: ignore[method-assign]
    Journal.close = close  # type: ignore[method-assign]
    if variant.lazy:
        original_finish = saved["finish"]

        @functools.wraps(original_finish)
        def finish(self: Journal, *args: Any, **kwargs: Any) -> None:
            self._db.execute("PRAGMA synchronous=NORMAL")
            try:
                original_finish(self, *args, **kwargs)
            finally:
                self._db.execute("PRAGMA synchronous=FULL")

        Journal.finish = finish  # type: ignore[method-assign]
    prints: Callable[[_Prepared], bytes] = ORIGINAL_FINGERPRINTS if variant.prints else no_fingerprints
    if tally is not None:
        Journal.__init__ = _timed(init, tally, "open")  # type: ignore[method-assign]
        Journal.close = _timed(close, tally, "close")  # type: ignore[method-assign]
        for name in WRITES:
            setattr(Journal, name, _timed(Journal.__dict__[name], tally, "seconds", count=True))
        prints = _timed(prints, tally, "prints")
    _Prepared.fingerprints = prints  # type: ignore[method-assign, assignment]
    try:
        yield
    finally:
        for name, method in saved.items():
            setattr(Journal, name, method)
        _Prepared.fingerprints = ORIGINAL_FINGERPRINTS  # type: ignore[method-assign]


def _timed(method: Callable[..., Any], tally: Tally, field: str, *, count: bool = False) -> Callable[..., Any]:
    @functools.wraps(method)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            setattr(tally, field, getattr(tally, field) + time.perf_counter() - started)
            if count:
                tally.writes += 1

    return timed


class AsyncGate(httpx.AsyncBaseTransport):
    """The client's pool; with a writer or fsync thread, a send request goes out once the journal's writes made
    before it are durable."""

    def __init__(self, durable: Durable | None, tally: Tally) -> None:
        self._inner = httpx.AsyncHTTPTransport(limits=LIMITS)
        self._durable = durable
        self._tally = tally

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._durable is not None and self._durable.current is not None and request.method == "POST":
            started = time.perf_counter()
            await self._durable.current.wait_async()
            self._tally.waited += time.perf_counter() - started
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class SyncGate(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, durable: Durable | None, tally: Tally) -> None:
        self._inner = inner
        self._durable = durable
        self._tally = tally

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._durable is not None and self._durable.current is not None and request.method == "POST":
            started = time.perf_counter()
            self._durable.current.wait()
            self._tally.waited += time.perf_counter() - started
        return self._inner.handle_request(request)


class Variant:
    """One way of running the send: no journal, the journal as shipped, or an experiment (the first two run np6
    unpatched, outside the experiments)."""

    def __init__(
        self,
        name: str,
        journal: bool,
        synchronous: str | None = None,
        *,
        thread: str | None = None,
        prints: bool = True,
        lazy: bool = False,
        wait: bool = True,
    ) -> None:
        self.name = name
        self.journal = journal
        self.synchronous = synchronous  # PRAGMA synchronous; None: as shipped (FULL)
        # "writer": a writer thread commits; "process": a writer process does; "fsync": an fsync thread makes the
        # NORMAL commits durable
        self.thread = thread
        self.prints = prints  # False: fingerprints replaced by zeros
        self.lazy = lazy  # outcomes committed with synchronous=NORMAL: on disk with the next FULL commit
        self.wait = wait  # False: requests do not wait for the writer (a bound, not a safe journal)


NONE = Variant("no journal", False)
FULL = Variant("journal (FULL, as shipped)", True)
EXPERIMENTS = [
    NONE,
    FULL,
    Variant("journal, synchronous=NORMAL", True, "NORMAL"),
    Variant("journal, synchronous=OFF", True, "OFF"),
    Variant("journal, no prints", True, prints=False),
    Variant("journal, lazy outcomes", True, lazy=True),
    Variant("journal, writer thread", True, thread="writer"),
    Variant("journal, fsync thread", True, "NORMAL", thread="fsync"),
    Variant("journal, writer process", True, thread="process"),
    Variant("journal, writer process, no prints", True, thread="process", prints=False),
    Variant("bound: writer process, no prints, no wait", True, thread="process", prints=False, wait=False),
]


class Run:
    def __init__(self, seconds: float, cpu: float, size: int = 0, tally: Tally | None = None) -> None:
        self.seconds = seconds
        self.cpu = cpu  # CPU time of this process (all its threads) during the send
        self.size = size  # bytes of the journal (and its WAL, if left) once the send returned
        self.tally = tally


def journal_size(path: str) -> int:
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))


# ------------------------------------------------------------------------------------------------------ runs


async def run_async(port: int, count: int, concurrency: int, variant: Variant, where: str, explain: bool) -> Run:
    tally = Tally() if explain else None
    durable = Durable() if variant.thread else None
    options: dict[str, Any] = (
        {"transport": AsyncGate(durable if variant.wait else None, tally)} if tally is not None else {}
    )
    with tempfile.TemporaryDirectory(dir=where) as directory:
        path = os.path.join(directory, "send.journal")
        journal = path if variant.journal else None
        async with np6.AsyncClient(API_KEY, base_url=f"http://127.0.0.1:{port}", **options) as client:
            warm = await client.actions.send_many(
                ACTION_ID, addresses(BATCH * concurrency), channel="email", concurrency=concurrency
            )
            warm.close()
            gc.collect()
            with patched(variant, tally, durable) if explain else contextlib.nullcontext():
                started, cpu = time.perf_counter(), time.process_time()
                report = await client.actions.send_many(
                    ACTION_ID,
                    addresses(count),
                    channel="email",
                    batch_size=BATCH,
                    concurrency=concurrency,
                    journal=journal,
                )
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert report.sent == count, report
        report.close()
        return Run(elapsed, cpu, journal_size(path) if journal else 0, tally)


def run_sync(count: int, answers: list[bytes], variant: Variant, where: str, explain: bool) -> Run:
    tally = Tally() if explain else None
    durable = Durable() if variant.thread else None
    transport: httpx.BaseTransport = CannedTransport(answers)
    if tally is not None:
        transport = SyncGate(transport, durable if variant.wait else None, tally)
    with tempfile.TemporaryDirectory(dir=where) as directory:
        path = os.path.join(directory, "send.journal")
        journal = path if variant.journal else None
        gc.collect()
        with patched(variant, tally, durable) if explain else contextlib.nullcontext():
            started, cpu = time.perf_counter(), time.process_time()
            with np6.Client(API_KEY, transport=transport) as client:
                report = client.actions.send_many(
                    ACTION_ID, addresses(count), channel=np6.Channel.EMAIL, batch_size=BATCH, journal=journal
                )
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert report.sent == count, report
        report.close()
        return Run(elapsed, cpu, journal_size(path) if journal else 0, tally)


# --------------------------------------------------------------------------------------------------- figures


def alternate(rounds: int, variants: list[Variant], once: Callable[[Variant], Run]) -> dict[str, list[Run]]:
    """`rounds` repetitions of every variant, the order rotated each round so that drift falls on all alike."""
    runs: dict[str, list[Run]] = {v.name: [] for v in variants}
    for number in range(rounds):
        shift = number % len(variants)
        for variant in variants[shift:] + variants[:shift]:
            runs[variant.name].append(once(variant))
    return runs


def print_pair(runs: dict[str, list[Run]], count: int, target: float | None, ideal: float | None = None) -> None:
    base = [r.seconds for r in runs[NONE.name]]
    with_journal = [r.seconds for r in runs[FULL.name]]
    for variant, times in ((NONE, base), (FULL, with_journal)):
        median = statistics.median(times)
        of_ideal = "" if ideal is None else f" ({ideal / median:.2f} of ideal)"
        cpu = statistics.median(r.cpu for r in runs[variant.name])
        print(
            f"  {variant.name:27s} median {median:.3f} s (min {min(times):.3f}, max {max(times):.3f})"
            f" {count / median:>9,.0f} msg/s{of_ideal}; CPU {cpu:.3f} s"
        )
    ratio = statistics.median(base) / statistics.median(with_journal)
    # The two runs of a round are neighbours in time: their ratios show how far the noise moves the figure.
    pairs = [b / j for b, j in zip(base, with_journal, strict=True)]
    verdict = "" if target is None else f" (target >= {target:.2f}): {'met' if ratio >= target else 'NOT met'}"
    print(f"  throughput with/without journal = {ratio:.3f}{verdict}")
    print(
        f"    per round: median {statistics.median(pairs):.3f}, min {min(pairs):.3f}, max {max(pairs):.3f}"
        f" ({' '.join(f'{p:.3f}' for p in pairs)})"
    )
    wall = statistics.median(with_journal) - statistics.median(base)
    cpu = statistics.median(r.cpu for r in runs[FULL.name]) - statistics.median(r.cpu for r in runs[NONE.name])
    batches = count // BATCH
    print(
        f"  journal cost: {wall:+.3f} s wall ({wall / batches * 1000:+.2f} ms per batch),"
        f" {cpu:+.3f} s CPU ({cpu / batches * 1000:+.2f} ms per batch)"
    )
    size = statistics.median(r.size for r in runs[FULL.name])
    print(f"  journal file: {size / 1024 / 1024:.2f} MiB, {size / count:.0f} bytes per message")


def print_experiments(runs: dict[str, list[Run]], count: int) -> None:
    base = statistics.median(r.seconds for r in runs[NONE.name])
    print(f"  {'variant':42s} {'median':>7s} {'min-max':>12s}  with/without  CPU")
    for variant in EXPERIMENTS:
        times = [r.seconds for r in runs[variant.name]]
        median = statistics.median(times)
        cpu = statistics.median(r.cpu for r in runs[variant.name])
        print(
            f"  {variant.name:42s} {median:6.3f}s {min(times):.3f}-{max(times):.3f}  {base / median:12.3f}  {cpu:.3f}s"
        )
        tallies = [r.tally for r in runs[variant.name] if r.tally is not None]
        if not variant.journal or not tallies:
            continue

        def typical(field: str, tallies: list[Tally] = tallies) -> float:
            return float(statistics.median(getattr(t, field) for t in tallies))

        writes, inside = tallies[0].writes, typical("seconds")
        line = (
            f"    medians: journal writes {inside:.3f} s ({writes} x {inside / writes * 1000:.3f} ms),"
            f" fingerprints {typical('prints'):.3f} s, open {typical('open'):.3f} s,"
            f" close {typical('close'):.3f} s"
        )
        if variant.thread:
            what = {"writer": "writer thread", "fsync": "fsync thread", "process": "writer process"}[variant.thread]
            done = "fsyncs" if variant.thread == "fsync" else "commits"
            line += f"; {what}: {typical('commits'):.0f} {done}, requests waited {typical('waited'):.3f} s in all"
        print(line)


def commit_cost(where: str, rounds: int = 200) -> dict[str, float]:
    """Milliseconds per SQLite commit of a 25 KB row (a batch's request) in WAL mode, in `where`."""
    costs = {}
    row = os.urandom(25_000)
    with tempfile.TemporaryDirectory(dir=where) as directory:
        for level in ("FULL", "NORMAL"):
            db = sqlite3.connect(os.path.join(directory, level), isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(f"PRAGMA synchronous={level}")
            db.execute("CREATE TABLE t (b BLOB)")
            started = time.perf_counter()
            for _ in range(rounds):
                db.execute("BEGIN IMMEDIATE")
                db.execute("INSERT INTO t VALUES (?)", (row,))
                db.execute("COMMIT")
            costs[level] = (time.perf_counter() - started) / rounds * 1000
            db.close()
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.020)
    parser.add_argument("--rounds", type=int, default=5, help="alternating repetitions of each variant")
    parser.add_argument("--dir", help="where the journals are written (default: the system's temporary directory)")
    parser.add_argument("--explain", action="store_true", help="also run the experiments (see above)")
    args = parser.parse_args()
    count = args.messages - args.messages % BATCH
    where = args.dir or tempfile.gettempdir()
    # The machine's state, before and after: the figures depend on the disk's fsync time and on the CPU left.
    disk_before, load_before = commit_cost(where), os.getloadavg()[0]

    ports: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(ports, args.latency), daemon=True)
    server.start()
    try:
        port = ports.get(timeout=10)

        def once_async(variant: Variant, explain: bool = False) -> Run:
            return asyncio.run(run_async(port, count, args.concurrency, variant, where, explain))

        async_runs = alternate(args.rounds, [NONE, FULL], once_async)
        async_experiments = None
        if args.explain:
            async_experiments = alternate(args.rounds, EXPERIMENTS, functools.partial(once_async, explain=True))
    finally:
        server.terminate()

    answers = [success_results(first, BATCH) for first in range(0, count, BATCH)]

    def once_sync(variant: Variant, explain: bool = False) -> Run:
        return run_sync(count, answers, variant, where, explain)

    sync_runs = alternate(args.rounds, [NONE, FULL], once_sync)
    sync_experiments = None
    if args.explain:
        sync_experiments = alternate(args.rounds, EXPERIMENTS, functools.partial(once_sync, explain=True))

    ideal = count / BATCH / args.concurrency * args.latency
    disk_after, load_after = commit_cost(where), os.getloadavg()[0]
    print(f"benchmark 5 - send journal cost: {args.rounds} alternating rounds, journals in {where}")
    print(
        f"  an SQLite commit of 25 KB there (WAL), before/after the runs: FULL {disk_before['FULL']:.3f}/"
        f"{disk_after['FULL']:.3f} ms, NORMAL {disk_before['NORMAL']:.3f}/{disk_after['NORMAL']:.3f} ms;"
        f" load average {load_before:.2f}/{load_after:.2f} on {os.cpu_count()} CPUs"
    )
    print(
        f" async send_many: {count:,} messages, batches of {BATCH}, concurrency {args.concurrency}, loopback server"
        f" latency {args.latency * 1000:.0f} ms (ideal {ideal:.3f} s)"
    )
    print_pair(async_runs, count, TARGET, ideal)
    print(f" in-process (bench_overhead): sync send_many, {count:,} e-mails, batches of {BATCH}, canned answers")
    print_pair(sync_runs, count, None)
    if async_experiments is not None and sync_experiments is not None:
        print(" experiments (monkeypatched Journal, wrapped transport), async as above:")
        print_experiments(async_experiments, count)
        print(" experiments, in-process as above:")
        print_experiments(sync_experiments, count)


if __name__ == "__main__":
    main()
