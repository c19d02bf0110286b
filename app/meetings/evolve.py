"""How the cached state takes an event: its changes (`changes.py`), one way per entity kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.meetings.changes import Change, changes, merged
from app.meetings.domain import Entry, MeetingState, Participant, SilentItem
from app.meetings.workshop_state import evolve as evolve_workshop


def evolve(state: MeetingState, name: str, data: dict[str, Any], actor: str | None) -> None:
    """Apply one event (its data with any private part) to the state in place."""
    apply_changes(state, changes(name, data, actor))


def apply_changes(state: MeetingState, given: list[Change]) -> None:
    """Apply an event's changes to the state in place."""
    for change in given:
        _APPLY[change.kind](state, change)


def _set(target: object, change: Change) -> None:
    for key, value in change.set.items():
        setattr(target, key, value)
    _merge(target, change.merge)


def _merge(target: object, merges: dict[str, dict[str, Any]]) -> None:
    for key, update in merges.items():
        setattr(target, key, merged(getattr(target, key), update))


def _meeting(state: MeetingState, change: Change) -> None:
    _set(state, change)


def _participant(state: MeetingState, change: Change) -> None:
    if change.new:
        state.participants[str(change.id)] = Participant(id=str(change.id), **change.set)
    elif change.id is None:
        for person in state.participants.values():
            _set(person, change)
    else:
        _set(state.participants[change.id], change)


def _entry(state: MeetingState, change: Change) -> None:
    if change.new:
        state.entries[str(change.id)] = Entry(id=str(change.id), **change.set)
    else:
        _set(state.entries[str(change.id)], change)


def _silent_item(state: MeetingState, change: Change) -> None:
    if state.silent is not None:
        item = change.set
        state.silent.items[str(change.id)] = SilentItem(
            str(change.id), item["writer"], item["text"]
        )


def _process(state: MeetingState, change: Change) -> None:
    process = state.process
    for key, value in change.set.items():
        setattr(process, key, value)
    # The review's marks and answers: only a meeting that opened with a review has them.
    if process.review is not None:
        _merge(process.review, change.merge)


def _workshop(state: MeetingState, change: Change) -> None:
    evolve_workshop(state.workshop, change.set["event"], change.set["data"])


_APPLY: dict[str, Callable[[MeetingState, Change], None]] = {
    "meeting": _meeting,
    "participant": _participant,
    "entry": _entry,
    "silent_item": _silent_item,
    "process": _process,
    "workshop": _workshop,
}
