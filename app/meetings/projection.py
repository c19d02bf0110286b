"""The projection: each committed event written into the tables the state is read from.

It applies the same changes (`changes.py`) that `evolve` applies in memory, one way per entity
kind; the only writes of its own are the summary link's rows (facts about a link, not the state)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, insert, update
from sqlmodel import Session, col

from app.accounts import token_hash
from app.clock import utcnow
from app.errors import AppError
from app.meetings.changes import Change, changes, merged
from app.meetings.guards import Event as RuleEvent
from app.meetings.models import Entry, Meeting, Participant, Private, SilentItem, SummaryLink
from app.meetings.repository import AppendedEvent, append_event, get_meeting
from app.meetings.screen_keys import forget_links
from app.meetings.summary_link import summary_token
from app.meetings.workshop_state import Workshop
from app.meetings.workshop_state import evolve as evolve_workshop
from app.prepared import Prepared

_INSERT_ENTRY = Prepared(insert(Entry))
# Entry fields kept as JSON in their row.
_JSON_FIELDS = {
    "reactions": "{}",
    "agreements": "{}",
    "corrections": "[]",
    "requests": "[]",
    "unclear": "{}",
}


def _time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def store(
    session: Session,
    meeting_id: str,
    seq: int,
    event: RuleEvent,
    actor: str | None,
    op_id: str | None,
    at: dt.datetime,
    link_key: str = "",
) -> tuple[AppendedEvent, list[Change]]:
    """Append the event to the log under `seq` and write it into the tables; the caller's commit
    makes both true. Returns the log's row and the event's changes, for the cached state to take
    after the commit (`evolve.apply_changes`): worked out once for both."""
    row = append_event(
        session, meeting_id, seq, name=event.name, data=event.data, actor=actor, op_id=op_id, at=at
    )
    full = {**event.data, **event.private}
    if event.name == "summary.shared":
        # Only its hash is stored (in `summarylink`): the log keeps the link id it is made from.
        full["token"] = summary_token(link_key, event.data["link"])
    given = changes(event.name, full, actor)
    project(session, meeting_id, row, full, given)
    return row, given


class _Write:
    """One event's writes: the meeting's row is read once, and only if a change needs it."""

    def __init__(
        self, session: Session, meeting_id: str, event: AppendedEvent, data: dict[str, Any]
    ) -> None:
        self.session, self.meeting_id, self.event, self.data = session, meeting_id, event, data
        self.now = utcnow()
        self.new_entries = 0
        self._meeting: Meeting | None = None

    @property
    def meeting(self) -> Meeting:
        if self._meeting is None:
            self._meeting = get_meeting(self.session, self.meeting_id)
        return self._meeting

    def person(self, pid: str) -> Participant:
        row = self.session.get(Participant, pid)
        if row is None or row.meeting_id != self.meeting_id:
            raise AppError("not_found", "No such participant.")
        return row

    def entry(self, entry_id: str) -> Entry:
        row = self.session.get(Entry, entry_id)
        if row is None or row.meeting_id != self.meeting_id:
            raise AppError("not_found", "No such entry.")
        return row


def project(
    session: Session,
    meeting_id: str,
    event: AppendedEvent,
    data: dict[str, Any],
    given: list[Change],
) -> None:
    """Write one event into the projection tables (the changes `evolve` makes in memory).

    `data` is the event's data with its private part (a silent thought, a credential) merged;
    `given` its changes (`changes.changes`)."""
    write = _Write(session, meeting_id, event, data)
    for change in given:
        _WRITE[change.kind](write, change)
    link = _LINKS.get(event.name)
    if link is not None:
        link(write)


def _meeting(w: _Write, change: Change) -> None:
    m = w.meeting
    for key, value in change.set.items():
        if key == "timer":
            m.timer_json = _dumps(value.public()) if value else None
        elif key == "round":
            m.round_json = _dumps(value.public()) if value else None
        elif key == "houses":
            m.houses_json = _dumps(value) if value else None
        elif key == "silent":
            m.silent_phase = value.phase if value else None
            if value is None:  # the thoughts are entries now, or gone
                w.session.execute(
                    delete(SilentItem).where(col(SilentItem.meeting_id) == w.meeting_id)
                )
        else:  # current_phase, lobby_open, status, feedback_count: columns of the same name
            setattr(m, key, value)
        if key == "status" and value == "closed":
            m.closed_at = w.now
            forget_links(w.session, w.meeting_id)  # no screen opens a closed meeting anew


def _participant(w: _Write, change: Change) -> None:
    values = {k: v for k, v in change.set.items() if k != "account"}
    if change.new:
        # The credential (a hash of the cookie's token) and the linked account come in the
        # event's private part: the log never holds them.
        row = Participant(
            id=str(change.id),
            meeting_id=w.meeting_id,
            token_hash=w.data.get("credential"),
            user_id=w.data.get("user"),
            **values,
        )
        w.session.add(row)
        w.session.flush()
        return
    if change.id is None:
        w.session.execute(
            update(Participant).where(col(Participant.meeting_id) == w.meeting_id).values(values)
        )
        return
    row = w.person(change.id)
    for key, value in values.items():
        setattr(row, key, value)
    if values.get("removed"):
        row.token_hash = None  # their cookie opens nothing any more


def _entry(w: _Write, change: Change) -> None:
    if change.new:
        _insert_entry(w, str(change.id), change.set)
        return
    row = w.entry(str(change.id))
    for key, value in change.set.items():
        if key in _JSON_FIELDS:
            setattr(row, f"{key}_json", _dumps(value))
        else:
            setattr(row, key, value)
    for key, update_ in change.merge.items():
        column = f"{key}_json"
        setattr(row, column, _dumps(merged(json.loads(getattr(row, column)), update_)))
    row.updated_at = w.now


def _insert_entry(w: _Write, entry_id: str, values: dict[str, Any]) -> None:
    # A Core insert, as for the event itself: building an ORM object costs more than the write.
    # The record's order: the event's place in the log, then the entry's place in the event.
    row = {k: v for k, v in values.items() if k not in _JSON_FIELDS}
    for key, empty in _JSON_FIELDS.items():
        row[f"{key}_json"] = _dumps(values[key]) if values.get(key) else empty
    row |= {
        "id": entry_id,
        "meeting_id": w.meeting_id,
        "position": w.event.seq * 1000 + w.new_entries,
        "created_at": w.now,
        "updated_at": w.now,
    }
    w.new_entries += 1
    _INSERT_ENTRY.run(w.session, row)


def _silent_item(w: _Write, change: Change) -> None:
    w.session.add(SilentItem(id=str(change.id), meeting_id=w.meeting_id, **change.set))


def _process(w: _Write, change: Change) -> None:
    m = w.meeting
    for key, value in change.set.items():
        if key == "retain_until":
            m.retain_until = _time(value) if value else None
        else:  # next_meeting, summary: kept together as the meeting's "next"
            nxt = json.loads(m.next_json) if m.next_json else {}
            nxt[key] = value
            m.next_json = _dumps(nxt)
    if "marks" in change.merge and m.review_json:
        review = json.loads(m.review_json)
        review["marks"] = merged(review.get("marks", {}), change.merge["marks"])
        m.review_json = _dumps(review)
    for participant, score in change.merge.get("scores", {}).items():
        # Each answer in a row of its own: the log and the meeting's row keep only the average.
        answer = w.session.get(Private, (w.meeting_id, participant, "wellbeing")) or Private(
            meeting_id=w.meeting_id, participant_id=participant, kind="wellbeing", value=score
        )
        answer.value = score
        w.session.add(answer)


def _workshop(w: _Write, change: Change) -> None:
    m = w.meeting
    workshop = Workshop.from_view(json.loads(m.workshop_json or "null"))
    evolve_workshop(workshop, change.set["event"], change.set["data"])
    m.workshop_json = _dumps(workshop.view())


def _link_shared(w: _Write) -> None:
    expires = _time(w.data["expires_at"])
    w.session.add(
        SummaryLink(
            token_hash=token_hash(w.data["token"]), meeting_id=w.meeting_id, expires_at=expires
        )
    )


def _link_revoked(w: _Write) -> None:
    w.session.execute(
        update(SummaryLink).where(col(SummaryLink.meeting_id) == w.meeting_id).values(revoked=True)
    )


_WRITE: dict[str, Callable[[_Write, Change], None]] = {
    "meeting": _meeting,
    "participant": _participant,
    "entry": _entry,
    "silent_item": _silent_item,
    "process": _process,
    "workshop": _workshop,
}
# The summary link's own rows: only a hash of the token, revocable.
_LINKS: dict[str, Callable[[_Write], None]] = {
    "summary.shared": _link_shared,
    "summary.revoked": _link_revoked,
}
