"""All SQL of the dashboard: the database counts, Python only averages and suppresses.

Only units, frame keys, times and counts leave these queries: never a title, a name or a word
of the record. Every query covers all units of the period, since the suppression is settled
over all of them together (see aggregates).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Select, case, cast, distinct, extract, false, func, union
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from app.accounts import User
from app.dashboard.aggregates import FeedbackCount, HeldMeeting, Month
from app.meetings.models import Entry, Event, Feedback, Meeting, Participant


def _json_text(session: Session, column: Any, *path: str | int) -> ColumnElement[str]:
    """The text at `path` inside a JSON text column, in the database's own dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return func.json_extract_path_text(cast(column, JSON), *(str(p) for p in path))
    where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    return func.json_extract(column, where)


def _network_meeting(session: Session) -> ColumnElement[bool]:
    """A meeting with a family, not a workshop (a training session on a workshop frame)."""
    # The frame is copied into the meeting; one copied before frames had a kind is a meeting's.
    kind = func.coalesce(_json_text(session, Meeting.frame_json, "kind"), "meeting")
    return kind != "workshop"


def units(session: Session) -> list[str]:
    """Every unit that has a meeting or a professional, for the filter."""
    found = set(session.exec(select(Meeting.unit).distinct()).all())
    found |= set(session.exec(select(User.unit).distinct()).all())
    return sorted(u for u in found if u)


def held_meetings(session: Session, start: dt.datetime, end: dt.datetime) -> list[HeldMeeting]:
    """The network meetings closed in [start, end), each with its counts, in one statement.

    Workshops are left out: counted as meetings held, they would swell the shared metric and
    the averages beside it."""
    closed = col(Meeting.closed_at)
    ids: Select[Any] = select(Meeting.id).where(
        Meeting.status == "closed", closed >= start, closed < end, _network_meeting(session)
    )
    admitted = _first_admitted(ids)
    voices = _voices(ids)
    phases = _phases_used(session, ids)
    stmt = (
        select(  # type: ignore[call-overload]  # sqlmodel types select() up to four columns
            Meeting.unit,
            Meeting.frame_key,
            Meeting.created_at,
            Meeting.closed_at,
            admitted.c.first,
            phases.c.used,
            voices.c.attributed,
            voices.c.family,
        )
        .outerjoin(admitted, admitted.c.meeting_id == Meeting.id)
        .outerjoin(phases, phases.c.meeting_id == Meeting.id)
        .outerjoin(voices, voices.c.meeting_id == Meeting.id)
        .where(col(Meeting.id).in_(ids))
    )
    return [
        HeldMeeting(
            unit=unit,
            frame_key=frame,
            created_at=created,
            closed_at=closed_at,
            first_admitted=first,
            phases_used=int(used or 0),
            attributed_entries=int(attributed or 0),
            family_entries=int(family or 0),
        )
        for unit, frame, created, closed_at, first, used, attributed, family in session.exec(stmt)
    ]


def _first_admitted(ids: Select[Any]) -> Any:
    """When each meeting let its first person in."""
    return (
        select(Event.meeting_id, func.min(Event.at).label("first"))
        .where(Event.name == "participant.admitted", col(Event.meeting_id).in_(ids))
        .group_by(Event.meeting_id)
        .subquery()
    )


def _voices(ids: Select[Any]) -> Any:
    """Entries said by someone who was in the meeting (not a free-text label), and whose."""
    return (
        select(
            Entry.meeting_id,
            func.count().label("attributed"),
            func.sum(case((col(Participant.family), 1), else_=0)).label("family"),
        )
        .join(
            Participant,
            (col(Participant.id) == Entry.speaker)
            & (col(Participant.meeting_id) == Entry.meeting_id),
        )
        .where(col(Entry.deleted) == false(), col(Entry.meeting_id).in_(ids))
        .group_by(Entry.meeting_id)
        .subquery()
    )


def _phases_used(session: Session, ids: Select[Any]) -> Any:
    """Phases used: the first phase, every phase moved to, and every phase with an entry."""
    not_deleted = col(Entry.deleted) == false()
    keys = union(
        select(
            col(Meeting.id).label("meeting_id"),
            _json_text(session, Meeting.frame_json, "phases", 0, "key").label("key"),
        ).where(col(Meeting.id).in_(ids)),
        select(Event.meeting_id, _json_text(session, Event.data_json, "key")).where(
            Event.name == "phase.changed", col(Event.meeting_id).in_(ids)
        ),
        select(Entry.meeting_id, Entry.phase).where(not_deleted, col(Entry.meeting_id).in_(ids)),
    ).subquery()
    return (
        select(keys.c.meeting_id, func.count(distinct(keys.c.key)).label("used"))
        .where(keys.c.key.is_not(None))
        .group_by(keys.c.meeting_id)
        .subquery()
    )


def feedback_counts(session: Session, first: Month, last: Month) -> list[FeedbackCount]:
    """The answers given in these months, counted per unit, month, respondent and scores."""
    year = extract("year", col(Feedback.given_on))
    month = extract("month", col(Feedback.given_on))
    stmt = (
        select(  # type: ignore[call-overload]  # sqlmodel types select() up to four columns
            Meeting.unit,
            year,
            month,
            Feedback.family,
            Feedback.heard,
            Feedback.next,
            Feedback.together,
            func.count(),
        )
        .join(Meeting, col(Meeting.id) == Feedback.meeting_id)
        .where(
            col(Feedback.given_on) >= first.first_day(),
            col(Feedback.given_on) < last.next().first_day(),
            _network_meeting(session),
        )
        .group_by(
            Meeting.unit,
            year,
            month,
            Feedback.family,
            Feedback.heard,
            Feedback.next,
            Feedback.together,
        )
    )
    return [
        FeedbackCount(unit, Month(int(y), int(m)), bool(family), heard, nxt, together, count)
        for unit, y, m, family, heard, nxt, together, count in session.exec(stmt)
    ]
