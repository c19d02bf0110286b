"""load → state.apply → persist (commit) → publish. The one path every change takes."""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import logging
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from typing import Any

import psycopg
from anyio import to_thread
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, UnboundExecutionError
from sqlmodel import Session

from app.accounts import new_token, token_hash
from app.audit.log import record
from app.db import HeldConnection, lock_taken, transaction
from app.errors import AppError
from app.meetings import repository as repo
from app.meetings import schemas as s
from app.meetings.changes import Change
from app.meetings.creation import create_meeting
from app.meetings.domain import MeetingState
from app.meetings.evolve import apply_changes
from app.meetings.projection import store
from app.meetings.reading import MeetingLock, MeetingReads, T, event_frame
from app.meetings.retention import delete_meeting, scrub
from app.meetings.state import Event, can_draft, join
from app.meetings.writing import resent, settled, written
from app.pipelined import Late, PipelinedWriter, Refused, Unanswered
from app.prepared import Batch, NeedsDatabase
from app.realtime.hub import Hub, StoredEvent

__all__ = ["MeetingService", "create_meeting", "event_frame"]

# How long an op may wait for the database before its sender hears "unavailable" (and sends it
# again later): a stalled database must not leave the scribe looking at a silent screen.
OP_DEADLINE = 5.0
UNAVAILABLE = "The service is unavailable for a moment. Try again soon."
log = logging.getLogger("avoin.service")
LobbyCheck = Callable[[MeetingState], None]


