"""The rules of a workshop: small groups with boards of their own, the fishbowl, the experts by
experience first, each group's board brought back to the plenary. No I/O."""

from __future__ import annotations

import math
from typing import Any

from app.errors import AppError
from app.meetings import schemas as s
from app.meetings.domain import MeetingState, Participant
from app.meetings.guards import (
    Context,
    Event,
    admitted,
    chair,
    find_participant,
    open_,
    voice,
    writer,
)
from app.meetings.rules import rule
from app.meetings.workshop_state import BOWL_SEATS, GROUP_MAX, GROUP_MIN, Group

MAX_GROUP = 30  # by hand a facilitator may make bigger groups; at random they are 3–6


def board_writer(state: MeetingState, actor_id: str, board: str, phase: str) -> Participant:
    """The sender may write on this group's board: the facilitator, the meeting's scribe, or
    the group's own chair or scribe."""
    actor = admitted(state, actor_id)
    group = state.workshop.groups.get(board)
    if group is None:
        raise AppError("invalid", "No such group.")
    if group.phase != phase:
        raise AppError("invalid", "A group's board belongs to its groups step.")
    if actor.kind in ("chair", "scribe") or actor_id in (group.chair, group.scribe):
        return actor
    raise AppError("forbidden", "Only the group's chair or scribe writes on its board.")


def entry_writer(state: MeetingState, actor_id: str, entry_id: str) -> Participant:
    """Who may change an entry: on a group's board, its writers; elsewhere the record's."""
    entry = state.entries.get(entry_id)
    if entry is not None and entry.board is not None:
        return board_writer(state, actor_id, entry.board, entry.phase)
    return writer(state, actor_id)


def _groups_phase(state: MeetingState, key: str) -> dict[str, Any]:
    phase = state.phase(key)
    if phase is None:
        raise AppError("invalid", "The frame has no such phase.")
    if phase["kind"] != "groups" or not phase.get("groups"):
        raise AppError("invalid", "That step is not small-group work.")
    return phase


def _eligible(state: MeetingState) -> list[Participant]:
    """Who works in the groups: everyone let in but the facilitator and the shared screen."""
    return [
        p
        for p in state.participants.values()
        if p.admitted and not p.removed and p.kind not in ("chair", "screen")
    ]


