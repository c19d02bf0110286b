"""The checks every rule starts with: who sends, in which role, on which target. No I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.errors import AppError
from app.meetings.domain import Entry, MeetingState, Participant

MAX_TEXT = 4000
MAX_ENTRIES = 5000


@dataclass(frozen=True)
class Event:
    """A fact to be sequenced: a name and its data.

    `private` travels with the event into the state and the database but never into the log
    that everyone is sent (a silent writer's text before the reveal).
    """

    name: str
    data: dict[str, Any]
    private: dict[str, Any] = field(default_factory=dict)
    # The log keeps no actor for it (an answer to the feedback questions).
    anonymous: bool = False


@dataclass(frozen=True)
class Context:
    """What the rules may not invent themselves: the time, new ids and a shuffle."""

    now: dt.datetime
    new_id: Callable[[], str]
    shuffle: Callable[[list[str]], list[str]] = lambda items: list(items)
    new_token: Callable[[], str] = lambda: "token"
    retention: dt.timedelta = dt.timedelta(days=30)


def iso(moment: dt.datetime) -> str:
    """UTC time as the protocol writes it."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def actor_of(state: MeetingState, actor_id: str) -> Participant:
    """The sender, who must be in the meeting and not removed."""
    actor = state.participants.get(actor_id)
    if actor is None or actor.removed:
        raise AppError("forbidden", "You are not in this meeting.")
    return actor


def admitted(state: MeetingState, actor_id: str) -> Participant:
    actor = actor_of(state, actor_id)
    if not actor.admitted:
        raise AppError("forbidden", "The chair has not let you in yet.")
    return actor


def iso_ms(moment: dt.datetime) -> str:
    """UTC time to the millisecond: for an order that a second is too coarse for."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def open_(state: MeetingState) -> None:
    if state.status != "open":
        raise AppError("closed", "The meeting has been closed.")


def chair(state: MeetingState, actor_id: str) -> Participant:
    actor = admitted(state, actor_id)
    if actor.kind != "chair":
        raise AppError("forbidden", "Only the chair can do this.")
    return actor


def writer(state: MeetingState, actor_id: str) -> Participant:
    actor = admitted(state, actor_id)
    if actor.kind not in ("chair", "scribe"):
        raise AppError("forbidden", "Only the scribe or the chair writes the record.")
    return actor


def voice(state: MeetingState, actor_id: str) -> Participant:
    actor = admitted(state, actor_id)
    if actor.kind == "screen":
        raise AppError("forbidden", "The shared screen only shows the meeting.")
    return actor


def find_participant(state: MeetingState, participant_id: str) -> Participant:
    target = state.participants.get(participant_id)
    if target is None or target.removed:
        raise AppError("not_found", "No such participant.")
    return target


def own_or_chairs(
    state: MeetingState, actor: Participant, named: str | None, refusal: str
) -> Participant:
    """The participant an op names, the sender when it names none: only the chair names another
    (lowers someone's hand, ends the interpreter's pause)."""
    who = named or actor.id
    if who != actor.id and actor.kind != "chair":
        raise AppError("forbidden", refusal)
    return find_participant(state, who)


def live_entry(state: MeetingState, entry_id: str) -> Entry:
    entry = state.entries.get(entry_id)
    if entry is None or entry.deleted:
        raise AppError("not_found", "No such entry.")
    return entry


def seen_entry(state: MeetingState, actor: Participant, entry_id: str) -> Entry:
    """A live entry this person may see: one asked of someone else first is, to them, not there."""
    entry = live_entry(state, entry_id)
    if not entry.seen_by(actor):
        raise AppError("not_found", "No such entry.")
    return entry


def shared_entry(state: MeetingState, actor: Participant, entry_id: str) -> Entry:
    """An entry of the shared record to react to: one still waiting for its approval is only
    approved, or asked to be changed, by the person it concerns."""
    entry = seen_entry(state, actor, entry_id)
    if entry.pending:
        raise AppError("invalid", "Approve the entry, or ask for a change, first.")
    return entry


def clean_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise AppError("invalid", "An entry needs some text.")
    if len(text) > MAX_TEXT:
        raise AppError("invalid", "An entry is at most 4000 characters.")
    return text
