"""Raised hands and reactions: how the people in the room ask for a turn and answer an entry
(agreeing, or unsure) without speaking over anyone. Rules only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.errors import AppError
from app.i18n import N_
from app.meetings import schemas as s
from app.meetings.guards import Context, Event, iso_ms, open_, own_or_chairs, shared_entry, voice
from app.meetings.rules import rule

if TYPE_CHECKING:
    from app.meetings.domain import MeetingState


@rule("hand.raise")
def _hand_raise(state: MeetingState, op: s.HandRaise, actor_id: str, ctx: Context) -> Event:
    actor = voice(state, actor_id)
    open_(state)
    if actor.hand:
        raise AppError("invalid", "Your hand is already up.")
    # The time orders the chair's queue of raised hands: two in one second keep theirs.
    return Event("hand.raised", {"participant": actor.id, "at": iso_ms(ctx.now)})


@rule("hand.lower")
def _hand_lower(state: MeetingState, op: s.HandLower, actor_id: str, ctx: Context) -> Event:
    actor = voice(state, actor_id)
    open_(state)
    target = own_or_chairs(
        state, actor, op.participant, N_("Only the chair lowers another's hand.")
    )
    if not target.hand:
        raise AppError("invalid", "That hand is not up.")
    return Event("hand.lowered", {"participant": target.id})


@rule("entry.react")
def _entry_react(state: MeetingState, op: s.EntryReact, actor_id: str, ctx: Context) -> Event:
    actor = voice(state, actor_id)
    open_(state)
    entry = shared_entry(state, actor, op.entry)
    if entry.reactions.get(actor.id) == op.reaction:
        raise AppError("invalid", "That is already your answer.")
    data = {"entry": entry.id, "participant": actor.id, "reaction": op.reaction}
    return Event("entry.reacted", data)
