"""All SQL of meetings. The sequencer lives here: one locked counter row per meeting."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from app.errors import AppError
from app.meetings import domain
from app.meetings.models import (
    Entry,
    Event,
    Feedback,
    Meeting,
    Participant,
    SilentItem,
    utcnow,
)

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


def meeting_by_code(session: Session, code: str) -> Meeting:
    code = "".join(ch for ch in code if ch.isdigit())
    meeting = session.exec(select(Meeting).where(Meeting.join_code == code)).first()
    if meeting is None:
        raise AppError("not_found", "No meeting has that code. Please check the number.")
    return meeting


def lock_meeting(session: Session, meeting_id: str) -> Meeting:
    """The meeting row, locked for this transaction: writers of one meeting take turns."""
    stmt = select(Meeting).where(Meeting.id == meeting_id).with_for_update()
    meeting = session.exec(stmt).first()
    if meeting is None:
        raise AppError("not_found", "No such meeting.")
    return meeting


def load_state(session: Session, meeting: Meeting) -> domain.MeetingState:
    """The meeting's current state, read from the projection tables."""
    people = session.exec(
        select(Participant)
        .where(Participant.meeting_id == meeting.id)
        .order_by(col(Participant.created_at), col(Participant.id))
    ).all()
    entries = session.exec(
        select(Entry).where(Entry.meeting_id == meeting.id).order_by(col(Entry.position))
    ).all()
    timer = json.loads(meeting.timer_json) if meeting.timer_json else None
    silent = None
    if meeting.silent_phase is not None:
        items = session.exec(
            select(SilentItem)
            .where(SilentItem.meeting_id == meeting.id)
            .order_by(col(SilentItem.created_at), col(SilentItem.id))
        ).all()
        silent = domain.Silent(
            meeting.silent_phase,
            {i.id: domain.SilentItem(i.id, i.writer, i.text) for i in items},
        )
    rnd = json.loads(meeting.round_json) if meeting.round_json else None
    return domain.MeetingState(
        id=meeting.id,
        title=meeting.title,
        frame=json.loads(meeting.frame_json),
        language=meeting.language,
        status="closed" if meeting.status == "closed" else "open",
        current_phase=meeting.current_phase,
        participants={
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
                feedback_given=p.feedback_given,
            )
            for p in people
        },
        entries={
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
                version=e.version,
                deleted=e.deleted,
                author=e.author,
                reactions=json.loads(e.reactions_json),
                agreements=json.loads(e.agreements_json),
            )
            for e in entries
        },
        timer=domain.Timer(**timer) if timer else None,
        feedback_count=meeting.feedback_count,
        lobby_open=meeting.lobby_open,
        round=domain.Round(rnd["phase"], rnd["order"], rnd["index"], rnd["passed"])
        if rnd
        else None,
        silent=silent,
    )


def event_for_op(session: Session, meeting_id: str, op_id: str) -> Event | None:
    """The event an op id already made, so that a resend gets the original outcome."""
    stmt = select(Event).where(Event.meeting_id == meeting_id, Event.op_id == op_id)
    return session.exec(stmt).first()


def append_event(
    session: Session,
    meeting: Meeting,
    *,
    name: str,
    data: dict[str, Any],
    actor: str | None,
    op_id: str | None,
    at: dt.datetime,
) -> Event:
    """Give the event the meeting's next seq and store it; the caller's commit makes it true."""
    seq = meeting.last_seq + 1
    session.execute(update(Meeting).where(col(Meeting.id) == meeting.id).values(last_seq=seq))
    meeting.last_seq = seq
    row = Event(
        meeting_id=meeting.id,
        seq=seq,
        op_id=op_id,
        name=name,
        actor=actor,
        at=at,
        data_json=json.dumps(data, ensure_ascii=False, separators=(",", ":")),
    )
    session.add(row)
    return row


def events_since(session: Session, meeting_id: str, since: int, limit: int) -> list[Event]:
    """Events after `since`, in order."""
    stmt = (
        select(Event)
        .where(Event.meeting_id == meeting_id, Event.seq > since)
        .order_by(col(Event.seq))
        .limit(limit)
    )
    return list(session.exec(stmt).all())


def participant_by_token(session: Session, meeting_id: str, hashed: str) -> Participant | None:
    stmt = select(Participant).where(
        Participant.meeting_id == meeting_id, Participant.token_hash == hashed
    )
    return session.exec(stmt).first()


def professional_in(session: Session, meeting_id: str, user_id: int) -> Participant | None:
    """The participant a logged-in professional is in a meeting they opened (their login is
    their credential there; after handing the chair over they stay in as a participant)."""
    stmt = select(Participant).where(
        Participant.meeting_id == meeting_id,
        Participant.user_id == user_id,
        Participant.removed == False,  # noqa: E712 - SQL, not Python truthiness
    )
    return session.exec(stmt).first()


def screen_of(session: Session, meeting_id: str) -> Participant | None:
    stmt = select(Participant).where(
        Participant.meeting_id == meeting_id, Participant.kind == "screen"
    )
    return session.exec(stmt).first()


def meetings_of(session: Session, user_id: int) -> list[Meeting]:
    stmt = (
        select(Meeting)
        .where(Meeting.owner_id == user_id)
        .order_by(col(Meeting.created_at).desc())
        .limit(50)
    )
    return list(session.exec(stmt).all())


