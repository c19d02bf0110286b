"""What each meeting event does to the live sockets besides reaching them: said once, here,
for the hub (which knows the effects, never the events)."""

from __future__ import annotations

import json

from app.realtime.connection import NO_EFFECT, Effect, StoredEvent

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
    if event.name == "participant.role_changed":
        data = json.loads(event.frame)["data"]
        roles = {data["participant"]: data["kind"]}
        if "previous" in data:  # the chair handed over
            roles[data["previous"]] = "participant"
        return Effect(roles=roles)
    return EFFECTS.get(event.name, NO_EFFECT)
