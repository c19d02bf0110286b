"""An interpreter in the meeting: the chair makes someone let in the interpreter; they see what a
family member sees, ask the chair for a pause to interpret, and the phase timers can give the
time interpreting takes. Entries say which language they were interpreted from. Rules only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.errors import AppError
from app.i18n import N_
from app.meetings import schemas as s
from app.meetings.guards import (
    Context,
    Event,
    chair,
    find_participant,
    iso_ms,
    open_,
    own_or_chairs,
    voice,
)
from app.meetings.rules import rule

if TYPE_CHECKING:
    from app.meetings.domain import MeetingState

# Consecutive interpreting takes about as long again as the words; a phase given this share
# more keeps most of its talk (the chair sees the added time on the timer).
INTERPRETING_SHARE = 0.5


def interpreting_time(seconds: int) -> int:
    """The time added to a phase timer of `seconds` for interpreting, whole minutes."""
    return round(seconds * INTERPRETING_SHARE / 60) * 60


@rule("participant.interpreter")
def _participant_interpreter(
    state: MeetingState, op: s.ParticipantInterpreter, actor_id: str, ctx: Context
) -> Event:
    chair(state, actor_id)
    open_(state)
    target = find_participant(state, op.participant)
    if target.kind != "participant" or not target.admitted:
        raise AppError("invalid", "Only someone let in, not chair or scribe, interprets.")
    if target.interpreter == op.interpreter:
        raise AppError("invalid", "They already have that role.")
    changed = target.public() | {"interpreter": op.interpreter}
    if not op.interpreter:
        changed |= {"pause": False, "pause_at": None}
    return Event("participant.changed", {"participant": changed})


@rule("pause.ask")
def _pause_ask(state: MeetingState, op: s.PauseAsk, actor_id: str, ctx: Context) -> Event:
    actor = voice(state, actor_id)
    open_(state)
    if not actor.interpreter:
        raise AppError("forbidden", "Only the interpreter asks for a pause to interpret.")
    if actor.pause:
        raise AppError("invalid", "You have asked for a pause already.")
    return Event("pause.asked", {"participant": actor.id, "at": iso_ms(ctx.now)})


@rule("pause.end")
def _pause_end(state: MeetingState, op: s.PauseEnd, actor_id: str, ctx: Context) -> Event:
    actor = voice(state, actor_id)
    open_(state)
    target = own_or_chairs(state, actor, op.participant, N_("Only the chair ends another's pause."))
    if not target.pause:
        raise AppError("invalid", "No pause has been asked for.")
    return Event("pause.ended", {"participant": target.id})
