"""Every event a meeting's log can hold, typed: one pydantic model per event name.

The rules build an event's data as a plain dict (the hot path writes it to the log as it is);
these models say what that data is, once, for every reader: the cached state (`domain.evolve`),
the tables (`projection.project`) and the browsers (`model.js`). `tests/conformance/` checks that
each event of the conformance log is valid here and that the three readers agree on it, and
`tests/meetings/test_rules_registry.py` that no rule emits a name missing here. No I/O."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import Field, TypeAdapter

from app.meetings.event_views import (
    Data,
    EntryView,
    GroupView,
    Kind,
    NextMeeting,
    ParticipantView,
    RoundView,
    TimerView,
)

# -- the events, by what they change ---------------------------------------------------------


class ParticipantJoined(Data):
    """Someone knocked. Private (the tables' only): their credential's hash, their account."""

    name: Literal["participant.joined"]
    participant: ParticipantView
    credential: str | None = None
    user: int | None = None


class ParticipantAdmitted(Data):
    name: Literal["participant.admitted"]
    participant: ParticipantView


class ParticipantChanged(Data):
    name: Literal["participant.changed"]
    participant: ParticipantView


class ParticipantRemoved(Data):
    name: Literal["participant.removed"]
    participant: str


class ParticipantRoleChanged(Data):
    """A role given; `previous` is who held it before (the chair or the scribe handed over)."""

    name: Literal["participant.role_changed"]
    participant: str
    kind: Kind
    previous: str | None = None


class HandRaised(Data):
    name: Literal["hand.raised"]
    participant: str
    at: str


class HandLowered(Data):
    name: Literal["hand.lowered"]
    participant: str


class PauseAsked(Data):
    """The interpreter asks the chair for a pause to interpret."""

    name: Literal["pause.asked"]
    participant: str
    at: str


class PauseEnded(Data):
    name: Literal["pause.ended"]
    participant: str


class LobbyChanged(Data):
    name: Literal["lobby.changed"]
    open: bool


class PhaseChanged(Data):
    name: Literal["phase.changed"]
    index: int
    key: str


class TimerStarted(Data):
    name: Literal["timer.started"]
    timer: TimerView


class TimerStopped(Data):
    name: Literal["timer.stopped"]


class MeetingClosed(Data):
    name: Literal["meeting.closed"]
    closed_at: str
    retain_until: str


class EntryWhole(Data):
    """An entry added, edited, restored, corrected or approved by the person it was asked of
    first: its whole new version."""

    name: Literal[
        "entry.added", "entry.edited", "entry.restored", "entry.corrected", "entry.approved"
    ]
    entry: EntryView


class EntryRequestEvent(Data):
    """A correction request made, or resolved: the entry's whole new version (its requests
    with it) and which request it was."""

    name: Literal["entry.requested", "request.resolved"]
    entry: EntryView
    request: str


class EntryDeleted(Data):
    """Only the id: those who may not restore it never receive its text again."""

    name: Literal["entry.deleted"]
    entry: str
    version: int


class EntryReacted(Data):
    name: Literal["entry.reacted"]
    entry: str
    participant: str
    reaction: Literal["agree", "unsure"] | None


class PlanAgreed(Data):
    name: Literal["plan.agreed"]
    entry: str
    participant: str
    agreement: Literal["agree", "dispute"]
    comment: str | None


class RoundMoved(Data):
    name: Literal["round.started", "round.advanced"]
    round: RoundView
    speaker: str | None
    next: str | None


class RoundEnded(Data):
    name: Literal["round.ended"]
    completed: bool
    passed: list[str]


class SilentOpened(Data):
    name: Literal["silent.opened"]
    phase: str


class SilentItemView(Data):
    id: str
    writer: str
    text: str


class SilentWritten(Data):
    """How many thoughts there are; the thought itself (`item`) is private to its writer."""

    name: Literal["silent.written"]
    phase: str
    count: int
    item: SilentItemView | None = None


class SilentRevealed(Data):
    name: Literal["silent.revealed"]
    phase: str
    entries: list[EntryView]


class FeedbackReceived(Data):
    name: Literal["feedback.received"]
    count: int


class NextScheduled(Data):
    name: Literal["next.scheduled"]
    next: NextMeeting


class SummaryShared(Data):
    """The log keeps a link id; the token (an HMAC of it) is stored nowhere but as a hash."""

    name: Literal["summary.shared"]
    link: str
    expires_at: str
    token: str | None = None


class SummaryRevoked(Data):
    name: Literal["summary.revoked"]


class EntryUnclear(Data):
    """How many said they do not understand an entry; who (`participant`) and whether they now
    do (`unclear`) is private."""

    name: Literal["entry.unclear"]
    entry: str
    count: int
    participant: str | None = None
    unclear: bool | None = None


class HouseItem(Data):
    """One thing in one of the child's three houses (app/preparation/model.py `House`)."""

    house: Literal["worries", "good", "dreams"]
    text: str
    picture: str


class HousesOffered(Data):
    """The chair asks the child whether their three houses may be shown: only the child (and
    the chair and the scribe) are sent the houses."""

    name: Literal["houses.offered"]
    participant: str
    houses: list[HouseItem]


class HousesShown(Data):
    """The child agreed: their houses are entries of the record now, in their own words."""

    name: Literal["houses.shown"]
    participant: str
    entries: list[EntryView]


class HousesDeclined(Data):
    name: Literal["houses.declined"]
    participant: str


class ReviewMarked(Data):
    name: Literal["review.marked"]
    step: str
    status: Literal["done", "partly", "not_yet"]


class WellbeingRated(Data):
    """Everyone sees the count and the average; the answer (`participant`, `score`) is private."""

    name: Literal["wellbeing.rated"]
    count: int
    average: float | None
    participant: str | None = None
    score: int | None = None


class GroupsFormed(Data):
    name: Literal["groups.formed"]
    phase: str
    groups: list[GroupView]


class GroupRoleSet(Data):
    name: Literal["group.role_set"]
    group: str
    participant: str
    role: Literal["chair", "scribe"]


class BoardShown(Data):
    name: Literal["board.shown"]
    group: str | None


class ExpertSet(Data):
    name: Literal["participant.expert_set"]
    participant: str
    expert: bool


class BowlOpened(Data):
    name: Literal["bowl.opened"]
    phase: str
    seats: list[str]


class BowlClosed(Data):
    name: Literal["bowl.closed"]


class BowlMoved(Data):
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
EVENT_MODELS: tuple[type[Data], ...] = get_args(get_args(AnyEvent)[0])

# Every event name, and the model of its data.
EVENT_TYPES: dict[str, type[Data]] = {
    name: model
    for model in EVENT_MODELS
    for name in model.model_fields["name"].annotation.__args__  # type: ignore[union-attr]
}

event_adapter: TypeAdapter[Data] = TypeAdapter(AnyEvent)


def parse_event(name: str, data: dict[str, Any]) -> Data:
    """The event (its data with any private part merged in) as its model; raises
    `pydantic.ValidationError` when it is not that, or names no event."""
    return event_adapter.validate_python({**data, "name": name})
