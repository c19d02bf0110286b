"""Reading a meeting: its state (cached per meeting), snapshots, missed events, credentials."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from anyio import CapacityLimiter, to_thread
from sqlalchemy import Connection, Engine, Row
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app.accounts import token_hash
from app.audit.log import record
from app.db import lock_taken, transaction
from app.meetings import repository as repo
from app.meetings import socket_reads
from app.meetings.domain import MeetingState
from app.meetings.guards import iso
from app.meetings.models import Event
from app.meetings.summary_link import with_url
from app.realtime.hub import Hub, StoredEvent

CACHE_SIZE = 500


class MeetingLock(asyncio.Lock):
    """A meeting's lock, which also tells whether anyone is waiting for it: a lock free with no
    one waiting is taken at once, without arming a deadline (an op's hot path)."""

    def __init__(self) -> None:
        super().__init__()
        self.wanted = 0

    async def acquire(self) -> Literal[True]:
        self.wanted += 1
        try:
            return await super().acquire()
        finally:
            self.wanted -= 1

    def free(self) -> bool:
        """Whether `acquire` would take the lock without waiting."""
        return not self.locked() and not self.wanted


T = TypeVar("T")
HIDDEN_ACTOR = frozenset({"silent.written"})


def subject_of(name: str, data: dict[str, Any]) -> str | None:
    """The participant an event is about, where a lobby socket must hear of it."""
    subject: str | None = None
    if name == "participant.admitted":
        subject = data["participant"]["id"]
    elif name == "participant.removed":
        subject = data["participant"]
    return subject


def event_frame(row: Event | repo.AppendedEvent | Row[Any], key: str = "") -> StoredEvent:
    """Serialise a stored event once, as every recipient will get it (a shared summary with its
    path, made with the secret `key` from the link id the log keeps)."""
    at = row.at.replace(tzinfo=dt.UTC)
    data_json = row.data_json
    if row.name == "summary.shared":
        shown = with_url(json.loads(data_json), key)
        data_json = json.dumps(shown or {"expires_at": None}, ensure_ascii=False)
    # Who wrote a silent thought is not told before the reveal (the writer knows its op id).
    actor = None if row.name in HIDDEN_ACTOR else row.actor
    frame = (
        f'{{"type":"event","seq":{row.seq},"name":{json.dumps(row.name)},'
        f'"id":{json.dumps(row.op_id)},"actor":{json.dumps(actor)},'
        f'"at":"{iso(at)}","data":{data_json}}}'
    )
    data = json.loads(row.data_json) if row.name.startswith("participant.") else {}
    return StoredEvent(row.seq, row.name, subject_of(row.name, data), frame)


# The live path's own worker threads: the pages' handlers share anyio's default forty, and a flood
# of them (a login's password hash takes a tenth of a second) must never make an op, a knock or a
# socket's read wait for a free thread.
LIVE_THREADS = 16


class MeetingReads:
    """The reading half of the meeting service, and the per-meeting locks and state cache that
    the writing half shares."""

    @property
    def threads(self) -> CapacityLimiter:
        """The live path's worker threads (made on first use, inside the running loop)."""
        limiter: CapacityLimiter | None = self.__dict__.get("_threads")
        if limiter is None:
            limiter = self.__dict__["_threads"] = CapacityLimiter(LIVE_THREADS)
        return limiter

    engine: Engine
    loop_engine: Engine | None
    link_key: str  # the secret the family's summary tokens are made with
    hub: Hub | None
    _locks: weakref.WeakValueDictionary[str, MeetingLock]
    # The state after the last event this process wrote or read, per meeting. It is used only
    # when the meeting's seq in the database still matches, so another instance's write
    # simply means a reload.
    _cache: OrderedDict[str, tuple[int, MeetingState]]

    def _lock(self, meeting_id: str) -> MeetingLock:
        lock = self._locks.get(meeting_id)
        if lock is None:
            lock = MeetingLock()
            self._locks[meeting_id] = lock
        return lock

    def _state(self, session: Session, meeting_id: str, seq: int) -> MeetingState:
        """The state at `seq`: the cached one when it is that, else read from the tables."""
        cached = self._cache.get(meeting_id)
        if cached is not None and cached[0] == seq:
            self._cache.move_to_end(meeting_id)
            return cached[1]
        self._cache.pop(meeting_id, None)
        return repo.load_state(session, repo.get_meeting(session, meeting_id))

    def _remember(self, seq: int, state: MeetingState) -> None:
        self._cache[state.id] = (seq, state)
        self._cache.move_to_end(state.id)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    async def _read(self, work: Callable[[Connection], T]) -> T:
        """A read on SQLite right here on the event loop (a WAL reader never waits for a writer,
        and the read is shorter than a thread's wake-up); elsewhere, or in the rare moment a
        checkpoint holds SQLite's read lock, in a worker thread."""
        if self.loop_engine is not None:
            try:
                with self.loop_engine.connect() as conn:
                    return work(conn)
            except OperationalError as exc:
                if not lock_taken(exc):
                    raise

        def in_thread() -> T:
            with self.engine.connect() as conn:
                return work(conn)

        return await to_thread.run_sync(in_thread, limiter=self.threads)

    # -- reading -------------------------------------------------------------------------------

    async def state(self, meeting_id: str) -> tuple[int, MeetingState]:
        """The meeting's seq and state, consistent with each other."""
        async with self._lock(meeting_id):
            cached = self._cache.get(meeting_id)
            # Nearly always current: one indexed read of the seq confirms it.
            if cached is not None and cached[0] == await self._read(
                lambda conn: socket_reads.last_seq(conn, meeting_id)
            ):
                self._cache.move_to_end(meeting_id)
                return cached
            return await to_thread.run_sync(self._read_state, meeting_id, limiter=self.threads)

    def _read_state(self, meeting_id: str) -> tuple[int, MeetingState]:
        with Session(self.engine) as session:
            seq = repo.head_seq(session, meeting_id)
            state = self._state(session, meeting_id, seq)
            self._remember(seq, state)
            return seq, state

    async def snapshot(
        self, meeting_id: str, lang: str, viewer: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        """`{"seq", "state"}` as the API and the socket give it, as this viewer may see it."""
        seq, state = await self.state(meeting_id)
        online = self.hub.online(meeting_id) if self.hub else frozenset()
        body = state.snapshot(online, lang, viewer)
        body["process"]["summary"] = with_url(body["process"]["summary"], self.link_key)
        return seq, body

    async def snapshot_frame(self, meeting_id: str, lang: str, viewer: str) -> tuple[int, str]:
        seq, body = await self.snapshot(meeting_id, lang, viewer)
        frame = json.dumps({"type": "snapshot", "seq": seq, "state": body}, ensure_ascii=False)
        return seq, frame

    async def audit_view(self, meeting_id: str, viewer: str, role: str) -> None:
        """A read of a closed (locked) record is logged, over HTTP and over the live socket
        alike: the family may ask who looked."""

        def write() -> None:
            with transaction(self.engine) as session:
                record(
                    session,
                    "record.view",
                    actor=f"participant:{viewer}",
                    role=role,
                    meeting_id=meeting_id,
                )

        await to_thread.run_sync(write, limiter=self.threads)

    async def events_since(self, meeting_id: str, since: int, limit: int) -> list[StoredEvent]:
        def read(conn: Connection) -> list[StoredEvent]:
            return [
                event_frame(r, self.link_key)
                for r in socket_reads.events_since(conn, meeting_id, since, limit)
            ]

        return await self._read(read)

    async def authenticate(
        self,
        meeting_id: str,
        *,
        participant_token: str | None,
        session_token: str | None,
        screen_token: str | None,
    ) -> socket_reads.Viewer | None:
        """Who a credential stands for in this meeting (and whether it is closed), or None.

        A screen's key is asked for on its own (the screen's page says so): a chair's browser
        that opened the screen too holds both cookies, and its own page is still the chair's."""

        def read(conn: Connection) -> socket_reads.Viewer | None:
            if screen_token is not None:
                return socket_reads.screen_viewer(conn, meeting_id, token_hash(screen_token))
            if participant_token:
                found = socket_reads.viewer_by_token(
                    conn, meeting_id, token_hash(participant_token)
                )
                if found is not None:
                    return found
            if session_token:
                return socket_reads.professional_viewer(conn, meeting_id, token_hash(session_token))
            return None

        return await self._read(read)
