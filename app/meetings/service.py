"""load → state.apply → persist (commit) → publish. The one path every change takes."""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import json
import logging
import secrets
import weakref
from collections import OrderedDict
from typing import Any

from anyio import to_thread
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from app.accounts import new_token, token_hash, user_for_token
from app.audit.log import AUDITED_EVENTS, record
from app.db import transaction
from app.errors import AppError
from app.meetings import repository as repo
from app.meetings import schemas as s
from app.meetings.creation import create_meeting
from app.meetings.domain import MeetingState, evolve
from app.meetings.models import Event, Meeting, Participant
from app.meetings.projection import project
from app.meetings.retention import delete_meeting
from app.meetings.state import Context, apply, can_draft, iso, join
from app.realtime.hub import Hub, StoredEvent

__all__ = ["MeetingService", "create_meeting", "event_frame"]

CACHE_SIZE = 500
# How long an op may wait for the database before its sender hears "unavailable" (and sends it
# again later): a stalled database must not leave the scribe looking at a silent screen.
OP_DEADLINE = 5.0
UNAVAILABLE = "The service is unavailable for a moment. Try again soon."
log = logging.getLogger("avoin.service")
DIGITS = frozenset("0123456789")  # not str.isdigit: that takes "１" and other scripts' digits
HIDDEN_ACTOR = frozenset({"silent.written"})


def _audit_detail(data: dict[str, Any]) -> str:
    """Which participant or entry an audited event was about: ids only, never text."""
    target = data.get("participant") or data.get("entry")
    if isinstance(target, dict):
        target = target.get("id")
    kind = data.get("kind")
    return " ".join(str(x) for x in (target, kind) if x)


def _shuffled(items: list[str]) -> list[str]:
    """A round's order when the chair names none: chance, not who sits nearest the door."""
    order = list(items)
    secrets.SystemRandom().shuffle(order)
    return order


def subject_of(name: str, data: dict[str, Any]) -> str | None:
    """The participant an event is about, where a lobby socket must hear of it."""
    if name == "participant.admitted":
        return data["participant"]["id"]
    if name == "participant.removed":
        return data["participant"]
    return None


def event_frame(row: Event | repo.AppendedEvent) -> StoredEvent:
    """Serialise a stored event once, as every recipient will get it."""
    at = row.at.replace(tzinfo=dt.UTC)
    # Who wrote a silent thought is not told before the reveal (the writer knows its op id).
    actor = None if row.name in HIDDEN_ACTOR else row.actor
    frame = (
        f'{{"type":"event","seq":{row.seq},"name":{json.dumps(row.name)},'
        f'"id":{json.dumps(row.op_id)},"actor":{json.dumps(actor)},'
        f'"at":"{iso(at)}","data":{row.data_json}}}'
    )
    data = json.loads(row.data_json) if row.name.startswith("participant.") else {}
    return StoredEvent(row.seq, row.name, subject_of(row.name, data), frame)


