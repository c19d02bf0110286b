"""The shapes an event's data carries: a participant, an entry, a timer, a round, a group, the
next meeting. Events (`events.py`) are made of these. No I/O."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Kind = Literal["chair", "scribe", "participant", "screen"]


class Data(BaseModel):
    """Every shape and event: no field but the named ones, no coercion."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ParticipantView(Data):
    """The participant object of the protocol (`Participant.public`)."""

    id: str
    name: str
    role_label: str
    kind: Kind
    family: bool
    admitted: bool
    online: bool
    hand: bool
    hand_at: str | None
    account: bool
    interpreter: bool
    pause: bool
    pause_at: str | None


class Correction(Data):
    text: str
    previous: str
    reason: str
    at: str
    by: str


class Request(Data):
    """A correction request and what became of it (app/meetings/requests.py)."""

    id: str
    by: str
    at: str
    wording: str | None
    note: str | None
    status: Literal["open", "accepted", "edited", "answered"]
    answer: str | None
    answered_by: str | None


class Agreement(Data):
    agreement: Literal["agree", "dispute"]
    comment: str | None


class AskFirst(Data):
    """Whom an entry is asked of first, and whether they have approved it."""

    participant: str
    approved: bool


class EntryView(Data):
    """The entry object of the protocol (`Entry.public`): a plan step has its owner, due date
    and the family's word; a solution what it answers; a group's entry its board."""

    id: str
    phase: str
    text: str
    speaker: str | None
    kind: str
    version: int
    deleted: bool
    own_words: bool
    reactions: dict[str, Literal["agree", "unsure"]]
    corrections: list[Correction]
    requests: list[Request]
    unclear: int
    owner: str | None = None
    due: str | None = None
    agreements: dict[str, Agreement] | None = None
    answers: str | None = None
    board: str | None = None
    ask_first: AskFirst | None = None
    interpreted_from: str | None = None


class TimerView(Data):
    phase: int
    seconds: int
    started_at: str
    ends_at: str
    interpreting: int


class RoundView(Data):
    phase: str
    order: list[str]
    index: int
    speaker: str | None
    next: str | None
    passed: list[str]


class GroupView(Data):
    id: str
    phase: str
    theme: str
    number: int
    members: list[str]
    chair: str | None
    scribe: str | None


class NextMeeting(Data):
    when: str
    place: str | None
