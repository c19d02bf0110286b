""" "I don't understand this": anyone let in says so of an entry, and may take it back. The chair
sees how many said it, never who (the word can then be opened up in the room). Rules only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.errors import AppError
from app.meetings import schemas as s
from app.meetings.guards import Context, Event, open_, shared_entry, voice
from app.meetings.rules import rule

if TYPE_CHECKING:
    from app.meetings.domain import MeetingState


@rule("entry.unclear")
def _entry_unclear(state: MeetingState, op: s.EntryUnclear, actor_id: str, ctx: Context) -> Event:
    actor = voice(state, actor_id)
    open_(state)
    entry = shared_entry(state, actor, op.entry)
    if (actor.id in entry.unclear) == op.unclear:
        raise AppError("invalid", "You have already said so.")
    count = len(entry.unclear) + (1 if op.unclear else -1)
    return Event(
        "entry.unclear",
        {"entry": entry.id, "count": count},
        private={"participant": actor.id, "unclear": op.unclear},
        anonymous=True,  # the log keeps no actor: who said it is nobody's to learn
    )
