"""What each meeting event does to the live sockets besides reaching them: said once, here,
for the hub (which knows the effects, never the events)."""

from __future__ import annotations

import json

from app.meetings.screen_reach import WITH_ENTRY
from app.realtime.connection import NO_EFFECT, Effect, StoredEvent

ASK_FIRST = '"ask_first":'  # in the frame only when an entry is asked of someone first
LETS_IN = Effect(lets_in=True)
TURNS_AWAY = Effect(turns_away=True)
ENDS = Effect(ends=True)
HIDES_TEXT = Effect(hides_text=True)

EFFECTS: dict[str, Effect] = {
    "participant.admitted": LETS_IN,  # the one waiting in the lobby comes in
    "participant.removed": TURNS_AWAY,  # declined or removed: their sockets are cut
    "meeting.closed": ENDS,  # only account holders keep a live view, to correct the record
    "entry.deleted": HIDES_TEXT,  # the log still holds the text in the entry's `entry.added`
}


def effect_of(event: StoredEvent) -> Effect:
    """The effect of this event on the sockets (most have none)."""
    if event.name in WITH_ENTRY and ASK_FIRST in event.frame:
        # An entry asked of someone first reaches, until they approve it, only them and the
        # record's writers (`Entry.seen_by` says the same of snapshots).
        ask = json.loads(event.frame)["data"]["entry"].get("ask_first")
        if ask is not None and not ask["approved"]:
            return Effect(audience=frozenset({ask["participant"]}))
    if event.name == "houses.offered":
        # The child's houses reach the child (and the record's writers) only.
        data = json.loads(event.frame)["data"]
        return Effect(audience=frozenset({data["participant"]}))
    if event.name == "participant.role_changed":
        data = json.loads(event.frame)["data"]
        roles = {data["participant"]: data["kind"]}
        if "previous" in data:  # the chair handed over
            roles[data["previous"]] = "participant"
        return Effect(roles=roles)
    return EFFECTS.get(event.name, NO_EFFECT)
