"""The public `client.actions` resources. Each method runs one flow of `ActionsFlows`; sync and async share it."""

from __future__ import annotations

import asyncio
import builtins
import datetime as dt
import os
from collections.abc import AsyncIterable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .._content.channel import Channel
from .._content.recipients import RecipientLike
from .._content.sendable import message_channel
from .._core.interrupts import deferring_sigint
from .._sending.batches import DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, ProgressCallback, check_options
from .._sending.journal import Journal
from .._sending.report import SendReport
from .._sending.run import (
    AsyncSource,
    SendRun,
    Source,
    cancel_all,
    check_send_options,
    open_journal,
    raise_stopped,
)
from ..models import (
    Action,
    ContentOverride,
    ExecutionResult,
    LinkDefinition,
    RenderContext,
    RenderLinksResult,
    RenderResult,
)
from .actions import ActionsFlows, MessageLike, ValidationPhase, action_id_of

if TYPE_CHECKING:
    from .._client import AsyncClient, Client

__all__ = ["Actions", "AsyncActions"]


class Actions(ActionsFlows):
    """Action operations of `np6.Client` (e-mail and SMS actions)."""

    _client: Client

    def get(self, action_id: str) -> Action:
        """The action `action_id` (`MailMessageAction`, `SmsMessageAction`, or `UnknownAction` for other types)."""
        return self._client._run(self._get(action_id))

    def list(
        self, *, created_after: dt.datetime | int | None = None, created_before: dt.datetime | int | None = None
    ) -> list[Action]:
        """The account's actions, optionally created in [created_after, created_before). Deprecated by NP6."""
        return self._client._run(self._list(created_after, created_before))

    def create(self, action: Action) -> Action:
        """Create an action (see `np6.email_action()` / `np6.sms_action()`); returns it with its NP6 id."""
        return self._client._run(self._create(action))

    def update(self, action_id: str, action: Action) -> Action:
        """Replace the definition of an action (only drafts can be changed: states 10 and 20)."""
        return self._client._run(self._update(action_id, action))

    def delete(self, action_id: str) -> None:
        return self._client._run(self._delete(action_id))

    def duplicate(self, action_id: str, *, type: int | None = None, folder: int | None = None) -> Action:
        """Copy an action (NP6 names the copy `<name>(1)`, as a new draft)."""
        return self._client._run(self._duplicate(action_id, type, folder))

    def validate(self, action_id: str, *, test_segments: Sequence[int] | None = None) -> tuple[ValidationPhase, ...]:
        """Make the action sendable: runs NP6's test phase then its production phase, as far as its state needs.

        Returns the phases that ran (`()` when the action was already validated for production).
        """
        return self._client._run(self._validate(action_id, test_segments))

    def validate_for_test(
        self,
        action_id: str,
        *,
        test_segments: Sequence[int] | None = None,
        campaign_analyser: bool | None = None,
        media_for_test: str | None = None,
        text_and_html: bool | None = None,
        comments: str | None = None,
        variables: Sequence[dict[str, Any]] | None = None,
    ) -> None:
        """Phase 1 alone: proofs go to the test segments; the action is not sendable yet (state 38)."""
        return self._client._run(
            self._validate_for_test(
                action_id, test_segments, campaign_analyser, media_for_test, text_and_html, comments, variables
            )
        )

    def validate_for_production(self, action_id: str) -> None:
        """Phase 2 alone: after it the action can be sent (state 50)."""
        return self._client._run(self._validate_for_production(action_id))

    def unvalidate(self, action_id: str) -> None:
        """Back to draft (state 20), e.g. to change the content."""
        return self._client._run(self._unvalidate(action_id))

    def send(self, action_id: str, message: MessageLike, *, channel: Channel | str | None = None) -> ExecutionResult:
        """Send the action to one recipient: a unicity string, a `np6.Recipient`, or an e-mail/SMS message builder.

        Returns NP6's result: `ExecutionSuccess` (message id, resolved recipient) or `ExecutionError` (e.g. the
        recipient was not found). `channel` defaults to the message's, else the action's (looked up once).
        """
        return self._client._run(self._send(action_id, message, channel))

    def send_many(
        self,
        action_id: str,
        messages: Iterable[MessageLike],
        *,
        channel: Channel | str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        on_progress: ProgressCallback | None = None,
        journal: str | os.PathLike[str] | None = None,
        resend_unknown: bool = False,
    ) -> SendReport:
        """Send the action to any number of messages, `batch_size` per request, reading `messages` lazily.

        Returns a `SendReport` with exactly one outcome per message, in input order: `sent`, `rejected` (NP6
        refused that message, or the client refused its content), `failed` (not processed: safe to send again,
        see `report.retryable()`) or `unknown` (NP6 may have processed it; never retried automatically). Nothing
        NP6 answers makes it raise. `on_progress(SendProgress)` is called after each batch.

        `journal=PATH` records the send in an SQLite file: each batch before its request, its outcome with the
        next batch's record (see np6/_sending/journal.py for what a crash leaves); calling
        again with the same journal (after a crash, Ctrl-C, an error) resumes: sent and NP6-rejected messages are
        skipped, messages in flight when it stopped stay `unknown` (`resend_unknown=True` sends them again,
        accepting duplicates), the rest is sent. The input must be the same messages in the same order
        (`JournalMismatchError` otherwise, before any request).

        Raises `SendInterrupted` (`SendAborted` when the input or `on_progress` raised, `SendKeyboardInterrupt`
        on Ctrl-C) with the partial report as `.report`.
        """
        action_id = action_id_of(action_id)
        check_options(batch_size)
        check_send_options(on_progress, journal, resend_unknown)
        source = Source(messages)
        opened: list[Journal] = []
        run: SendRun | None = None
        try:
            # Inside the try, so that an interrupt anywhere, even as the deferral ends, still gives the report.
            with deferring_sigint():
                writer = open_journal(journal, action_id, opened)
                items = source.take(batch_size)
                resolved = self._client._run(self._channel(action_id, channel, _first_channel(items)))
                run = SendRun.start(self, action_id, resolved, writer, source, batch_size, on_progress, resend_unknown)
                checked = run.check(items)
                while checked is None:  # resuming: the input is checked against the journal first
                    checked = run.check(source.take(batch_size))
                items = checked
                while run.aborted is None and source.error is None and (work := run.next_resend()) is not None:
                    self._client._run(run.batch(work))
                    run.after_batch()
                while run.aborted is None:
                    if not items and not source.exhausted and source.error is None:
                        items = source.take(batch_size)
                    if source.error is not None:
                        run.input_failed(source, items)
                        items = []
                        break
                    if not items:
                        break
                    work, items = run.new_work(items), []
                    self._client._run(run.batch(work))
                    run.after_batch()
                run.left_over(items)
                return run.finish()
        except BaseException as error:
            raise_stopped(run, source, opened, error)

    def render(
        self,
        action_id: str,
        message: MessageLike,
        *,
        channel: Channel | str | None = None,
        context: RenderContext | None = None,
    ) -> RenderResult:
        """Preview the message one recipient would get; nothing is sent."""
        return self._client._run(self._render(action_id, message, channel, context))

    def render_many(
        self, action_id: str, messages: Iterable[MessageLike], *, channel: Channel | str | None = None
    ) -> builtins.list[RenderResult]:
        """Preview several messages in one call; one result per message, in order."""
        return self._client._run(self._render_many(action_id, messages, channel))

    def render_links(
        self,
        action_id: str,
        receiver: RecipientLike,
        *,
        links: Sequence[LinkDefinition] | None = None,
        data: dict[str, Any] | None = None,
        variables: Sequence[dict[str, Any]] | None = None,
        context: RenderContext | None = None,
    ) -> RenderLinksResult:
        """The tracked links of the action for one receiver. Deprecated by NP6."""
        return self._client._run(self._render_links(action_id, receiver, links, data, variables, context))

    def export_opens(self, action_id: str) -> bytes:
        """Ask NP6 for the list of openers (NP6 answers "No Content"; the body, if any, is returned). Deprecated."""
        return self._client._run(self._export(action_id, "opens"))

    def export_clicks(self, action_id: str) -> bytes:
        """Ask NP6 for the list of clickers (NP6 answers "No Content"; the body, if any, is returned). Deprecated."""
        return self._client._run(self._export(action_id, "clicks"))

    def send_to_target(
        self,
        action_id: str,
        target_id: str,
        *,
        data: dict[str, Any] | None = None,
        content: ContentOverride | None = None,
    ) -> str | None:
        """Legacy send with the target id in the path; returns the message id when NP6 gives one. Deprecated."""
        return self._client._run(self._send_to_target(action_id, target_id, data, content))

    def reconcile(
        self,
        report: SendReport | str | os.PathLike[str],
        *,
        until: dt.datetime | None = None,
        margin: dt.timedelta | None = None,
        kinds: Iterable[str] = ("activation",),
    ) -> SendReport:
        """Settle `unknown` outcomes from NP6's event feed: an unknown message is marked `sent` when an event of
        the send's action proves NP6 processed it (`activation` by default; see `np6._sending.reconcile` for the rules),
        with the event as `MessageOutcome.evidence` (written to the send journal too, when there is one).

        `report`: a `SendReport`, or the path of a send journal (opened with `SendReport.open`). The feed is read
        from the earliest `attempted_at` of the unknown messages minus `margin` (clock skew; default 1 minute) to
        `until` (default: now plus `margin`). `kinds`: the event kinds that count as proof (some of "activation",
        "bounce", "cancellation", "execution"). Absence of an event proves nothing: the others stay `unknown`,
        their reason saying "no event found as of <time>"; NP6 records events late, so run it again later.
        Returns the report (the same object, or the one opened from the journal).
        """
        from .._sending import reconcile as _reconcile

        return _reconcile.reconcile(self._client, report, until=until, margin=margin, kinds=kinds)


