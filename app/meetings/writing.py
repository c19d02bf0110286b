"""What an op writes in its transaction: the event decided by the rules on the meeting's state,
its projection, and what it writes beside it (an audit line, a feedback answer); and a resend's
first outcome. The caller (`service.MeetingService`) owns the transaction, the lock and the
publishing."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from sqlmodel import Session

from app.accounts import new_token
from app.audit.log import AUDITED_EVENTS, record
from app.errors import AppError
from app.meetings import repository as repo
from app.meetings import schemas as s
from app.meetings.changes import Change
from app.meetings.domain import MeetingState
from app.meetings.projection import store
from app.meetings.reading import event_frame
from app.meetings.state import ALREADY_ANSWERED, Context, Event, apply
from app.realtime.hub import StoredEvent


def _audit_detail(data: dict[str, Any]) -> str:
    """Which participant or entry an audited event was about: ids only, never text."""
    target = data.get("participant") or data.get("entry")
    if isinstance(target, dict):
        target = target.get("id")
    kind = data.get("kind")
    return " ".join(str(x) for x in (target, kind) if x)


def feedback_mark(meeting_id: str, credential: str) -> str:
    """Who has answered, as a hash of the credential only their browser holds (the database
    keeps a different hash of it): no one holding the database can tell whose mark it is."""
    return hashlib.sha256(f"feedback:{meeting_id}:{credential}".encode()).hexdigest()


def _shuffled(items: list[str]) -> list[str]:
    """A round's order when the chair names none: chance, not who sits nearest the door."""
    order = list(items)
    secrets.SystemRandom().shuffle(order)
    return order


def _also_recorded(
    session: Session, state: MeetingState, event: Event, op: s.Op, actor_id: str, mark: str | None
) -> None:
    """What an op writes beside its event: the audit line of an audited event, and a feedback
    answer in its own unlinkable row."""
    meeting_id = state.id
    if event.name in AUDITED_EVENTS:
        record(
            session,
            AUDITED_EVENTS[event.name],
            actor=f"participant:{actor_id}",
            role=state.participants[actor_id].kind,
            meeting_id=meeting_id,
            detail=_audit_detail(event.data),
        )
    if isinstance(op, s.FeedbackSubmit) and mark is not None:
        if repo.has_feedback_mark(session, meeting_id, mark):
            raise AppError("conflict", ALREADY_ANSWERED)
        scores = op.model_dump(include={"heard", "next", "together", "comment"})
        family = state.participants[actor_id].family
        repo.store_feedback(session, meeting_id, scores, family, mark)


def written(
    session: Session,
    state: MeetingState,
    seq: int,
    actor_id: str,
    op: s.Op,
    mark: str | None,
    *,
    retention: dt.timedelta,
    link_key: str,
) -> tuple[StoredEvent, list[Change]]:
    """The op decided by the rules on `state` and its event written under `seq` in the
    session's transaction: the event as sent and the changes the state takes after the
    commit."""
    now = dt.datetime.now(dt.UTC)
    ctx = Context(
        now=now,
        new_id=lambda: repo.new_id("e"),
        shuffle=_shuffled,
        new_token=new_token,
        retention=retention,
    )
    event = apply(state, op, actor_id, ctx)
    actor = None if event.anonymous else actor_id
    row, given = store(session, state.id, seq, event, actor, op.id, now, link_key)
    _also_recorded(session, state, event, op, actor_id, mark)
    session.flush()
    return event_frame(row, link_key), given


def resent(
    session: Session, meeting_id: str, actor_id: str, op: s.Op, mark: str | None, link_key: str
) -> StoredEvent | None:
    """The op's first outcome if this op id was applied before for the same sender."""
    previous = repo.event_for_op(session, meeting_id, op.id)
    if previous is None:
        return None
    # An answer's event has no actor: its resend is known by the sender's mark.
    if isinstance(op, s.FeedbackSubmit) and mark is not None and previous.actor is None:
        resend = repo.has_feedback_mark(session, meeting_id, mark)
    else:
        resend = previous.actor == actor_id
    if not resend:
        raise AppError("invalid", "That op id is already used.")
    return event_frame(previous, link_key)


def settled(
    session: Session, meeting_id: str, op_id: str, link_key: str
) -> tuple[StoredEvent, bool] | None:
    """After a round trip given up at its deadline: its event (and True) if it committed."""
    repo.next_seq(session, meeting_id)  # the meeting's turn waits for its open transactions
    found = repo.event_for_op(session, meeting_id, op_id)
    return None if found is None else (event_frame(found, link_key), True)
