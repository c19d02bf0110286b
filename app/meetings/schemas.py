"""Ops (client → server) as a pydantic discriminated union keyed on `op`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
)

from app.text import visible_label

OpId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
Ref = Annotated[str, StringConstraints(min_length=1, max_length=64)]
# A name or label someone typed (a speaker, an owner): no invisible characters (app/text.py).
Label = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=80), AfterValidator(visible_label)
]
Text = Annotated[str, StringConstraints(max_length=8000)]
PhaseKey = Annotated[str, StringConstraints(min_length=1, max_length=40)]
# The language words were interpreted from, as the scribe names it ("arabia", "somali").
Language = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=40), AfterValidator(visible_label)
]


class _Op(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    id: OpId


class Hello(BaseModel):
    """The first frame on a socket, and the resume after a reconnect."""

    model_config = ConfigDict(extra="forbid", strict=True)
    op: Literal["hello"]
    id: OpId | None = None
    since: int = Field(default=0, ge=0)


class Ping(BaseModel):
    """The browser's heartbeat: answered with a `pong` frame, never stored nor counted."""

    model_config = ConfigDict(extra="forbid", strict=True)
    op: Literal["ping"]
    id: OpId | None = None


class PhaseGoto(_Op):
    op: Literal["phase.goto"]
    index: int = Field(ge=0)


class ParticipantRef(_Op):
    op: Literal["participant.admit", "participant.remove"]
    participant: Ref


class ParticipantRole(_Op):
    op: Literal["participant.role"]
    participant: Ref
    # "chair" hands the chair over: the sender becomes a participant.
    role: Literal["scribe", "participant", "chair"]


class ChairReclaim(_Op):
    """The account that opened the meeting takes the chair back, from whoever holds it."""

    op: Literal["chair.reclaim"]


class ParticipantInterpreter(_Op):
    op: Literal["participant.interpreter"]
    participant: Ref
    interpreter: bool


class PauseAsk(_Op):
    """The interpreter asks for a pause to interpret."""

    op: Literal["pause.ask"]


class PauseEnd(_Op):
    """The pause is over: said by the interpreter, or by the chair (`participant`)."""

    op: Literal["pause.end"]
    participant: Ref | None = None


class ParticipantFamily(_Op):
    op: Literal["participant.family"]
    participant: Ref
    family: bool


class TimerStart(_Op):
    op: Literal["timer.start"]
    seconds: int = Field(ge=10, le=4 * 3600)
    # Add the time interpreting takes (app/meetings/interpreting.py says how much).
    interpreting: bool = False


class TimerExtend(_Op):
    op: Literal["timer.extend"]
    seconds: int = Field(ge=10, le=3600)


class MeetingLobby(_Op):
    """Open or close the lobby: while it is closed, nobody new can knock."""

    op: Literal["meeting.lobby"]
    open: bool


class TimerStop(_Op):
    op: Literal["timer.stop"]
    seconds: int | None = None


class MeetingClose(_Op):
    op: Literal["meeting.close"]


class EntryAdd(_Op):
    op: Literal["entry.add"]
    phase: PhaseKey
    text: Text
    speaker: Label | None = None
    own_words: bool = False
    owner: Label | None = None
    due: dt.date | None = Field(default=None, strict=False)
    answers: Ref | None = None
    board: Ref | None = None  # a small group's board (a workshop's groups step)
    # Shown only to the chair, the scribe and this participant until they approve it.
    ask_first: Ref | None = None
    interpreted_from: Language | None = None


class EntryEdit(_Op):
    op: Literal["entry.edit"]
    entry: Ref
    version: int = Field(ge=1)
    text: Text | None = None
    phase: PhaseKey | None = None
    speaker: Label | None = None
    own_words: bool | None = None
    owner: Label | None = None
    due: dt.date | None = Field(default=None, strict=False)
    answers: Ref | None = None
    interpreted_from: Language | None = None


class EntryDelete(_Op):
    op: Literal["entry.delete"]
    entry: Ref


class EntryRestore(_Op):
    """Undo a delete."""

    op: Literal["entry.restore"]
    entry: Ref


class Draft(BaseModel):
    """What the scribe is typing: ephemeral, never stored."""

    model_config = ConfigDict(extra="forbid", strict=True)
    op: Literal["draft"]
    id: OpId | None = None
    phase: PhaseKey
    text: Text
    board: Ref | None = None  # a group's scribe typing on the group's board


class HandRaise(_Op):
    op: Literal["hand.raise"]


class HandLower(_Op):
    op: Literal["hand.lower"]
    participant: Ref | None = None


class EntryReact(_Op):
    op: Literal["entry.react"]
    entry: Ref
    reaction: Literal["agree", "unsure"] | None


class HousesOffer(_Op):
    """The chair asks the child whether their three houses may be shown in the meeting."""

    op: Literal["houses.offer"]
    participant: Ref


class HousesAnswer(_Op):
    """The child's answer on their phone: show the houses, or not."""

    op: Literal["houses.answer"]
    show: bool


class EntryApprove(_Op):
    """The person an entry was asked of first lets it into the shared record."""

    op: Literal["entry.approve"]
    entry: Ref


