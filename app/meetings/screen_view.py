"""The shared screen's snapshot: what the room's projector shows, and no more of the record.

Open: the current phase's entries (and those of the board brought to the plenary), how many
entries each phase has, the people let in. Closed: the closed meeting's bare state (its title,
its phases' titles, the family's summary link and the next meeting), no entry and no name."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.meetings.domain import MeetingState


def screen_view(state: MeetingState, body: dict[str, Any]) -> dict[str, Any]:
    """`body` (the screen's full snapshot) cut down to what the projector shows."""
    if state.status == "closed":
        return _closed(body)
    phase = body["phases"][state.current_phase]["key"]
    showing = state.workshop.showing
    counts = Counter(e.phase for e in state.entries.values() if e.shared and e.board is None)
    return {
        **body,
        "entries": [
            e
            for e in body["entries"]
            if e["phase"] == phase or (showing is not None and e.get("board") == showing)
        ],
        "participants": [p for p in body["participants"] if p["admitted"]],
        "counts": {p["key"]: counts.get(p["key"], 0) for p in body["phases"]},
    }


def _closed(body: dict[str, Any]) -> dict[str, Any]:
    process = body["process"]
    return {
        **body,
        "entries": [],
        "participants": [],
        "timer": None,
        "round": None,
        "silent": None,
        "counts": {},
        "process": {
            "preparation": None,
            "review": None,
            "next_meeting": process["next_meeting"],
            "summary": process["summary"],
            "retain_until": None,
        },
        "workshop": {"groups": [], "experts": [], "bowl": None, "showing": None},
    }