class MeetingService(MeetingReads):
    """Every change to a meeting, in order, committed before anyone hears of it."""

    def __init__(
        self,
        engine: Engine,
        hub: Hub | None = None,
        retention_days: int = 30,
        op_deadline: float = OP_DEADLINE,
        loop_engine: Engine | None = None,
        link_key: str = "",
    ) -> None:
        self.engine = engine
        self.link_key = link_key
        # SQLite only: one connection of its own for ops applied on the event loop, which never
        # waits for a lock (busy timeout 0) nor for the pool.
        self.loop_engine = loop_engine
        # Its one connection, held: an op on the loop begins and commits on it directly.
        self._held = HeldConnection(loop_engine) if loop_engine is not None else None
        # PostgreSQL: ops on a meeting whose state this process holds, in one round trip.
        postgres = engine.dialect.name == "postgresql"
        self._pipelined = PipelinedWriter(engine) if postgres else None
        self.op_deadline = op_deadline
        self._orphans: set[asyncio.Future[None]] = set()
        self.hub = hub
        self.retention = dt.timedelta(days=retention_days)
        self._locks: weakref.WeakValueDictionary[str, MeetingLock] = weakref.WeakValueDictionary()
        # The state after the last event this process wrote or read, per meeting. It is used only
        # when the meeting's seq in the database still matches, so another instance's write
        # simply means a reload.
        self._cache: OrderedDict[str, tuple[int, MeetingState]] = OrderedDict()

    async def _publish(self, meeting_id: str, event: StoredEvent) -> None:
        if self.hub is not None:
            await self.hub.publish_event(meeting_id, event)

    # -- ops ---------------------------------------------------------------------------------

    async def handle(
        self, meeting_id: str, actor_id: str, op: s.Op, mark: str | None = None
    ) -> tuple[StoredEvent, bool]:
        """Apply one op: the committed event and True, or for a resend the original and False.

        `mark` is the sender's feedback mark (`feedback_mark`): feedback needs one.

        Raises AppError("unavailable") when the database does not answer within the deadline:
        the op is not acknowledged, and the client sends it again (a resend is idempotent)."""
        lock = self._lock(meeting_id)
        if lock.free():  # taken at once: no deadline to arm and disarm
            await lock.acquire()
        else:
            try:
                async with asyncio.timeout(self.op_deadline):
                    await lock.acquire()
            except TimeoutError:
                raise AppError("unavailable", UNAVAILABLE) from None
        try:
            done = self._on_loop(self._apply_once, meeting_id, actor_id, op, mark)
            if done is None and self._pipelined is not None:
                done = await self._pipelined_once(self._pipelined, meeting_id, actor_id, op, mark)
            if done is None:
                work = asyncio.ensure_future(
                    to_thread.run_sync(
                        self._apply_once, meeting_id, actor_id, op, mark, limiter=self.threads
                    )
                )
                done = await asyncio.wait_for(asyncio.shield(work), self.op_deadline)
        except Late:
            # The round trip was given up: it may yet commit. The meeting stays locked until the
            # database's turn for it says whether it did (and the event is published if so).
            settled = asyncio.ensure_future(
                to_thread.run_sync(self._committed, meeting_id, op.id, limiter=self.threads)
            )
            self._orphans.add(asyncio.ensure_future(self._finish_orphan(meeting_id, settled, lock)))
            raise AppError("unavailable", UNAVAILABLE) from None
        except TimeoutError:
            # The write goes on in its thread and may yet commit. Until it ends the meeting stays
            # locked: no other op may see the state it is evolving.
            self._orphans.add(asyncio.ensure_future(self._finish_orphan(meeting_id, work, lock)))
            raise AppError("unavailable", UNAVAILABLE) from None
        except DBAPIError:
            lock.release()
            log.error("database unavailable during an op")
            raise AppError("unavailable", UNAVAILABLE) from None
        except BaseException:
            lock.release()
            raise
        stored, fresh = done
        try:
            if fresh:
                await self._publish(meeting_id, stored)
        finally:
            lock.release()
        return stored, fresh

    async def _finish_orphan(
        self,
        meeting_id: str,
        work: Awaitable[tuple[StoredEvent, bool] | None],
        lock: asyncio.Lock,
    ) -> None:
        """An op's write that outlived its deadline: its event published if it committed, then
        the meeting unlocked."""
        try:
            done = await work
            if done is not None and done[1]:
                await self._publish(meeting_id, done[0])
        except Exception:
            log.error("an op that outlived its deadline failed")
        finally:
            lock.release()
            self._orphans.discard(asyncio.current_task())

    def _committed(self, meeting_id: str, op_id: str) -> tuple[StoredEvent, bool] | None:
        with transaction(self.engine) as session:
            return settled(session, meeting_id, op_id, self.link_key)

    async def _pipelined_once(
        self,
        writer: PipelinedWriter,
        meeting_id: str,
        actor_id: str,
        op: s.Op,
        mark: str | None,
    ) -> tuple[StoredEvent, bool] | None:
        """The op applied to the state this process holds and committed in one round trip, or
        None when it must go the long way: the state is not held, the op needs a read or the ORM
        (`NeedsDatabase`), the rules refuse it (the long way tells a resend), or the log refused
        its event (a resend, or another instance wrote first) or the connection failed (then
        nobody knows yet whether it committed: the long way reads what is there, after the
        meeting's turn). Raises Late when the database did not answer within the deadline."""
        cached = self._cache.get(meeting_id)
        if cached is None or isinstance(op, s.FeedbackSubmit):
            return None
        head, state = cached
        batch = Batch(writer.dialect)
        # The meeting's writers on every instance take turns, as on the long way.
        batch.add(repo.TAKE_TURN, {"meeting": meeting_id})
        try:
            stored, given = written(
                batch.session,
                state,
                head + 1,
                actor_id,
                op,
                mark,
                retention=self.retention,
                link_key=self.link_key,
            )
        except (AppError, NeedsDatabase, UnboundExecutionError):
            return None
        try:
            await writer.commit(batch.statements, self.op_deadline)
        except (Refused, Unanswered, psycopg.Error, OSError):
            self._cache.pop(meeting_id, None)
            return None
        except BaseException:
            self._cache.pop(meeting_id, None)
            raise
        return self._committed_to(state, stored, given)

    async def close(self) -> None:
        """Let go of the connections held for ops (at shutdown)."""
        if self._pipelined is not None:
            await self._pipelined.close()

    def _on_loop(self, work: Callable[..., T], *args: Any) -> T | None:
        """On SQLite, `work(*args, engine=<the loop's engine>)` right here on the event loop when
        the write lock is free: a write is a few hundred microseconds there, less than handing it
        to a thread and back. None when there is no loop engine or another transaction holds the
        lock: the loop never waits for it (a request holding it may need the loop to finish), a
        worker thread does."""
        if self.loop_engine is None:
            return None
        try:
            return work(*args, engine=self.loop_engine)
        except OperationalError as exc:
            if lock_taken(exc):
                return None
            raise

    def _write(self, engine: Engine | None) -> AbstractContextManager[Session]:
        """The op's transaction: on the loop's held connection, or a session of `engine`."""
        if self._held is not None and engine is self.loop_engine:
            return self._held.transaction()
        return transaction(engine or self.engine)

    def _apply_once(
        self,
        meeting_id: str,
        actor_id: str,
        op: s.Op,
        mark: str | None = None,
        engine: Engine | None = None,
    ) -> tuple[StoredEvent, bool]:
        # Nearly every op is new: it is applied without looking for its id first. A resend is
        # known by what follows: the log's unique op id refuses its event, or the rules refuse
        # it (the state has moved on since the first time). Then its first outcome is looked up.
        if isinstance(op, s.FeedbackSubmit) and mark is None:
            # Only the feedback form's post carries the credential the mark is made of.
            raise AppError("invalid", "Unknown op.")
        try:
            return self._apply(meeting_id, actor_id, op, mark, engine)
        except AppError:
            with self._write(engine) as session:
                previous = resent(session, meeting_id, actor_id, op, mark, self.link_key)
            if previous is None:
                raise
            return previous, False
        except IntegrityError:
            # The log refused the event: its op id is there already (a resend, or another
            # instance applied the same op at the same moment).
            self._cache.pop(meeting_id, None)
            return self._apply(meeting_id, actor_id, op, mark, engine, resend=True)

    def _apply(
        self,
        meeting_id: str,
        actor_id: str,
        op: s.Op,
        mark: str | None = None,
        engine: Engine | None = None,
        resend: bool = False,
    ) -> tuple[StoredEvent, bool]:
        """The op applied and committed; with `resend`, its first outcome if it had one."""
        try:
            with self._write(engine) as session:
                if resend:
                    previous = resent(session, meeting_id, actor_id, op, mark, self.link_key)
                    if previous is not None:
                        return previous, False
                seq = repo.next_seq(session, meeting_id)
                state = self._state(session, meeting_id, seq - 1)
                stored, given = written(
                    session,
                    state,
                    seq,
                    actor_id,
                    op,
                    mark,
                    retention=self.retention,
                    link_key=self.link_key,
                )
        except AppError:
            # A refusal: the rules are pure and the state is only evolved after the commit, so
            # the cached state is still right (the fuzz tests compare it with the tables).
            raise
        except BaseException:
            self._cache.pop(meeting_id, None)
            raise
        return self._committed_to(state, stored, given)

    def _committed_to(
        self, state: MeetingState, stored: StoredEvent, given: list[Change]
    ) -> tuple[StoredEvent, bool]:
        """The committed event's changes taken by the state this process holds."""
        apply_changes(state, given)
        self._remember(stored.seq, state)
        return stored, True

    async def join(
        self,
        meeting_id: str,
        code: str,
        name: str,
        role_label: str,
        family: bool,
        lobby_check: LobbyCheck | None = None,
        session_token: str | None = None,
    ) -> tuple[dict[str, Any], str]:
        """Knock with the join code: the new participant (in the lobby) and their cookie value.
        `lobby_check` may refuse the knock once the code is right, seeing who waits. A
        professional logged in when knocking is linked to their account, so that their live view
        outlasts the close if they are made the scribe (they may correct the record)."""
        knock = (meeting_id, code, name, role_label, family, lobby_check, session_token)
        async with self._lock(meeting_id):
            # On SQLite a knock is written on the loop, as an op is: a worker thread holding the
            # write lock would send the chair's admits to threads that poll for it.
            result = self._on_loop(self._join, *knock)
            if result is None:
                result = await to_thread.run_sync(self._join, *knock, limiter=self.threads)
            participant, token, stored = result
            await self._publish(meeting_id, stored)
        return participant, token

    def _join(
        self,
        meeting_id: str,
        code: str,
        name: str,
        role_label: str,
        family: bool,
        lobby_check: LobbyCheck | None = None,
        session_token: str | None = None,
        engine: Engine | None = None,
    ) -> tuple[dict[str, Any], str, StoredEvent]:
        try:
            with self._write(engine) as session:
                seq = repo.next_seq(session, meeting_id)
                meeting = repo.get_meeting(session, meeting_id)
                if not hmac.compare_digest(repo.code_digits(code), meeting.join_code):
                    raise AppError("not_found", "No meeting has that code. Please check it.")
                state = self._state(session, meeting_id, seq - 1)
                if lobby_check is not None:
                    lobby_check(state)
                pid = repo.new_id("p")
                user_id = repo.account_to_link(session, meeting_id, session_token)
                knock = join(state, pid, name, role_label, family, account=user_id is not None)
                token = new_token()
                person = knock.data["participant"]
                event = Event(
                    knock.name, knock.data, {"credential": token_hash(token), "user": user_id}
                )
                row, given = store(
                    session, meeting_id, seq, event, pid, None, dt.datetime.now(dt.UTC)
                )
                record(session, "meeting.join", actor=f"participant:{pid}", meeting_id=meeting_id)
                session.flush()
                stored = event_frame(row)
        except BaseException:
            self._cache.pop(meeting_id, None)
            raise
        self._committed_to(state, stored, given)
        return person, token, stored

    async def delete(self, meeting_id: str, actor: str, role: str) -> None:
        """Delete a meeting now (the chair's choice); its sockets are closed everywhere."""

        def work() -> None:
            with transaction(self.engine) as session:
                repo.get_meeting(session, meeting_id)
                delete_meeting(session, meeting_id)
                record(session, "meeting.delete", actor=actor, role=role, meeting_id=meeting_id)

        async with self._lock(meeting_id):
            await to_thread.run_sync(work)
            self._cache.pop(meeting_id, None)
            await to_thread.run_sync(scrub, self.engine)
            if self.hub is not None:
                await self.hub.publish_gone(meeting_id)

    async def check_draft(
        self, meeting_id: str, actor_id: str, phase: str, board: str | None = None
    ) -> None:
        """Raise unless this sender may stream a draft now."""
        # Drafts come several times a second: the cached state is good enough for them (an
        # entry, which is stored, is always checked against the database's state).
        cached = self._cache.get(meeting_id)
        state = cached[1] if cached is not None else (await self.state(meeting_id))[1]
        can_draft(state, actor_id, phase, board)