class EntryUnclear(_Op):
    """ "I don't understand this" said of an entry, or taken back."""

    op: Literal["entry.unclear"]
    entry: Ref
    unclear: bool


class RoundStart(_Op):
    op: Literal["round.start"]
    phase: PhaseKey
    # The speakers in order; shuffled from everyone in the meeting when absent.
    order: list[Ref] | None = Field(default=None, max_length=200)


class RoundStep(_Op):
    op: Literal["round.next", "round.pass", "round.end"]


class SilentOpen(_Op):
    op: Literal["silent.open"]
    phase: PhaseKey


class SilentReveal(_Op):
    op: Literal["silent.reveal"]
    phase: PhaseKey | None = None


class SilentWrite(_Op):
    op: Literal["silent.write"]
    text: Text


class PlanAgree(_Op):
    op: Literal["plan.agree"]
    entry: Ref
    agreement: Literal["agree", "dispute"]
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class EntryCorrect(_Op):
    """A correction to the locked record after the meeting: shown as a correction, with why."""

    op: Literal["entry.correct"]
    entry: Ref
    text: Text
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]


Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class EntryRequest(_Op):
    """Anyone let in asks for a change to an entry: their own wording, what is wrong, or both."""

    op: Literal["entry.request"]
    entry: Ref
    wording: Text | None = None
    note: Note | None = None


class RequestResolve(_Op):
    """The scribe or the chair answers a request: takes its wording (as it is, or as `text`
    edits it) into the entry, or answers it in words (`text`) and leaves the entry as it is."""

    op: Literal["request.resolve"]
    entry: Ref
    request: Ref
    outcome: Literal["accept", "answer"]
    text: Text | None = None


class MeetingSchedule(_Op):
    op: Literal["meeting.schedule"]
    when: dt.datetime = Field(strict=False)
    place: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] | None = None


class SummaryShare(_Op):
    op: Literal["summary.share"]
    days: int = Field(default=14, ge=1, le=90)


class SummaryRevoke(_Op):
    op: Literal["summary.revoke"]


class ReviewMark(_Op):
    op: Literal["review.mark"]
    step: Ref
    status: Literal["done", "partly", "not_yet"]


class WellbeingRate(_Op):
    op: Literal["wellbeing.rate"]
    score: int = Field(ge=0, le=10)


Score = Annotated[int, Field(ge=1, le=5)]


class FeedbackSubmit(_Op):
    op: Literal["feedback.submit"]
    heard: Score
    next: Score
    together: Score
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class GroupsForm(_Op):
    """Split the room into small groups for a groups step: at random, or by hand."""

    op: Literal["groups.form"]
    phase: PhaseKey
    size: int | None = Field(default=None, ge=3, le=6)  # at random, about this many each
    assign: dict[Ref, int] | None = Field(default=None, max_length=200)  # by hand: group number


class GroupRole(_Op):
    op: Literal["group.role"]
    group: Ref
    participant: Ref
    role: Literal["chair", "scribe"]


class BoardShow(_Op):
    """Bring one group's board to the plenary (or none)."""

    op: Literal["board.show"]
    group: Ref | None = None


class ParticipantExpert(_Op):
    op: Literal["participant.expert"]
    participant: Ref
    expert: bool


class BowlOpen(_Op):
    op: Literal["bowl.open"]
    phase: PhaseKey


class BowlClose(_Op):
    op: Literal["bowl.close"]


class BowlAsk(_Op):
    """Ask to step into the fishbowl."""

    op: Literal["bowl.ask"]


class BowlMove(_Op):
    """The facilitator seats someone in the bowl or lets them out (anyone may step out)."""

    op: Literal["bowl.seat", "bowl.leave"]
    participant: Ref


Op = Annotated[
    PhaseGoto
    | ParticipantRef
    | ParticipantRole
    | ChairReclaim
    | ParticipantFamily
    | ParticipantInterpreter
    | PauseAsk
    | PauseEnd
    | TimerStart
    | TimerExtend
    | TimerStop
    | MeetingLobby
    | MeetingClose
    | EntryAdd
    | EntryEdit
    | EntryDelete
    | EntryRestore
    | HandRaise
    | HandLower
    | EntryReact
    | EntryUnclear
    | EntryApprove
    | HousesOffer
    | HousesAnswer
    | FeedbackSubmit
    | RoundStart
    | RoundStep
    | SilentOpen
    | SilentReveal
    | SilentWrite
    | PlanAgree
    | EntryCorrect
    | EntryRequest
    | RequestResolve
    | MeetingSchedule
    | SummaryShare
    | SummaryRevoke
    | ReviewMark
    | WellbeingRate
    | GroupsForm
    | GroupRole
    | BoardShow
    | ParticipantExpert
    | BowlOpen
    | BowlClose
    | BowlAsk
    | BowlMove,
    Field(discriminator="op"),
]
Inbound = Annotated[Op | Hello | Draft | Ping, Field(discriminator="op")]
inbound_adapter: TypeAdapter[Inbound] = TypeAdapter(Inbound)
op_adapter: TypeAdapter[Op] = TypeAdapter(Op)