def store_feedback(session: Session, meeting_id: str, scores: dict[str, Any], family: bool) -> None:
    session.add(Feedback(meeting_id=meeting_id, family=family, **scores))


def _entry_row(session: Session, meeting_id: str, data: dict[str, Any]) -> Entry:
    row = session.get(Entry, data["id"])
    if row is None or row.meeting_id != meeting_id:
        raise AppError("not_found", "No such entry.")
    return row


def _add_entry(
    session: Session, meeting: Meeting, e: dict[str, Any], author: str | None, at: int
) -> None:
    session.add(
        Entry(
            id=e["id"],
            meeting_id=meeting.id,
            phase=e["phase"],
            kind=e["kind"],
            text=e["text"],
            speaker=e.get("speaker"),
            own_words=e.get("own_words", False),
            owner=e.get("owner"),
            due=e.get("due"),
            answers=e.get("answers"),
            author=author,
            position=at,
        )
    )


def project(session: Session, meeting: Meeting, event: Event, data: dict[str, Any]) -> None:
    """Write one event into the projection tables (the same change `domain.evolve` makes).

    `data` is the event's data with its private part (a silent thought) merged in."""
    name, now = event.name, utcnow()

    def person(pid: str) -> Participant:
        row = session.get(Participant, pid)
        if row is None or row.meeting_id != meeting.id:
            raise AppError("not_found", "No such participant.")
        return row

    match name:
        case "participant.joined":
            pass  # the service inserts the row with its credential
        case "participant.admitted":
            person(data["participant"]["id"]).admitted = True
        case "participant.removed":
            row = person(data["participant"])
            row.removed, row.admitted, row.hand, row.token_hash = True, False, False, None
        case "participant.role_changed":
            person(data["participant"]).kind = data["kind"]
            if data.get("previous"):
                person(data["previous"]).kind = "participant"
        case "lobby.changed":
            meeting.lobby_open = bool(data["open"])
        case "participant.changed":
            person(data["participant"]["id"]).family = bool(data["participant"]["family"])
        case "phase.changed":
            meeting.current_phase = data["index"]
        case "timer.started":
            meeting.timer_json = json.dumps(data["timer"])
        case "timer.stopped":
            meeting.timer_json = None
        case "meeting.closed":
            meeting.status, meeting.closed_at, meeting.timer_json = "closed", now, None
            meeting.round_json = None
            for row in session.exec(
                select(Participant).where(Participant.meeting_id == meeting.id)
            ):
                row.hand = False
        case "entry.added":
            _add_entry(session, meeting, data["entry"], event.actor, event.seq * 1000)
        case "round.started" | "round.advanced":
            meeting.round_json = json.dumps(data["round"])
        case "round.ended":
            meeting.round_json = None
        case "silent.opened":
            meeting.silent_phase = data["phase"]
        case "silent.written":
            item = data["item"]
            session.add(
                SilentItem(
                    id=item["id"],
                    meeting_id=meeting.id,
                    phase=data["phase"],
                    writer=item["writer"],
                    text=item["text"],
                )
            )
        case "silent.revealed":
            for n, e in enumerate(data["entries"]):
                _add_entry(session, meeting, e, e.get("speaker"), event.seq * 1000 + n)
            session.execute(delete(SilentItem).where(col(SilentItem.meeting_id) == meeting.id))
            meeting.silent_phase = None
        case "plan.agreed":
            row = _entry_row(session, meeting.id, {"id": data["entry"]})
            agreements = json.loads(row.agreements_json)
            agreements[data["participant"]] = {
                "agreement": data["agreement"],
                "comment": data.get("comment"),
            }
            row.agreements_json = json.dumps(agreements, ensure_ascii=False)
        case "entry.edited" | "entry.restored":
            e = data["entry"]
            row = _entry_row(session, meeting.id, e)
            row.phase, row.kind, row.text, row.speaker = (
                e["phase"],
                e["kind"],
                e["text"],
                e["speaker"],
            )
            row.own_words, row.version = e.get("own_words", False), e["version"]
            row.owner, row.due, row.answers = e.get("owner"), e.get("due"), e.get("answers")
            row.deleted = bool(e.get("deleted", False))
            row.updated_at = now
        case "entry.deleted":
            row = _entry_row(session, meeting.id, {"id": data["entry"]})
            row.deleted, row.version, row.updated_at = True, data["version"], now
        case "hand.raised" | "hand.lowered":
            row = person(data["participant"])
            row.hand = name == "hand.raised"
            row.hand_at = data.get("at") if row.hand else None
        case "entry.reacted":
            row = _entry_row(session, meeting.id, {"id": data["entry"]})
            reactions = json.loads(row.reactions_json)
            if data["reaction"] is None:
                reactions.pop(data["participant"], None)
            else:
                reactions[data["participant"]] = data["reaction"]
            row.reactions_json = json.dumps(reactions)
        case "feedback.received":
            meeting.feedback_count = data["count"]
            if event.actor:
                person(event.actor).feedback_given = True
        case _:
            raise ValueError(f"unknown event {name!r}")
    session.add(meeting)