class MeetingService:
    """Every change to a meeting, in order, committed before anyone hears of it."""

    def __init__(
        self,
        engine: Engine,
        hub: Hub | None = None,
        retention_days: int = 30,
        op_deadline: float = OP_DEADLINE,
    ) -> None:
        self.engine = engine
        self.op_deadline = op_deadline
        self._orphans: set[asyncio.Future[None]] = set()
        self.hub = hub
        self.retention = dt.timedelta(days=retention_days)
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        # The state after the last event this process wrote or read, per meeting. It is used only
        # when the meeting's seq in the database still matches, so another instance's write
        # simply means a reload.
        self._cache: OrderedDict[str, tuple[int, MeetingState]] = OrderedDict()

    def _lock(self, meeting_id: str) -> asyncio.Lock:
        lock = self._locks.get(meeting_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[meeting_id] = lock
        return lock

    def _state(self, session: Session, meeting: Meeting) -> MeetingState:
        cached = self._cache.get(meeting.id)
        if cached is not None and cached[0] == meeting.last_seq:
            self._cache.move_to_end(meeting.id)
            return cached[1]
        self._cache.pop(meeting.id, None)
        return repo.load_state(session, meeting)

    def _remember(self, seq: int, state: MeetingState) -> None:
        self._cache[state.id] = (seq, state)
        self._cache.move_to_end(state.id)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    async def _publish(self, meeting_id: str, event: StoredEvent) -> None:
        if self.hub is not None:
            await self.hub.publish_event(meeting_id, event)

    # -- ops ---------------------------------------------------------------------------------

    async def handle(self, meeting_id: str, actor_id: str, op: s.Op) -> tuple[StoredEvent, bool]:
        """Apply one op: the committed event and True, or for a resend the original and False.

        Raises AppError("unavailable") when the database does not answer within the deadline:
        the op is not acknowledged, and the client sends it again (a resend is idempotent)."""
        lock = self._lock(meeting_id)
        try:
            async with asyncio.timeout(self.op_deadline):
                await lock.acquire()
        except TimeoutError:
            raise AppError("unavailable", UNAVAILABLE) from None
        work = asyncio.ensure_future(to_thread.run_sync(self._apply_once, meeting_id, actor_id, op))
        try:
            stored, fresh = await asyncio.wait_for(asyncio.shield(work), self.op_deadline)
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
        try:
            if fresh:
                await self._publish(meeting_id, stored)
        finally:
            lock.release()
        return stored, fresh

    async def _finish_orphan(
        self, meeting_id: str, work: asyncio.Future[tuple[StoredEvent, bool]], lock: asyncio.Lock
    ) -> None:
        try:
            stored, fresh = await work
            if fresh:
                await self._publish(meeting_id, stored)
        except Exception:
            log.error("an op that outlived its deadline failed")
        finally:
            lock.release()
            self._orphans.discard(asyncio.current_task())  # type: ignore[arg-type]

    def _apply_once(self, meeting_id: str, actor_id: str, op: s.Op) -> tuple[StoredEvent, bool]:
        try:
            return self._apply(meeting_id, actor_id, op)
        except IntegrityError:
            # Another instance applied the same op id at the same moment: answer with it.
            self._cache.pop(meeting_id, None)
            return self._apply(meeting_id, actor_id, op)

    def _apply(self, meeting_id: str, actor_id: str, op: s.Op) -> tuple[StoredEvent, bool]:
        try:
            with transaction(self.engine) as session:
                previous = repo.event_for_op(session, meeting_id, op.id)
                if previous is not None:
                    if previous.actor != actor_id:
                        raise AppError("invalid", "That op id is already used.")
                    return event_frame(previous), False
                meeting = repo.lock_meeting(session, meeting_id)
                state = self._state(session, meeting)
                now = dt.datetime.now(dt.UTC)
                ctx = Context(
                    now=now,
                    new_id=lambda: repo.new_id("e"),
                    shuffle=_shuffled,
                    new_token=new_token,
                    retention=self.retention,
                )
                event = apply(state, op, actor_id, ctx)
                row = repo.append_event(
                    session,
                    meeting,
                    name=event.name,
                    data=event.data,
                    actor=actor_id,
                    op_id=op.id,
                    at=now,
                )
                full = {**event.data, **event.private}
                project(session, meeting, row, full)
                if event.name in AUDITED_EVENTS:
                    record(
                        session,
                        AUDITED_EVENTS[event.name],
                        actor=f"participant:{actor_id}",
                        role=state.participants[actor_id].kind,
                        meeting_id=meeting_id,
                        detail=_audit_detail(event.data),
                    )
                if isinstance(op, s.FeedbackSubmit):
                    scores = op.model_dump(include={"heard", "next", "together", "comment"})
                    family = state.participants[actor_id].family
                    repo.store_feedback(session, meeting_id, scores, family)
                session.flush()
                stored = event_frame(row)
        except BaseException:
            self._cache.pop(meeting_id, None)
            raise
        evolve(state, event.name, full, actor_id)
        self._remember(stored.seq, state)
        return stored, True

    async def join(
        self, meeting_id: str, code: str, name: str, role_label: str, family: bool
    ) -> tuple[dict[str, Any], str]:
        """Knock with the join code: the new participant (in the lobby) and their cookie value."""
        async with self._lock(meeting_id):
            result = await to_thread.run_sync(
                self._join, meeting_id, code, name, role_label, family
            )
            participant, token, stored = result
            await self._publish(meeting_id, stored)
        return participant, token

    def _join(
        self, meeting_id: str, code: str, name: str, role_label: str, family: bool
    ) -> tuple[dict[str, Any], str, StoredEvent]:
        try:
            with transaction(self.engine) as session:
                meeting = repo.lock_meeting(session, meeting_id)
                given = "".join(ch for ch in code if ch in DIGITS)
                if not hmac.compare_digest(given, meeting.join_code):
                    raise AppError("not_found", "No meeting has that code. Please check it.")
                state = self._state(session, meeting)
                pid = repo.new_id("p")
                event = join(state, pid, name, role_label, family)
                token = new_token()
                person = event.data["participant"]
                session.add(
                    Participant(
                        id=pid,
                        meeting_id=meeting_id,
                        name=person["name"],
                        role_label=person["role_label"],
                        family=family,
                        token_hash=token_hash(token),
                    )
                )
                session.flush()
                row = repo.append_event(
                    session,
                    meeting,
                    name=event.name,
                    data=event.data,
                    actor=pid,
                    op_id=None,
                    at=dt.datetime.now(dt.UTC),
                )
                record(session, "meeting.join", actor=f"participant:{pid}", meeting_id=meeting_id)
                session.flush()
                stored = event_frame(row)
        except BaseException:
            self._cache.pop(meeting_id, None)
            raise
        evolve(state, event.name, event.data, pid)
        self._remember(stored.seq, state)
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

    # -- reading -------------------------------------------------------------------------------

    async def state(self, meeting_id: str) -> tuple[int, MeetingState]:
        """The meeting's seq and state, consistent with each other."""
        async with self._lock(meeting_id):
            return await to_thread.run_sync(self._read_state, meeting_id)

    def _read_state(self, meeting_id: str) -> tuple[int, MeetingState]:
        with Session(self.engine) as session:
            meeting = repo.get_meeting(session, meeting_id)
            state = self._state(session, meeting)
            self._remember(meeting.last_seq, state)
            return meeting.last_seq, state

    async def snapshot(
        self, meeting_id: str, lang: str, viewer: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        """`{"seq", "state"}` as the API and the socket give it, as this viewer may see it."""
        seq, state = await self.state(meeting_id)
        online = self.hub.online(meeting_id) if self.hub else frozenset()
        return seq, state.snapshot(online, lang, viewer)

    async def snapshot_frame(self, meeting_id: str, lang: str, viewer: str) -> tuple[int, str]:
        seq, body = await self.snapshot(meeting_id, lang, viewer)
        frame = json.dumps({"type": "snapshot", "seq": seq, "state": body}, ensure_ascii=False)
        return seq, frame

    async def events_since(self, meeting_id: str, since: int, limit: int) -> list[StoredEvent]:
        def read() -> list[StoredEvent]:
            with Session(self.engine) as session:
                rows = repo.events_since(session, meeting_id, since, limit)
                return [event_frame(r) for r in rows]

        return await to_thread.run_sync(read)

    async def head(self, meeting_id: str) -> int:
        def read() -> int:
            with Session(self.engine) as session:
                return repo.get_meeting(session, meeting_id).last_seq

        return await to_thread.run_sync(read)

    async def is_closed(self, meeting_id: str) -> bool:
        """Whether the chair has closed the meeting (its record locked)."""
        cached = self._cache.get(meeting_id)
        if cached is not None and cached[1].status == "closed":
            return True
        return (await self.state(meeting_id))[1].status == "closed"

    async def authenticate(
        self,
        meeting_id: str,
        *,
        participant_token: str | None,
        session_token: str | None,
        screen_token: str | None,
    ) -> Participant | None:
        """The participant a credential stands for in this meeting, or None."""

        def read() -> Participant | None:
            with Session(self.engine) as session:
                meeting = session.get(Meeting, meeting_id)
                if meeting is None:
                    return None
                if screen_token:
                    if hmac.compare_digest(screen_token, meeting.screen_token):
                        return repo.screen_of(session, meeting_id)
                    return None
                if participant_token:
                    found = repo.participant_by_token(
                        session, meeting_id, token_hash(participant_token)
                    )
                    if found is not None and not found.removed:
                        return found
                user = user_for_token(session, session_token)
                if user is not None and user.id is not None:
                    return repo.professional_in(session, meeting_id, user.id)
                return None

        return await to_thread.run_sync(read)
