"""How long a record is kept: delete one meeting at once, or every meeting past its date."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import Engine, delete
from sqlmodel import Session, col, select

from app.audit.log import record
from app.db import transaction
from app.meetings.models import (
    Entry,
    Event,
    Feedback,
    FeedbackMark,
    Meeting,
    Participant,
    Private,
    ScreenKey,
    SilentItem,
    SummaryLink,
)

log = logging.getLogger("avoin.retention")

# Every table that holds a meeting's rows, children before the meeting itself.
MEETING_TABLES = (
    Event,
    Entry,
    Participant,
    SilentItem,
    Feedback,
    FeedbackMark,
    SummaryLink,
    ScreenKey,
    Private,
)


def delete_meeting(session: Session, meeting_id: str) -> None:
    """Delete a meeting and everything of it; nothing of it remains but the audit line."""
    for table in MEETING_TABLES:
        session.execute(delete(table).where(col(table.meeting_id) == meeting_id))
    session.execute(delete(Meeting).where(col(Meeting.id) == meeting_id))


def _table_names() -> list[str]:
    """The tables a meeting's rows live in."""
    return [str(getattr(model, "__tablename__")) for model in (*MEETING_TABLES, Meeting)]  # noqa: B009


def scrub(engine: Engine) -> None:
    """Make deleted rows unreadable from the database's files: on SQLite (secure_delete is on for
    every connection) the write-ahead log, which still holds the old pages, is copied back and
    truncated; on PostgreSQL the meeting tables are vacuumed (outside a transaction), so that
    the dead rows' space is reclaimed."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    tables = ", ".join(_table_names())
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"VACUUM {tables}")


def expired(session: Session, now: dt.datetime) -> list[str]:
    stmt = select(Meeting.id).where(
        col(Meeting.retain_until).is_not(None), col(Meeting.retain_until) < now
    )
    return list(session.exec(stmt).all())


def purge_expired(engine: Engine, now: dt.datetime | None = None) -> list[str]:
    """Delete every meeting past its retention date: the purge job. Returns the ids deleted."""
    moment = now or dt.datetime.now(dt.UTC)
    with Session(engine) as session:
        ids = expired(session, moment)
    for meeting_id in ids:
        with transaction(engine) as session:
            delete_meeting(session, meeting_id)
            record(session, "meeting.purge", actor="system", meeting_id=meeting_id)
    if ids:
        scrub(engine)
        log.info("purged %d meeting(s) past their retention date", len(ids))
    return ids
