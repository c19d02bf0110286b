""" "Ask first": the scribe or the chair writes an entry that concerns one participant, and only
the chair, the scribe and that person see it until the person approves it on their phone (or
asks for a change: a correction request). Then it enters the shared record. The family's
consent, not the professional's wish, opens sensitive words to the room. Rules only; no I/O.

Who may see such an entry is said once, `Entry.seen_by`; the snapshot leaves it out for anyone
else, and the live sockets learn of it only as the hub is told (app/meetings/effects.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.errors import AppError
from app.meetings import schemas as s
from app.meetings.guards import Context, Event, find_participant, live_entry, open_, voice
from app.meetings.rules import rule

if TYPE_CHECKING:
    from app.meetings.domain import MeetingState


def asked(state: MeetingState, participant: str | None, board: str | None) -> str | None:
    """Whom a new entry is asked of first: someone let in, neither chair, scribe nor screen."""
    if participant is None:
        return None
    if board is not None:
        raise AppError("invalid", "A group's board is not asked of anyone first.")
    person = find_participant(state, participant)
    if not person.admitted or person.kind != "participant":
        raise AppError("invalid", "Ask first someone in the meeting who is not chair or scribe.")
    return person.id


@rule("entry.approve")
def _entry_approve(state: MeetingState, op: s.EntryApprove, actor_id: str, ctx: Context) -> Event:
    actor = voice(state, actor_id)
    open_(state)
    entry = live_entry(state, op.entry)
    if entry.ask_first != actor.id:
        # To anyone else the entry is not there (or is not theirs to approve).
        raise AppError("not_found", "No such entry.")
    if entry.approved:
        raise AppError("invalid", "You have approved this entry already.")
    return Event(
        "entry.approved",
        {"entry": entry.public() | {"ask_first": {"participant": actor.id, "approved": True}}},
    )
