"""Every event a meeting's log can hold, typed: one pydantic model per event name.

The rules build an event's data as a plain dict (the hot path writes it to the log as it is);
these models say what that data is, once, for every reader: the cached state (`domain.evolve`),
the tables (`projection.project`) and the browsers (`model.js`). `tests/conformance/` checks that
each event of the conformance log is valid here and that the three readers agree on it, and
`tests/meetings/test_rules_registry.py` that no rule emits a name missing here. No I/O."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

Kind = Literal["chair", "scribe", "participant", "screen"]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ParticipantView(_Data):
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


class Correction(_Data):
    text: str
    previous: str
    reason: str
    at: str
    by: str


class Request(_Data):
    """A correction request and what became of it (app/meetings/requests.py)."""

    id: str
    by: str
    at: str
    wording: str | None
    note: str | None
    status: Literal["open", "accepted", "edited", "answered"]
    answer: str | None
    answered_by: str | None


class Agreement(_Data):
    agreement: Literal["agree", "dispute"]
    comment: str | None


class AskFirst(_Data):
    """Whom an entry is asked of first, and whether they have approved it."""

    participant: str
    approved: bool


class EntryView(_Data):
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


class TimerView(_Data):
    phase: int
    seconds: int
    started_at: str
    ends_at: str
    interpreting: int


class RoundView(_Data):
    phase: str
    order: list[str]
    index: int
    speaker: str | None
    next: str | None
    passed: list[str]


class GroupView(_Data):
    id: str
    phase: str
    theme: str
    number: int
    members: list[str]
    chair: str | None
    scribe: str | None


class NextMeeting(_Data):
    when: str
    place: str | None


# -- the events, by what they change ---------------------------------------------------------


class ParticipantJoined(_Data):
    """Someone knocked. Private (the tables' only): their credential's hash, their account."""

    name: Literal["participant.joined"]
    participant: ParticipantView
    credential: str | None = None
    user: int | None = None


class ParticipantAdmitted(_Data):
    name: Literal["participant.admitted"]
    participant: ParticipantView


class ParticipantChanged(_Data):
    name: Literal["participant.changed"]
    participant: ParticipantView


class ParticipantRemoved(_Data):
    name: Literal["participant.removed"]
    participant: str


class ParticipantRoleChanged(_Data):
    """A role given; `previous` is who held it before (the chair or the scribe handed over)."""

    name: Literal["participant.role_changed"]
    participant: str
    kind: Kind
    previous: str | None = None


class HandRaised(_Data):
    name: Literal["hand.raised"]
    participant: str
    at: str


class HandLowered(_Data):
    name: Literal["hand.lowered"]
    participant: str


class PauseAsked(_Data):
    """The interpreter asks the chair for a pause to interpret."""

    name: Literal["pause.asked"]
    participant: str
    at: str


class PauseEnded(_Data):
    name: Literal["pause.ended"]
    participant: str


class LobbyChanged(_Data):
    name: Literal["lobby.changed"]
    open: bool


class PhaseChanged(_Data):
    name: Literal["phase.changed"]
    index: int
    key: str


class TimerStarted(_Data):
    name: Literal["timer.started"]
    timer: TimerView


class TimerStopped(_Data):
    name: Literal["timer.stopped"]


class MeetingClosed(_Data):
    name: Literal["meeting.closed"]
    closed_at: str
    retain_until: str


class EntryWhole(_Data):
    """An entry added, edited, restored, corrected or approved by the person it was asked of
    first: its whole new version."""

    name: Literal[
        "entry.added", "entry.edited", "entry.restored", "entry.corrected", "entry.approved"
    ]
    entry: EntryView


class EntryRequestEvent(_Data):
    """A correction request made, or resolved: the entry's whole new version (its requests
    with it) and which request it was."""

    name: Literal["entry.requested", "request.resolved"]
    entry: EntryView
    request: str


class EntryDeleted(_Data):
    """Only the id: those who may not restore it never receive its text again."""

    name: Literal["entry.deleted"]
    entry: str
    version: int


class EntryReacted(_Data):
    name: Literal["entry.reacted"]
    entry: str
    participant: str
    reaction: Literal["agree", "unsure"] | None


class PlanAgreed(_Data):
    name: Literal["plan.agreed"]
    entry: str
    participant: str
    agreement: Literal["agree", "dispute"]
    comment: str | None


class RoundMoved(_Data):
    name: Literal["round.started", "round.advanced"]
    round: RoundView
    speaker: str | None
    next: str | None


class RoundEnded(_Data):
    name: Literal["round.ended"]
    completed: bool
    passed: list[str]


class SilentOpened(_Data):
    name: Literal["silent.opened"]
    phase: str


class SilentItemView(_Data):
    id: str
    writer: str
    text: str


class SilentWritten(_Data):
    """How many thoughts there are; the thought itself (`item`) is private to its writer."""

    name: Literal["silent.written"]
    phase: str
    count: int
    item: SilentItemView | None = None


class SilentRevealed(_Data):
    name: Literal["silent.revealed"]
    phase: str
    entries: list[EntryView]


class FeedbackReceived(_Data):
    name: Literal["feedback.received"]
    count: int


class NextScheduled(_Data):
    name: Literal["next.scheduled"]
    next: NextMeeting


class SummaryShared(_Data):
    """The log keeps a link id; the token (an HMAC of it) is stored nowhere but as a hash."""

    name: Literal["summary.shared"]
    link: str
    expires_at: str
    token: str | None = None


class SummaryRevoked(_Data):
    name: Literal["summary.revoked"]


class EntryUnclear(_Data):
    """How many said they do not understand an entry; who (`participant`) and whether they now
    do (`unclear`) is private."""

    name: Literal["entry.unclear"]
    entry: str
    count: int
    participant: str | None = None
    unclear: bool | None = None


class HouseItem(_Data):
    """One thing in one of the child's three houses (app/preparation/model.py `House`)."""

    house: Literal["worries", "good", "dreams"]
    text: str
    picture: str


