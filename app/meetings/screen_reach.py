"""What of the live meeting reaches the shared screen: what the projector shows.

The screen is sent its own snapshot (see app/meetings/screen_view.py); after it, only the
events it may see as they are. Any other event (an entry of another phase, a knock at the
lobby, a new phase, the close) reaches it as a fresh snapshot instead, which keeps its seq
without a gap and shows exactly what the projector may show."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from app.realtime.connection import StoredEvent

# These change what the screen may see (or name someone waiting in the lobby): a new snapshot.
REFRESH = frozenset({"phase.changed", "board.shown", "meeting.closed", "participant.joined"})
# A correction request made or answered carries the entry whole, as an edit does.
WITH_ENTRY = frozenset(
    {
        "entry.added",
        "entry.edited",
        "entry.restored",
        "entry.corrected",
        "entry.requested",
        "request.resolved",
        "entry.approved",
    }
)
# These may bring the screen an entry it has not had: added, or approved into the shared record.
BRING_ENTRY = frozenset({"entry.added", "entry.approved"})
ABOUT_ENTRY = frozenset({"entry.deleted", "entry.reacted", "entry.unclear", "plan.agreed"})
# Thoughts revealed and the child's houses shown: entries added, all at once.
WITH_ENTRIES = frozenset({"silent.revealed", "houses.shown"})
# After the close the screen shows the family's summary code, and nothing of the record.
AFTER_CLOSE = frozenset({"summary.shared", "summary.revoked", "next.scheduled"})


@dataclass
class ScreenReach:
    """The screen's view as of its last snapshot: the phase shown, the board brought to the
    plenary, the entries it was sent, whether the meeting is closed."""

    phase: str = ""
    showing: str | None = None
    closed: bool = True  # until the first snapshot, nothing but a snapshot reaches it
    entries: set[str] = field(default_factory=set)
    # Drafts that came while the screen was catching up: the latest per writer and board.
    held: dict[tuple[Any, Any], str] = field(default_factory=dict)

    def learn(self, frame: str) -> None:
        """Take in the snapshot frame the screen is being sent."""
        state = json.loads(frame)["state"]
        self.phase = state["phases"][state["current_phase"]]["key"]
        self.showing = (state.get("workshop") or {}).get("showing")
        self.closed = state["meeting"]["status"] == "closed"
        self.entries = {e["id"] for e in state["entries"]}

    def allows(self, event: StoredEvent) -> bool:
        """Whether the screen may be sent this event as it is (else a snapshot instead)."""
        name = event.name
        if name in REFRESH:
            return False
        if self.closed:
            return name in AFTER_CLOSE
        if name in WITH_ENTRY or name in ABOUT_ENTRY or name in WITH_ENTRIES:
            return self._entries_shown(name, json.loads(event.frame)["data"])
        return True

    def allows_draft(self, frame: str) -> bool:
        """Whether what someone is typing is for the phase on the projector."""
        return not self.closed and json.loads(frame).get("phase") == self.phase

    def hold(self, frame: str) -> None:
        """Keep a draft until the screen has caught up (a newer one from its writer replaces it)."""
        body = json.loads(frame)
        self.held[(body.get("actor"), body.get("board"))] = frame

    def release(self) -> list[str]:
        held, self.held = list(self.held.values()), {}
        return held

    def _entries_shown(self, name: str, data: dict[str, Any]) -> bool:
        if name in ABOUT_ENTRY:
            return data["entry"] in self.entries
        if name in WITH_ENTRIES:
            entries = data["entries"]
        else:
            entries = [data["entry"]]
            if name not in BRING_ENTRY and data["entry"]["id"] not in self.entries:
                return False
        if not all(self._shows(e) for e in entries):
            return False
        self.entries.update(e["id"] for e in entries)
        return True

    def _shows(self, entry: dict[str, Any]) -> bool:
        # An entry still asked of someone first never gets here: the hub keeps every event that
        # carries one from the screen (its audience, app/meetings/effects.py).
        board = entry.get("board")
        return entry["phase"] == self.phase or (board is not None and board == self.showing)