def _at_random(
    state: MeetingState, people: list[Participant], size: int, ctx: Context
) -> list[list[str]]:
    count = max(1, round(len(people) / size))
    count = min(max(count, math.ceil(len(people) / GROUP_MAX)), len(people) // GROUP_MIN)
    experts = [p.id for p in people if p.id in state.workshop.experts]
    others = ctx.shuffle([p.id for p in people if p.id not in state.workshop.experts])
    groups: list[list[str]] = [[] for _ in range(count)]
    # The experts by experience first, one to a group, so that every group hears them.
    for n, pid in enumerate([*ctx.shuffle(experts), *others]):
        groups[n % count].append(pid)
    return groups


def _by_hand(people: list[Participant], assign: dict[str, int]) -> list[list[str]]:
    known = {p.id for p in people}
    unknown = sorted(set(assign) - known)
    if unknown:
        raise AppError("invalid", "Only people let in can be put in a group.")
    numbers = sorted(set(assign.values()))
    if numbers != list(range(1, len(numbers) + 1)):
        raise AppError("invalid", "Number the groups 1, 2, 3… without gaps.")
    groups: list[list[str]] = [[] for _ in numbers]
    for p in people:  # in the order people joined, so that a group's list reads naturally
        if p.id in assign:
            groups[assign[p.id] - 1].append(p.id)
    if any(len(g) > MAX_GROUP for g in groups):
        raise AppError("invalid", "A group can have at most 30 people.")
    return groups


def _form(state: MeetingState, op: s.GroupsForm, actor_id: str, ctx: Context) -> Event:
    chair(state, actor_id)
    open_(state)
    phase = _groups_phase(state, op.phase)
    people = _eligible(state)
    if (op.size is None) == (op.assign is None):
        raise AppError("invalid", "Form the groups either at random (size) or by hand (assign).")
    if op.size is not None:
        if len(people) < GROUP_MIN:
            raise AppError("invalid", "Small groups need at least three people.")
        members = _at_random(state, people, op.size, ctx)
    else:
        members = _by_hand(people, op.assign or {})
    if len(members) > 40:
        raise AppError("invalid", "At most 40 groups.")
    themes = [g["key"] for g in phase["groups"]]
    groups = [
        Group(f"{op.phase}-{n + 1}", op.phase, themes[n % len(themes)], n + 1, people_of_group)
        for n, people_of_group in enumerate(members)
    ]
    return Event("groups.formed", {"phase": op.phase, "groups": [g.public() for g in groups]})


def _group(state: MeetingState, group_id: str) -> Group:
    group = state.workshop.groups.get(group_id)
    if group is None:
        raise AppError("not_found", "No such group.")
    return group


def _bowl(state: MeetingState) -> Any:
    if state.workshop.bowl is None:
        raise AppError("invalid", "The fishbowl is not open.")
    return state.workshop.bowl


@rule("groups.form")
def _groups_form(state: MeetingState, op: s.GroupsForm, actor_id: str, ctx: Context) -> Event:
    return _form(state, op, actor_id, ctx)


@rule("group.role")
def _group_role(state: MeetingState, op: s.GroupRole, actor_id: str, ctx: Context) -> Event:
    actor = admitted(state, actor_id)
    open_(state)
    group = _group(state, op.group)
    if actor.kind != "chair" and actor_id not in group.members:
        raise AppError("forbidden", "Only the group itself or the facilitator can do this.")
    if op.participant not in group.members:
        raise AppError("invalid", "Choose someone from the group.")
    data = {"group": group.id, "participant": op.participant, "role": op.role}
    return Event("group.role_set", data)


@rule("board.show")
def _board_show(state: MeetingState, op: s.BoardShow, actor_id: str, ctx: Context) -> Event:
    workshop = state.workshop
    chair(state, actor_id)
    open_(state)
    if op.group is not None:
        _group(state, op.group)
    if op.group == workshop.showing:
        raise AppError("invalid", "That board is already shown.")
    return Event("board.shown", {"group": op.group})


@rule("participant.expert")
def _participant_expert(
    state: MeetingState, op: s.ParticipantExpert, actor_id: str, ctx: Context
) -> Event:
    workshop = state.workshop
    chair(state, actor_id)
    open_(state)
    target = find_participant(state, op.participant)
    if target.kind == "screen":
        raise AppError("invalid", "The shared screen is not a person.")
    if (target.id in workshop.experts) == op.expert:
        raise AppError("invalid", "That is already so.")
    return Event("participant.expert_set", {"participant": target.id, "expert": op.expert})


@rule("bowl.open")
def _bowl_open(state: MeetingState, op: s.BowlOpen, actor_id: str, ctx: Context) -> Event:
    workshop = state.workshop
    chair(state, actor_id)
    open_(state)
    if state.phase(op.phase) is None:
        raise AppError("invalid", "The frame has no such phase.")
    if workshop.bowl is not None:
        raise AppError("invalid", "The fishbowl is already open.")
    return Event("bowl.opened", {"phase": op.phase, "seats": []})


@rule("bowl.close")
def _bowl_close(state: MeetingState, op: s.BowlClose, actor_id: str, ctx: Context) -> Event:
    chair(state, actor_id)
    _bowl(state)
    return Event("bowl.closed", {})


@rule("bowl.ask")
def _bowl_ask(state: MeetingState, op: s.BowlAsk, actor_id: str, ctx: Context) -> Event:
    actor = voice(state, actor_id)
    open_(state)
    bowl = _bowl(state)
    if actor.id in bowl.seats:
        raise AppError("invalid", "You are in the fishbowl already.")
    if actor.id in bowl.asking:
        raise AppError("invalid", "You have already asked to step in.")
    return Event("bowl.asked", {"participant": actor.id})


@rule("bowl.seat")
def _bowl_seat(state: MeetingState, op: s.BowlMove, actor_id: str, ctx: Context) -> Event:
    chair(state, actor_id)
    open_(state)
    bowl = _bowl(state)
    target = voice(state, op.participant)
    if target.id in bowl.seats:
        raise AppError("invalid", "They are in the fishbowl already.")
    if len(bowl.seats) >= BOWL_SEATS:
        raise AppError("invalid", "The fishbowl is full: let someone out first.")
    return Event("bowl.seated", {"participant": target.id})


@rule("bowl.leave")
def _bowl_leave(state: MeetingState, op: s.BowlMove, actor_id: str, ctx: Context) -> Event:
    # bowl.leave: the facilitator lets someone out, or they step out
    actor = admitted(state, actor_id)
    bowl = _bowl(state)
    if actor.kind != "chair" and op.participant != actor_id:
        raise AppError("forbidden", "Only the facilitator can let someone else out.")
    if op.participant not in bowl.seats:
        raise AppError("invalid", "They are not in the fishbowl.")
    return Event("bowl.left", {"participant": op.participant})
