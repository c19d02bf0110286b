"""A live socket's reads on a bare connection: its credential, the meeting's seq, what it missed.

Prebuilt Core statements: a phone's reconnect reads all three, and thousands reconnect at once
after a network blip."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, func
from sqlalchemy import select as sa_select
from sqlmodel import col

from app.accounts import UserSession
from app.clock import utcnow
from app.errors import AppError
from app.meetings.models import Event, Meeting, Participant, ScreenKey


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who a credential stands for in one meeting, and whether that meeting is closed."""

    id: str
    kind: str
    user_id: int | None
    admitted: bool
    closed: bool


_VIEWER = (
    col(Participant.id),
    col(Participant.kind),
    col(Participant.user_id),
    col(Participant.admitted),
    col(Participant.removed),
    col(Meeting.status),
)
_IN_MEETING = col(Meeting.id) == col(Participant.meeting_id)
_OF_MEETING = col(Participant.meeting_id) == bindparam("meeting")
_BY_TOKEN = (
    sa_select(*_VIEWER)
    .join_from(Participant, Meeting, _IN_MEETING)
    .where(_OF_MEETING, col(Participant.token_hash) == bindparam("hash"))
)
_SCREEN = (
    sa_select(*_VIEWER)
    .join_from(Participant, Meeting, _IN_MEETING)
    .join(ScreenKey, col(ScreenKey.meeting_id) == col(Participant.meeting_id))
    .where(
        _OF_MEETING,
        col(Participant.kind) == "screen",
        col(ScreenKey.token_hash) == bindparam("hash"),
        col(ScreenKey.link) == False,  # noqa: E712 - a link's key is only traded, never used
    )
)
_PROFESSIONAL = (
    sa_select(*_VIEWER, col(UserSession.expires_at))
    .join_from(Participant, Meeting, _IN_MEETING)
    .join(UserSession, col(UserSession.user_id) == col(Participant.user_id))
    .where(
        _OF_MEETING,
        col(UserSession.token_hash) == bindparam("hash"),
        col(Participant.removed) == False,  # noqa: E712 - SQL, not Python truthiness
    )
)
# The head seq is the log's own: the highest seq of the meeting's events (read from the unique
# index on (meeting_id, seq)), NULL before the first; no row when there is no such meeting. A
# counter of its own would be one more row written, one more page of the database, per op.
HEAD_SEQ = sa_select(
    sa_select(func.max(col(Event.seq)))
    .where(col(Event.meeting_id) == col(Meeting.id))
    .scalar_subquery()
).where(col(Meeting.id) == bindparam("meeting"))
_EVENTS_SINCE = (
    sa_select(
        col(Event.seq),
        col(Event.name),
        col(Event.op_id),
        col(Event.actor),
        col(Event.at),
        col(Event.data_json),
    )
    .where(col(Event.meeting_id) == bindparam("meeting"), col(Event.seq) > bindparam("since"))
    .order_by(col(Event.seq))
    .limit(bindparam("limit"))
)


def _viewer(row: Any) -> Viewer:
    return Viewer(row.id, row.kind, row.user_id, row.admitted, row.status == "closed")


def viewer_by_token(conn: Connection, meeting_id: str, hashed: str) -> Viewer | None:
    """The participant whose cookie hashes to `hashed`, unless removed."""
    row = conn.execute(_BY_TOKEN, {"meeting": meeting_id, "hash": hashed}).first()
    return None if row is None or row.removed else _viewer(row)


def screen_viewer(conn: Connection, meeting_id: str, hashed: str) -> Viewer | None:
    """The meeting's shared screen, if `hashed` is one of its devices' keys."""
    row = conn.execute(_SCREEN, {"meeting": meeting_id, "hash": hashed}).first()
    return None if row is None else _viewer(row)


def professional_viewer(conn: Connection, meeting_id: str, hashed: str) -> Viewer | None:
    """The participant a logged-in professional is in a meeting they opened (their login is
    their credential there; after handing the chair over they stay in as a participant)."""
    row = conn.execute(_PROFESSIONAL, {"meeting": meeting_id, "hash": hashed}).first()
    if row is None or row.expires_at < utcnow():
        return None
    return _viewer(row)


def last_seq(conn: Connection, meeting_id: str) -> int:
    """The meeting's head seq."""
    row = conn.execute(HEAD_SEQ, {"meeting": meeting_id}).first()
    if row is None:
        raise AppError("not_found", "No such meeting.")
    return int(row[0] or 0)


def events_since(conn: Connection, meeting_id: str, since: int, limit: int) -> list[Any]:
    """Events after `since`, in order (rows with the columns `event_frame` reads)."""
    params = {"meeting": meeting_id, "since": since, "limit": limit}
    return list(conn.execute(_EVENTS_SINCE, params).all())