class HousesOffered(_Data):
    """The chair asks the child whether their three houses may be shown: only the child (and
    the chair and the scribe) are sent the houses."""

    name: Literal["houses.offered"]
    participant: str
    houses: list[HouseItem]


class HousesShown(_Data):
    """The child agreed: their houses are entries of the record now, in their own words."""

    name: Literal["houses.shown"]
    participant: str
    entries: list[EntryView]


class HousesDeclined(_Data):
    name: Literal["houses.declined"]
    participant: str


class ReviewMarked(_Data):
    name: Literal["review.marked"]
    step: str
    status: Literal["done", "partly", "not_yet"]


class WellbeingRated(_Data):
    """Everyone sees the count and the average; the answer (`participant`, `score`) is private."""

    name: Literal["wellbeing.rated"]
    count: int
    average: float | None
    participant: str | None = None
    score: int | None = None


class GroupsFormed(_Data):
    name: Literal["groups.formed"]
    phase: str
    groups: list[GroupView]


class GroupRoleSet(_Data):
    name: Literal["group.role_set"]
    group: str
    participant: str
    role: Literal["chair", "scribe"]


class BoardShown(_Data):
    name: Literal["board.shown"]
    group: str | None


class ExpertSet(_Data):
    name: Literal["participant.expert_set"]
    participant: str
    expert: bool


class BowlOpened(_Data):
    name: Literal["bowl.opened"]
    phase: str
    seats: list[str]


class BowlClosed(_Data):
    name: Literal["bowl.closed"]


class BowlMoved(_Data):
    name: Literal["bowl.asked", "bowl.seated", "bowl.left"]
    participant: str


# The one union, keyed on the event's name.
AnyEvent = Annotated[
    ParticipantJoined
    | ParticipantAdmitted
    | ParticipantChanged
    | ParticipantRemoved
    | ParticipantRoleChanged
    | HandRaised
    | HandLowered
    | PauseAsked
    | PauseEnded
    | LobbyChanged
    | PhaseChanged
    | TimerStarted
    | TimerStopped
    | MeetingClosed
    | EntryWhole
    | EntryRequestEvent
    | EntryDeleted
    | EntryReacted
    | EntryUnclear
    | HousesOffered
    | HousesShown
    | HousesDeclined
    | PlanAgreed
    | RoundMoved
    | RoundEnded
    | SilentOpened
    | SilentWritten
    | SilentRevealed
    | FeedbackReceived
    | NextScheduled
    | SummaryShared
    | SummaryRevoked
    | ReviewMarked
    | WellbeingRated
    | GroupsFormed
    | GroupRoleSet
    | BoardShown
    | ExpertSet
    | BowlOpened
    | BowlClosed
    | BowlMoved,
    Field(discriminator="name"),
]
EVENT_MODELS: tuple[type[_Data], ...] = get_args(get_args(AnyEvent)[0])

# Every event name, and the model of its data.
EVENT_TYPES: dict[str, type[_Data]] = {
    name: model
    for model in EVENT_MODELS
    for name in model.model_fields["name"].annotation.__args__  # type: ignore[union-attr]
}

event_adapter: TypeAdapter[_Data] = TypeAdapter(AnyEvent)


def parse_event(name: str, data: dict[str, Any]) -> _Data:
    """The event (its data with any private part merged in) as its model; raises
    `pydantic.ValidationError` when it is not that, or names no event."""
    return event_adapter.validate_python({**data, "name": name})
