"""Reading a meeting: its state (cached per meeting), snapshots, missed events, credentials."""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import json
import weakref
from collections import OrderedDict
from typing import Any

from anyio import to_thread
from sqlalchemy import Engine
from sqlmodel import Session

from app.accounts import token_hash, user_for_token
from app.meetings import repository as repo
from app.meetings.domain import MeetingState
from app.meetings.guards import iso
from app.meetings.models import Event, Meeting, Participant
from app.realtime.hub import Hub, StoredEvent

CACHE_SIZE = 500
HIDDEN_ACTOR = frozenset({"silent.written"})


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


class MeetingReads:
    """The reading half of the meeting service, and the per-meeting locks and state cache that
    the writing half shares."""

    engine: Engine
    hub: Hub | None
    _locks: weakref.WeakValueDictionary[str, asyncio.Lock]
    # The state after the last event this process wrote or read, per meeting. It is used only
    # when the meeting's seq in the database still matches, so another instance's write
    # simply means a reload.
    _cache: OrderedDict[str, tuple[int, MeetingState]]

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
