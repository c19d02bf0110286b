"""All SQL of meetings. The sequencer lives here: one locked counter row per meeting."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.accounts import user_for_token
from app.db import CONNECTION
from app.errors import AppError
from app.meetings import domain, socket_reads
from app.meetings.models import (
    Entry,
    Event,
    Feedback,
    FeedbackMark,
    Meeting,
    Participant,
    Private,
    SilentItem,
)
from app.meetings.process_state import Process, Review
from app.meetings.workshop_state import Workshop
from app.prepared import Prepared

_ALPHABET = "0123456789"


def new_id(prefix: str) -> str:
    """A short random id for rows that travel in frames (not a credential)."""
    return f"{prefix}_{secrets.token_urlsafe(9)}"


def new_join_code(session: Session) -> str:
    """An 8-digit code that is easy to type on a phone; the lobby guards the rest."""
    for _ in range(20):
        code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        if session.exec(select(Meeting.id).where(Meeting.join_code == code)).first() is None:
            return code
    raise AppError("conflict", "Could not make a join code; try again.")


def get_meeting(session: Session, meeting_id: str) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise AppError("not_found", "No such meeting.")
    return meeting


def code_digits(code: str) -> str:
    """A code as typed ("1234 5678", "1234-5678") is its digits (not str.isdigit: that takes
    "１" and other scripts' digits)."""
    return "".join(ch for ch in code if ch in _ALPHABET)


def meeting_by_code(session: Session, code: str) -> Meeting:
    code = code_digits(code)
    meeting = session.exec(select(Meeting).where(Meeting.join_code == code)).first()
    if meeting is None:
        raise AppError("not_found", "No meeting has that code. Please check the number.")
    return meeting


def account_to_link(session: Session, meeting_id: str, session_token: str | None) -> int | None:
    """The account of a professional knocking while logged in, unless it already stands for
    someone in this meeting (its chair): one account is one person in a meeting."""
    user = user_for_token(session, session_token)
    if user is None or user.id is None:
        return None
    taken = session.exec(
        select(Participant.id).where(
            Participant.meeting_id == meeting_id, Participant.user_id == user.id
        )
    ).first()
    return None if taken is not None else user.id


_HEAD_SEQ = Prepared(socket_reads.HEAD_SEQ)


def head_seq(session: Session, meeting_id: str) -> int:
    """The seq of the meeting's last event (0 before the first)."""
    row = _HEAD_SEQ.run(session, {"meeting": meeting_id}).fetchone()
    if row is None:
        raise AppError("not_found", "No such meeting.")
    return int(row[0] or 0)


# PostgreSQL: the writers of one meeting on every instance take turns, as SQLite's write lock
# makes them (held from each transaction's BEGIN IMMEDIATE). A transaction's advisory lock is
# kept in memory and writes nothing; meetings whose ids hash alike merely share a turn.
TAKE_TURN = Prepared(
    sa_select(func.pg_advisory_xact_lock(func.hashtextextended(bindparam("meeting"), 0)))
)


def next_seq(session: Session, meeting_id: str) -> int:
    """The seq the op's event is appended under: the meeting's writers take turns until this
    transaction ends, so no one else takes it meanwhile (and the log's unique (meeting_id, seq)
    would refuse it if anyone did)."""
    connection = session.info.get(CONNECTION) or session.connection()
    if connection.dialect.name == "postgresql":
        TAKE_TURN.run(session, {"meeting": meeting_id}).fetchone()
    return head_seq(session, meeting_id) + 1


def load_state(session: Session, meeting: Meeting) -> domain.MeetingState:
    """The meeting's current state, read from the projection tables."""
    timer = json.loads(meeting.timer_json) if meeting.timer_json else None
    rnd = json.loads(meeting.round_json) if meeting.round_json else None
    return domain.MeetingState(
        id=meeting.id,
        title=meeting.title,
        frame=json.loads(meeting.frame_json),
        language=meeting.language,
        status="closed" if meeting.status == "closed" else "open",
        current_phase=meeting.current_phase,
        participants=_participants(session, meeting),
        entries=_entries(session, meeting.id),
        timer=domain.Timer(**timer) if timer else None,
        feedback_count=meeting.feedback_count,
        lobby_open=meeting.lobby_open,
        round=domain.Round.from_view(rnd) if rnd else None,
        silent=_silent(session, meeting),
        process=_process(session, meeting),
        workshop=Workshop.from_view(json.loads(meeting.workshop_json or "null")),
        houses=json.loads(meeting.houses_json) if meeting.houses_json else None,
        houses_child=meeting.houses_child,
        houses_status=meeting.houses_status,  # type: ignore[arg-type]
    )


def _participants(session: Session, meeting: Meeting) -> dict[str, domain.Participant]:
    people = session.exec(
        select(Participant)
        .where(Participant.meeting_id == meeting.id)
        .order_by(col(Participant.created_at), col(Participant.id))
    ).all()
    return {
        p.id: domain.Participant(
            id=p.id,
            name=p.name,
            role_label=p.role_label,
            kind=p.kind,  # type: ignore[arg-type]
            family=p.family,
            admitted=p.admitted,
            removed=p.removed,
            hand=p.hand,
            hand_at=p.hand_at,
            interpreter=p.interpreter,
            pause=p.pause,
            pause_at=p.pause_at,
            feedback_given=p.feedback_given,
            account=p.user_id is not None,
            owner=p.user_id is not None and p.user_id == meeting.owner_id,
        )
        for p in people
    }


def _entries(session: Session, meeting_id: str) -> dict[str, domain.Entry]:
    rows = session.exec(
        select(Entry).where(Entry.meeting_id == meeting_id).order_by(col(Entry.position))
    ).all()
    return {
        e.id: domain.Entry(
            id=e.id,
            phase=e.phase,
            text=e.text,
            kind=e.kind,
            speaker=e.speaker,
            own_words=e.own_words,
            owner=e.owner,
            due=e.due,
            answers=e.answers,
            board=e.board,
            version=e.version,
            deleted=e.deleted,
            author=e.author,
            reactions=json.loads(e.reactions_json),
            agreements=json.loads(e.agreements_json),
            corrections=json.loads(e.corrections_json),
            requests=json.loads(e.requests_json),
            unclear=json.loads(e.unclear_json),
            ask_first=e.ask_first,
            approved=e.approved,
            interpreted_from=e.interpreted_from,
        )
        for e in rows
    }


def _silent(session: Session, meeting: Meeting) -> domain.Silent | None:
    if meeting.silent_phase is None:
        return None
    items = session.exec(
        select(SilentItem)
        .where(SilentItem.meeting_id == meeting.id)
        .order_by(col(SilentItem.created_at), col(SilentItem.id))
    ).all()
    return domain.Silent(
        meeting.silent_phase, {i.id: domain.SilentItem(i.id, i.writer, i.text) for i in items}
    )


def _process(session: Session, meeting: Meeting) -> Process:
    nxt = json.loads(meeting.next_json) if meeting.next_json else {}
    review = None
    if meeting.review_json:
        raw = json.loads(meeting.review_json)
        scores = session.exec(
            select(Private).where(Private.meeting_id == meeting.id, Private.kind == "wellbeing")
        ).all()
        review = Review(
            steps=raw["steps"],
            previous_wellbeing=raw.get("previous_wellbeing"),
            marks=raw.get("marks", {}),
            scores={p.participant_id: p.value for p in scores},
            baseline=bool(raw.get("baseline", False)),
        )
    retain = meeting.retain_until
    return Process(
        preparation=json.loads(meeting.preparation_json) if meeting.preparation_json else None,
        review=review,
        next_meeting=nxt.get("next_meeting"),
        summary=nxt.get("summary"),
        retain_until=retain.isoformat().replace("+00:00", "Z") if retain else None,
    )


def carry_over(session: Session, case_id: str) -> dict[str, Any] | None:
    """The review a case's next meeting opens with: the last closed meeting's plan steps and how
    the family said things were then (the average of their 0–10 answers)."""
    last = session.exec(
        select(Meeting)
        .where(Meeting.case_id == case_id, Meeting.status == "closed")
        .order_by(col(Meeting.closed_at).desc())
    ).first()
    if last is None:
        return None
    steps = session.exec(
        select(Entry)
        .where(Entry.meeting_id == last.id, Entry.kind == "plan", Entry.deleted == False)  # noqa: E712
        # A step asked of someone first and never approved is not part of the shared plan.
        .where(or_(col(Entry.ask_first).is_(None), col(Entry.approved)))
        .order_by(col(Entry.position))
    ).all()
    people = {
        p.id: p.name
        for p in session.exec(select(Participant).where(Participant.meeting_id == last.id))
    }
    scores = [
        p.value
        for p in session.exec(
            select(Private).where(Private.meeting_id == last.id, Private.kind == "wellbeing")
        )
    ]
    return {
        "from_meeting": last.id,
        "steps": [
            {
                "id": e.id,
                "text": e.text,
                "owner": people.get(e.owner or "", e.owner),
                "due": e.due,
            }
            for e in steps
        ],
        "previous_wellbeing": round(sum(scores) / len(scores), 1) if scores else None,
        "marks": {},
    }


# Built once: the hot path passes parameters only (a statement built per call costs more).
_OP_SEEN = Prepared(
    sa_select(col(Event.seq)).where(
        col(Event.meeting_id) == bindparam("meeting"), col(Event.op_id) == bindparam("op")
    )
)
_INSERT_EVENT = Prepared(insert(Event))


@dataclass(frozen=True)
class AppendedEvent:
    """An event row as written in this transaction (without the ORM's bookkeeping)."""

    seq: int
    name: str
    op_id: str | None
    actor: str | None
    at: dt.datetime
    data_json: str


def event_for_op(session: Session, meeting_id: str, op_id: str) -> Event | None:
    """The event an op id already made, so that a resend gets the original outcome."""
    # Nearly every op is new: a plain existence check first, the whole row only for a resend.
    if _OP_SEEN.run(session, {"meeting": meeting_id, "op": op_id}).fetchone() is None:
        return None
    stmt = select(Event).where(Event.meeting_id == meeting_id, Event.op_id == op_id)
    return session.exec(stmt).first()


def append_event(
    session: Session,
    meeting_id: str,
    seq: int,
    *,
    name: str,
    data: dict[str, Any],
    actor: str | None,
    op_id: str | None,
    at: dt.datetime,
) -> AppendedEvent:
    """Store the event under the seq taken by `next_seq`; the caller's commit makes it true."""
    row = AppendedEvent(
        seq, name, op_id, actor, at, json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    )
    # A Core insert: the log row is written once and never changed, so the ORM's unit of work
    # (most of an op's cost) has nothing to add.
    _INSERT_EVENT.run(
        session,
        {
            "meeting_id": meeting_id,
            "seq": seq,
            "op_id": op_id,
            "name": name,
            "actor": actor,
            "at": at,
            "data_json": row.data_json,
        },
    )
    return row


def meetings_of(session: Session, user_id: int) -> list[Meeting]:
    stmt = (
        select(Meeting)
        .where(Meeting.owner_id == user_id)
        .order_by(col(Meeting.created_at).desc())
        .limit(50)
    )
    return list(session.exec(stmt).all())


def store_feedback(
    session: Session, meeting_id: str, scores: dict[str, Any], family: bool, mark: str
) -> None:
    """The answer, and apart from it the mark that its giver has answered."""
    session.add(Feedback(meeting_id=meeting_id, family=family, **scores))
    session.add(FeedbackMark(meeting_id=meeting_id, mark=mark))


def has_feedback_mark(session: Session, meeting_id: str, mark: str) -> bool:
    return session.get(FeedbackMark, (meeting_id, mark)) is not None
