"""The child's own voice: the three houses (worries, good things, dreams) the child filled in
the preparation with a worker, in words and pictures. The meeting holds them unseen; the chair
asks the child, and only when the child agrees on their phone do they enter the record, as the
child's own words. A "no" is kept, and the chair may ask again later. Rules only; no I/O."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.errors import AppError
from app.i18n import N_, translate
from app.meetings import schemas as s
from app.meetings.domain import Entry
from app.meetings.guards import Context, Event, chair, find_participant, open_, voice
from app.meetings.rules import rule

if TYPE_CHECKING:
    from app.meetings.domain import MeetingState

HOUSE_NAMES = {"worries": N_("Worries"), "good": N_("Good things"), "dreams": N_("Dreams")}


@rule("houses.offer")
def _houses_offer(state: MeetingState, op: s.HousesOffer, actor_id: str, ctx: Context) -> Event:
    chair(state, actor_id)
    open_(state)
    if not state.houses:
        raise AppError("invalid", "This meeting has no houses from the preparation.")
    if state.houses_status in ("offered", "shown"):
        raise AppError("invalid", "The houses have been asked about already.")
    child = find_participant(state, op.participant)
    if not child.admitted or child.kind != "participant":
        raise AppError("invalid", "Ask someone in the meeting who is not chair or scribe.")
    items = [dict(i) for i in state.houses]
    return Event("houses.offered", {"participant": child.id, "houses": items})


@rule("houses.answer")
def _houses_answer(state: MeetingState, op: s.HousesAnswer, actor_id: str, ctx: Context) -> Event:
    actor = voice(state, actor_id)
    open_(state)
    if state.houses_status != "offered" or state.houses_child != actor.id or not state.houses:
        raise AppError("not_found", "Nothing is waiting for your answer.")
    if not op.show:
        return Event("houses.declined", {"participant": actor.id})
    phase = state.phases[state.current_phase]
    entries = [
        Entry(
            id=ctx.new_id(),
            phase=phase["key"],
            kind=phase["kind"],
            text=_said(item, state.language),
            speaker=actor.id,
            own_words=True,
        ).public()
        for item in state.houses
    ]
    return Event("houses.shown", {"participant": actor.id, "entries": entries})


def _said(item: dict[str, str], lang: str) -> str:
    """One thing of a house as an entry: the house, the picture the child chose, their words."""
    picture = f"{item['picture']} " if item.get("picture") else ""
    return f"{translate(HOUSE_NAMES[item['house']], lang)}: {picture}{item['text']}"
