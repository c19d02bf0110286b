"""The projection: each committed event written into the tables the state is read from.

It makes in SQL the same change that `domain.evolve` makes in memory."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import delete, insert, update
from sqlmodel import Session, col, select

from app.accounts import token_hash
from app.clock import utcnow
from app.errors import AppError
from app.meetings.models import (
    Entry,
    Event,
    Participant,
    Private,
    SilentItem,
    SummaryLink,
)
from app.meetings.repository import AppendedEvent, get_meeting
from app.meetings.screen_keys import forget_links
from app.meetings.workshop_state import WORKSHOP_EVENTS, Workshop
from app.meetings.workshop_state import evolve as evolve_workshop
from app.prepared import Prepared


def _time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _entry_row(session: Session, meeting_id: str, data: dict[str, Any]) -> Entry:
    row = session.get(Entry, data["id"])
    if row is None or row.meeting_id != meeting_id:
        raise AppError("not_found", "No such entry.")
    return row


_INSERT_ENTRY = Prepared(insert(Entry))


def _add_entry(
    session: Session, meeting_id: str, e: dict[str, Any], author: str | None, at: int
) -> None:
    now = utcnow()
    # A Core insert, as for the event itself: building an ORM object costs more than the write.
    _INSERT_ENTRY.run(
        session,
        {
            "id": e["id"],
            "meeting_id": meeting_id,
            "phase": e["phase"],
            "kind": e["kind"],
            "text": e["text"],
            "speaker": e.get("speaker"),
            "own_words": e.get("own_words", False),
            "owner": e.get("owner"),
            "due": e.get("due"),
            "answers": e.get("answers"),
            "board": e.get("board"),
            "version": e.get("version", 1),
            "deleted": bool(e.get("deleted", False)),
            "author": author,
            "reactions_json": json.dumps(e.get("reactions") or {}, ensure_ascii=False),
            "agreements_json": json.dumps(e.get("agreements") or {}, ensure_ascii=False),
            "corrections_json": json.dumps(e.get("corrections") or [], ensure_ascii=False),
            "position": at,
            "created_at": now,
            "updated_at": now,
        },
    )


def project(  # noqa: C901 - split by issue 18 (architecture)
    session: Session, meeting_id: str, event: Event | AppendedEvent, data: dict[str, Any]
) -> None:
    """Write one event into the projection tables (the same change `domain.evolve` makes).

    `data` is the event's data with its private part (a silent thought) merged in."""
    name, now = event.name, utcnow()

    def person(pid: str) -> Participant:
        row = session.get(Participant, pid)
        if row is None or row.meeting_id != meeting_id:
            raise AppError("not_found", "No such participant.")
        return row

    # The meeting's own row is loaded (get_meeting) only by the events that change it: an entry,
    # the commonest op, never reads it.
    match name:
        case "participant.joined":
            pass  # the service inserts the row with its credential
        case "participant.admitted":
            person(data["participant"]["id"]).admitted = True
        case "participant.removed":
            who = person(data["participant"])
            who.removed, who.admitted, who.hand, who.token_hash = True, False, False, None
        case "participant.role_changed":
            person(data["participant"]).kind = data["kind"]
            if data.get("previous"):
                person(data["previous"]).kind = "participant"
        case "lobby.changed":
            m = get_meeting(session, meeting_id)
            m.lobby_open = bool(data["open"])
        case "participant.changed":
            person(data["participant"]["id"]).family = bool(data["participant"]["family"])
        case "phase.changed":
            m = get_meeting(session, meeting_id)
            m.current_phase = data["index"]
        case "timer.started":
            m = get_meeting(session, meeting_id)
            m.timer_json = json.dumps(data["timer"])
        case "timer.stopped":
            m = get_meeting(session, meeting_id)
            m.timer_json = None
        case "meeting.closed":
            m = get_meeting(session, meeting_id)
            m.status, m.closed_at, m.timer_json = "closed", now, None
            m.retain_until = _time(data["retain_until"])
            forget_links(session, meeting_id)  # no screen opens a closed meeting anew
            m.round_json = None
            for who in session.exec(
                select(Participant).where(Participant.meeting_id == meeting_id)
            ):
                who.hand = False
        case "entry.added":
            _add_entry(session, meeting_id, data["entry"], event.actor, event.seq * 1000)
        case "round.started" | "round.advanced":
            m = get_meeting(session, meeting_id)
            m.round_json = json.dumps(data["round"])
        case "round.ended":
            m = get_meeting(session, meeting_id)
            m.round_json = None
        case "silent.opened":
            m = get_meeting(session, meeting_id)
            m.silent_phase = data["phase"]
        case "silent.written":
            item = data["item"]
            session.add(
                SilentItem(
                    id=item["id"],
                    meeting_id=meeting_id,
                    phase=data["phase"],
                    writer=item["writer"],
                    text=item["text"],
                )
            )
        case "silent.revealed":
            m = get_meeting(session, meeting_id)
            for n, e in enumerate(data["entries"]):
                _add_entry(session, meeting_id, e, e.get("speaker"), event.seq * 1000 + n)
            session.execute(delete(SilentItem).where(col(SilentItem.meeting_id) == meeting_id))
            m.silent_phase = None
        case "next.scheduled" | "summary.shared" | "summary.revoked":
            m = get_meeting(session, meeting_id)
            nxt = json.loads(m.next_json) if m.next_json else {}
            if name == "next.scheduled":
                nxt["next_meeting"] = data["next"]
            elif name == "summary.shared":
                nxt["summary"] = {"link": data["link"], "expires_at": data["expires_at"]}
                session.add(
                    SummaryLink(
                        token_hash=token_hash(data["token"]),
                        meeting_id=meeting_id,
                        expires_at=_time(data["expires_at"]),
                    )
                )
            else:
                nxt["summary"] = None
                session.execute(
                    update(SummaryLink)
                    .where(col(SummaryLink.meeting_id) == meeting_id)
                    .values(revoked=True)
                )
            m.next_json = json.dumps(nxt, ensure_ascii=False)
        case "review.marked":
            m = get_meeting(session, meeting_id)
            review = json.loads(m.review_json or "{}")
            review.setdefault("marks", {})[data["step"]] = data["status"]
            m.review_json = json.dumps(review, ensure_ascii=False)
        case "wellbeing.rated":
            answer = session.get(Private, (meeting_id, data["participant"], "wellbeing"))
            if answer is None:
                answer = Private(
                    meeting_id=meeting_id,
                    participant_id=data["participant"],
                    kind="wellbeing",
                    value=data["score"],
                )
            answer.value = data["score"]
            session.add(answer)
        case "plan.agreed":
            row = _entry_row(session, meeting_id, {"id": data["entry"]})
            agreements = json.loads(row.agreements_json)
            agreements[data["participant"]] = {
                "agreement": data["agreement"],
                "comment": data.get("comment"),
            }
            row.agreements_json = json.dumps(agreements, ensure_ascii=False)
        case "entry.edited" | "entry.restored" | "entry.corrected":
            e = data["entry"]
            row = _entry_row(session, meeting_id, e)
            row.phase, row.kind, row.text, row.speaker = (
                e["phase"],
                e["kind"],
                e["text"],
                e["speaker"],
            )
            row.own_words, row.version = e.get("own_words", False), e["version"]
            row.owner, row.due, row.answers = e.get("owner"), e.get("due"), e.get("answers")
            row.deleted = bool(e.get("deleted", False))
            row.corrections_json = json.dumps(e.get("corrections", []), ensure_ascii=False)
            row.updated_at = now
        case _ if name in WORKSHOP_EVENTS:
            m = get_meeting(session, meeting_id)
            workshop = Workshop.from_view(json.loads(m.workshop_json or "null"))
            evolve_workshop(workshop, name, data)
            m.workshop_json = json.dumps(workshop.view(), ensure_ascii=False)
        case "entry.deleted":
            row = _entry_row(session, meeting_id, {"id": data["entry"]})
            row.deleted, row.version, row.updated_at = True, data["version"], now
        case "hand.raised" | "hand.lowered":
            who = person(data["participant"])
            who.hand = name == "hand.raised"
            who.hand_at = data.get("at") if who.hand else None
        case "entry.reacted":
            row = _entry_row(session, meeting_id, {"id": data["entry"]})
            reactions = json.loads(row.reactions_json)
            if data["reaction"] is None:
                reactions.pop(data["participant"], None)
            else:
                reactions[data["participant"]] = data["reaction"]
            row.reactions_json = json.dumps(reactions)
        case "feedback.received":
            m = get_meeting(session, meeting_id)
            m.feedback_count = data["count"]
            if event.actor:
                person(event.actor).feedback_given = True
        case _:
            raise ValueError(f"unknown event {name!r}")
