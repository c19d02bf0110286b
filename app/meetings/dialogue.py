"""The dialogue tools' rules: rounds, silent writing, the family's agreement to the plan.

So that every voice is heard: a round invites each person in turn (anyone may pass); silent
writing lets everyone write before anyone's view anchors the others'; the family says whether
each plan step is agreed. No I/O.
"""

from __future__ import annotations

from typing import Any

from app.errors import AppError
from app.meetings import schemas as s
from app.meetings.domain import Entry, MeetingState, Round
from app.meetings.guards import (
    Context,
    Event,
    actor_of,
    chair,
    clean_text,
    open_,
    shared_entry,
    voice,
)
from app.meetings.rules import rule

MAX_SILENT_ITEMS = 20  # per writer and phase


def _phase(state: MeetingState, key: str) -> dict[str, Any]:
    phase = state.phase(key)
    if phase is None:
        raise AppError("invalid", "The frame has no such phase.")
    return phase


def _speakers(state: MeetingState, order: list[str] | None, ctx: Context) -> list[str]:
    everyone = [
        p.id
        for p in state.participants.values()
        if p.admitted and not p.removed and p.kind != "screen"
    ]
    if order is None:
        # The room's voices: the chair and the scribe speak in a round only when named.
        kinds = {p.id: p.kind for p in state.participants.values()}
        voices = [p for p in everyone if kinds[p] not in ("chair", "scribe")]
        if not voices:
            raise AppError("invalid", "Nobody is in the round yet: name who speaks.")
        return ctx.shuffle(voices)
    if not order or len(set(order)) != len(order) or not set(order) <= set(everyone):
        raise AppError("invalid", "A round's order names each person in the meeting once.")
    return list(order)


def _advance(state: MeetingState, passed: str | None) -> Event:
    current = state.round
    assert current is not None
    done = [*current.passed, passed] if passed else list(current.passed)
    if current.index + 1 >= len(current.order):
        return Event("round.ended", {"completed": True, "passed": done})
    nxt = Round(current.phase, current.order, current.index + 1, done)
    return Event(
        "round.advanced", {"round": nxt.public(), "speaker": nxt.speaker, "next": nxt.next}
    )


@rule("round.start")
def _round_start(state: MeetingState, op: s.RoundStart, actor_id: str, ctx: Context) -> Event:
    chair(state, actor_id)
    open_(state)
    _phase(state, op.phase)
    if state.round is not None:
        raise AppError("invalid", "A round is going on: end it first.")
    started = Round(op.phase, _speakers(state, op.order, ctx))
    data: dict[str, Any] = {
        "round": started.public(),
        "speaker": started.speaker,
        "next": started.next,
    }
    return Event("round.started", data)


@rule("round.next")
def _round_next(state: MeetingState, op: s.RoundStep, actor_id: str, ctx: Context) -> Event:
    chair(state, actor_id)
    open_(state)
    if state.round is None:
        raise AppError("invalid", "No round is going on.")
    return _advance(state, None)


@rule("round.pass")
def _round_pass(state: MeetingState, op: s.RoundStep, actor_id: str, ctx: Context) -> Event:
    actor = voice(state, actor_id)
    open_(state)
    if state.round is None:
        raise AppError("invalid", "No round is going on.")
    if actor.id != state.round.speaker and actor.kind != "chair":
        raise AppError("forbidden", "Only the person whose turn it is, or the chair, passes.")
    return _advance(state, state.round.speaker)


@rule("round.end")
def _round_end(state: MeetingState, op: s.RoundStep, actor_id: str, ctx: Context) -> Event:
    chair(state, actor_id)
    if state.round is None:
        raise AppError("invalid", "No round is going on.")
    return Event("round.ended", {"completed": False, "passed": list(state.round.passed)})


@rule("silent.open")
def _silent_open(state: MeetingState, op: s.SilentOpen, actor_id: str, ctx: Context) -> Event:
    chair(state, actor_id)
    open_(state)
    _phase(state, op.phase)
    if state.silent is not None:
        raise AppError("invalid", "Silent writing is already open.")
    return Event("silent.opened", {"phase": op.phase})


@rule("silent.write")
def _silent_write(state: MeetingState, op: s.SilentWrite, actor_id: str, ctx: Context) -> Event:
    actor = voice(state, actor_id)
    open_(state)
    if state.silent is None:
        raise AppError("invalid", "Silent writing is not open.")
    mine = [i for i in state.silent.items.values() if i.writer == actor.id]
    if len(mine) >= MAX_SILENT_ITEMS:
        raise AppError("invalid", "That is all the thoughts one person can write here.")
    item = {"id": op.id, "writer": actor.id, "text": clean_text(op.text)}
    # Everyone hears that a thought was written, never what or by whom.
    data = {"phase": state.silent.phase, "count": len(state.silent.items) + 1}
    return Event("silent.written", data, private={"item": item})


@rule("silent.reveal")
def _silent_reveal(state: MeetingState, op: s.SilentReveal, actor_id: str, ctx: Context) -> Event:
    chair(state, actor_id)
    open_(state)
    if state.silent is None:
        raise AppError("invalid", "Silent writing is not open.")
    phase = _phase(state, state.silent.phase)
    entries = [
        Entry(
            id=ctx.new_id(),
            phase=phase["key"],
            text=item.text,
            kind="note" if phase["kind"] in ("plan", "solution") else phase["kind"],
            speaker=item.writer,
            own_words=True,
        ).public()
        for item in state.silent.items.values()
    ]
    return Event("silent.revealed", {"phase": phase["key"], "entries": entries})


@rule("plan.agree")
def _plan_agree(state: MeetingState, op: s.PlanAgree, actor_id: str, ctx: Context) -> Event:
    actor = voice(state, actor_id)
    open_(state)
    if not actor.family:
        raise AppError("forbidden", "The family says whether the plan is agreed.")
    step = shared_entry(state, actor, op.entry)
    if step.kind != "plan":
        raise AppError("invalid", "Only plan steps are agreed.")
    data = {
        "entry": step.id,
        "participant": actor.id,
        "agreement": op.agreement,
        "comment": op.comment or None,
    }
    return Event("plan.agreed", data)


__all__ = ["actor_of"]