class AsyncActions(ActionsFlows):
    """Action operations of `np6.AsyncClient`: the same as `np6.Client`'s, awaited."""

    _client: AsyncClient

    async def get(self, action_id: str) -> Action:
        return await self._client._run(self._get(action_id))

    async def list(
        self, *, created_after: dt.datetime | int | None = None, created_before: dt.datetime | int | None = None
    ) -> list[Action]:
        return await self._client._run(self._list(created_after, created_before))

    async def create(self, action: Action) -> Action:
        return await self._client._run(self._create(action))

    async def update(self, action_id: str, action: Action) -> Action:
        return await self._client._run(self._update(action_id, action))

    async def delete(self, action_id: str) -> None:
        return await self._client._run(self._delete(action_id))

    async def duplicate(self, action_id: str, *, type: int | None = None, folder: int | None = None) -> Action:
        return await self._client._run(self._duplicate(action_id, type, folder))

    async def validate(
        self, action_id: str, *, test_segments: Sequence[int] | None = None
    ) -> tuple[ValidationPhase, ...]:
        return await self._client._run(self._validate(action_id, test_segments))

    async def validate_for_test(
        self,
        action_id: str,
        *,
        test_segments: Sequence[int] | None = None,
        campaign_analyser: bool | None = None,
        media_for_test: str | None = None,
        text_and_html: bool | None = None,
        comments: str | None = None,
        variables: Sequence[dict[str, Any]] | None = None,
    ) -> None:
        return await self._client._run(
            self._validate_for_test(
                action_id, test_segments, campaign_analyser, media_for_test, text_and_html, comments, variables
            )
        )

    async def validate_for_production(self, action_id: str) -> None:
        return await self._client._run(self._validate_for_production(action_id))

    async def unvalidate(self, action_id: str) -> None:
        return await self._client._run(self._unvalidate(action_id))

    async def send(
        self, action_id: str, message: MessageLike, *, channel: Channel | str | None = None
    ) -> ExecutionResult:
        return await self._client._run(self._send(action_id, message, channel))

    async def send_many(
        self,
        action_id: str,
        messages: Iterable[MessageLike] | AsyncIterable[MessageLike],
        *,
        channel: Channel | str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        concurrency: int = DEFAULT_CONCURRENCY,
        on_progress: ProgressCallback | None = None,
        journal: str | os.PathLike[str] | None = None,
        resend_unknown: bool = False,
    ) -> SendReport:
        """`Actions.send_many`, with up to `concurrency` batches in flight (memory: batch_size x concurrency).

        A cancellation propagates as `asyncio.CancelledError` itself; its partial report is
        `np6.SendInterrupted.report_of(error)`.
        """
        action_id = action_id_of(action_id)
        check_options(batch_size, concurrency)
        check_send_options(on_progress, journal, resend_unknown)
        source = AsyncSource(messages)
        opened: list[Journal] = []
        run: SendRun | None = None
        tasks: set[asyncio.Task[None]] = set()
        try:
            writer = open_journal(journal, action_id, opened)
            items = await source.take(batch_size)
            resolved = await self._client._run(self._channel(action_id, channel, _first_channel(items)))
            run = SendRun.start(self, action_id, resolved, writer, source, batch_size, on_progress, resend_unknown)
            checked = run.check(items)
            while checked is None:  # resuming: the input is checked against the journal first
                checked = run.check(await source.take(batch_size))
            items = checked
            await self._send_batches(run, source, items, concurrency, tasks)
            return run.finish()
        except BaseException as error:
            await cancel_all(tasks)
            raise_stopped(run, source, opened, error.interrupt if isinstance(error, _Escalated) else error)

    async def _send_batches(
        self, run: SendRun, source: AsyncSource, items: builtins.list[Any], concurrency: int, tasks: set[Any]
    ) -> None:
        slots = asyncio.Semaphore(concurrency)

        async def send(work: tuple[Any, builtins.list[Any]]) -> None:
            try:
                try:
                    await self._client._run(run.batch(work))
                finally:
                    slots.release()
                run.after_batch()
            except (KeyboardInterrupt, SystemExit) as interrupt:
                # asyncio lets these out of the event loop, past send_many and its report: they travel as a task
                # failure to send_many instead, which raises them with the report.
                raise _Escalated(interrupt) from interrupt

        def reap() -> None:
            # A batch that raised (Ctrl-C, a transport that raised) stops the send; finished tasks stay in `tasks`
            # until looked at here, so no exception is lost.
            for task in [t for t in tasks if t.done()]:
                tasks.discard(task)
                task.result()

        while True:
            # A slot first, then the input: a batch taken from the input starts at once.
            await slots.acquire()
            reap()
            going = run.aborted is None and source.error is None
            work = run.next_resend() if going else None
            if work is None and going and not items:
                items = await source.take(run.batch_size)
            if work is None and run.aborted is None and source.error is not None:
                run.input_failed(source, items)
                items = []
            if work is None and run.aborted is None and items:
                work, items = run.new_work(items), []
            if work is None:
                slots.release()
                break
            tasks.add(asyncio.create_task(send(work)))
        while tasks:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            reap()
        run.left_over(items)

    async def render(
        self,
        action_id: str,
        message: MessageLike,
        *,
        channel: Channel | str | None = None,
        context: RenderContext | None = None,
    ) -> RenderResult:
        return await self._client._run(self._render(action_id, message, channel, context))

    async def render_many(
        self, action_id: str, messages: Iterable[MessageLike], *, channel: Channel | str | None = None
    ) -> builtins.list[RenderResult]:
        return await self._client._run(self._render_many(action_id, messages, channel))

    async def render_links(
        self,
        action_id: str,
        receiver: RecipientLike,
        *,
        links: Sequence[LinkDefinition] | None = None,
        data: dict[str, Any] | None = None,
        variables: Sequence[dict[str, Any]] | None = None,
        context: RenderContext | None = None,
    ) -> RenderLinksResult:
        return await self._client._run(self._render_links(action_id, receiver, links, data, variables, context))

    async def export_opens(self, action_id: str) -> bytes:
        return await self._client._run(self._export(action_id, "opens"))

    async def export_clicks(self, action_id: str) -> bytes:
        return await self._client._run(self._export(action_id, "clicks"))

    async def send_to_target(
        self,
        action_id: str,
        target_id: str,
        *,
        data: dict[str, Any] | None = None,
        content: ContentOverride | None = None,
    ) -> str | None:
        return await self._client._run(self._send_to_target(action_id, target_id, data, content))

    async def reconcile(
        self,
        report: SendReport | str | os.PathLike[str],
        *,
        until: dt.datetime | None = None,
        margin: dt.timedelta | None = None,
        kinds: Iterable[str] = ("activation",),
    ) -> SendReport:
        """`Actions.reconcile`, reading the event feed with `async for`."""
        from .._sending import reconcile as _reconcile

        return await _reconcile.reconcile_async(self._client, report, until=until, margin=margin, kinds=kinds)


class _Escalated(Exception):
    """A KeyboardInterrupt or SystemExit raised in one of send_many's batch tasks, on its way to send_many."""

    def __init__(self, interrupt: BaseException) -> None:
        super().__init__(repr(interrupt))
        self.interrupt = interrupt


def _first_channel(batch: builtins.list[Any]) -> Channel | None:
    """The channel the first batch names, when every message of it is a typed message of one channel.

    Anything less (plain recipients, or a stray message of the other channel) leaves the choice to the action's
    type, looked up once: one odd message must not decide where thousands of others go.
    """
    channels = {message_channel(item) for item in batch}
    return channels.pop() if len(channels) == 1 else None
