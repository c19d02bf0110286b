"""The rules of a meeting: apply(state, op, actor) -> events, or an AppError. No I/O.

Role and admission checks live here, so a page hiding a button is never the only guard.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from app.errors import AppError
from app.i18n import N_

# The dialogue tools, the process and the workshop register their rules when imported.
from app.meetings import (  # noqa: F401 (the rules of each are registered on import)
    consent,
    dialogue,
    hands,
    houses,
    interpreting,
    process,
    requests,
    understanding,
    workshop,
)
from app.meetings import schemas as s
from app.meetings.domain import Entry, MeetingState, Participant
from app.meetings.guards import (
    MAX_ENTRIES,
    Context,
    Event,
    admitted,
    chair,
    clean_text,
    find_participant,
    iso,
    live_entry,
    open_,
    voice,
    writer,
)
from app.meetings.rules import RULES, rule
from app.meetings.voices import resolve_voice
from app.text import visible_label

__all__ = ["Context", "Event", "apply", "can_draft", "iso", "join"]


ALREADY_ANSWERED = N_("You have already given feedback. Thank you!")


def _kind_fields(
    state: MeetingState, phase_key: str, owner: str | None, due: str | None, answers: str | None
) -> dict[str, Any]:
    """The entry kind of the phase and the kind-specific fields that fit it."""
    phase = state.phase(phase_key)
    if phase is None:
        raise AppError("invalid", "The frame has no such phase.")
    kind = phase["kind"]
    if kind != "plan" and (owner or due):
        raise AppError("invalid", "Only plan steps have an owner and a due date.")
    if kind != "solution" and answers:
        raise AppError("invalid", "Only solution proposals answer another entry.")
    fields: dict[str, Any] = {"phase": phase_key, "kind": kind}
    if kind == "plan":
        fields.update(owner=owner or None, due=due)
    if kind == "solution":
        if answers:
            answered = live_entry(state, answers)
            if phase.get("answers_from") and answered.phase != phase["answers_from"]:
                raise AppError("invalid", "A solution answers an entry of its frame's phase.")
        fields["answers"] = answers or None
    return fields


def _still_answerable(
    state: MeetingState, answers: str | None, phase: dict[str, Any] | None
) -> bool:
    if answers is None or phase is None:
        return True
    answered = state.entries.get(answers)
    if answered is None or answered.deleted:
        return False
    return not phase.get("answers_from") or answered.phase == phase["answers_from"]


def _due(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def can_draft(state: MeetingState, actor_id: str, phase_key: str, board: str | None = None) -> None:
    """Raise unless this sender may stream a draft into this phase (or group board)."""
    if board is None:
        writer(state, actor_id)
    else:
        workshop.board_writer(state, actor_id, board, phase_key)
    open_(state)
    if state.phase(phase_key) is None:
        raise AppError("invalid", "The frame has no such phase.")


def join(
    state: MeetingState,
    participant_id: str,
    name: str,
    role_label: str,
    family: bool,
    account: bool = False,
) -> Event:
    """Someone with the join code knocks: they wait in the lobby until the chair admits them.
    `account`: a professional logged in when knocking (they may correct the closed record)."""
    open_(state)
    if not state.lobby_open:
        raise AppError("closed", "The chair has closed the lobby. Ask the chair to open it.")
    name, role_label = visible_label(name), visible_label(role_label)
    if "\x00" in name or "\x00" in role_label:
        raise AppError("invalid", "Text cannot contain a NUL character.")
    if not name:
        raise AppError("invalid", "Please give your name.")
    if len(name) > 60 or len(role_label) > 60:
        raise AppError("invalid", "A name and a role are at most 60 characters each.")
    if sum(1 for p in state.participants.values() if not p.removed) >= 200:
        raise AppError("invalid", "The meeting is full.")
    person = Participant(participant_id, name, role_label, "participant", family, account=account)
    return Event("participant.joined", {"participant": person.public()})


def _reclaim(state: MeetingState, actor_id: str) -> Event:
    """The owner takes the chair back: open or closed, from whoever holds it."""
    actor = admitted(state, actor_id)
    if not actor.owner:
        raise AppError("forbidden", "Only the account that opened the meeting can do this.")
    if actor.kind == "chair":
        raise AppError("invalid", "You already chair the meeting.")
    data: dict[str, Any] = {"participant": actor.id, "kind": "chair"}
    holder = next(
        (p.id for p in state.participants.values() if p.kind == "chair" and not p.removed), None
    )
    if holder is not None:
        data["previous"] = holder
    return Event("participant.role_changed", data)


@rule("phase.goto")
def _phase_goto(state: MeetingState, op: s.PhaseGoto, actor_id: str, ctx: Context) -> Event:
    chair(state, actor_id)
    open_(state)
    if op.index >= len(state.phases):
        raise AppError("invalid", "The frame has no such phase.")
    if op.index == state.current_phase:
        raise AppError("invalid", "The meeting is already in that phase.")
    key = state.phases[op.index]["key"]
    return Event("phase.changed", {"index": op.index, "key": key})


@rule("participant.admit")
def _participant_admit(
    state: MeetingState, op: s.ParticipantRef, actor_id: str, ctx: Context
) -> Event:
    chair(state, actor_id)
    open_(state)
    target = find_participant(state, op.participant)
    if target.admitted:
        raise AppError("invalid", "Already in the meeting.")
    return Event("participant.admitted", {"participant": target.public() | {"admitted": True}})


@rule("participant.remove")
def _participant_remove(
    state: MeetingState, op: s.ParticipantRef, actor_id: str, ctx: Context
) -> Event:
    chair(state, actor_id)
    target = find_participant(state, op.participant)
    if target.kind in ("chair", "screen"):
        raise AppError("invalid", "The chair and the shared screen cannot be removed.")
    return Event("participant.removed", {"participant": target.id})


@rule("participant.role")
def _participant_role(
    state: MeetingState, op: s.ParticipantRole, actor_id: str, ctx: Context
) -> Event:
    chair(state, actor_id)
    open_(state)
    target = find_participant(state, op.participant)
    if target.kind in ("chair", "screen") or not target.admitted:
        raise AppError("invalid", "Only an admitted participant can take a role.")
    if target.kind == op.role:
        raise AppError("invalid", "They already have that role.")
    data: dict[str, Any] = {"participant": target.id, "kind": op.role}
    if op.role == "chair":
        data["previous"] = actor_id  # the chair is handed over, not shared
    return Event("participant.role_changed", data)


@rule("chair.reclaim")
def _chair_reclaim(state: MeetingState, op: s.ChairReclaim, actor_id: str, ctx: Context) -> Event:
    return _reclaim(state, actor_id)


@rule("participant.family")
def _participant_family(
    state: MeetingState, op: s.ParticipantFamily, actor_id: str, ctx: Context
) -> Event:
    chair(state, actor_id)
    target = find_participant(state, op.participant)
    if target.kind == "screen":
        raise AppError("invalid", "The shared screen is nobody's family.")
    return Event("participant.changed", {"participant": target.public() | {"family": op.family}})


@rule("timer.start")
def _timer_start(state: MeetingState, op: s.TimerStart, actor_id: str, ctx: Context) -> Event:
    chair(state, actor_id)
    open_(state)
    extra = interpreting.interpreting_time(op.seconds) if op.interpreting else 0
    ends = ctx.now + dt.timedelta(seconds=op.seconds + extra)
    timer = {
        "phase": state.current_phase,
        "seconds": op.seconds + extra,
        "started_at": iso(ctx.now),
        "ends_at": iso(ends),
        "interpreting": extra,
    }
    return Event("timer.started", {"timer": timer})


@rule("timer.extend")
def _timer_extend(state: MeetingState, op: s.TimerExtend, actor_id: str, ctx: Context) -> Event:
    chair(state, actor_id)
    open_(state)
    if state.timer is None:
        raise AppError("invalid", "No timer is running.")
    ends = dt.datetime.fromisoformat(state.timer.ends_at.replace("Z", "+00:00"))
    # Time already run out is not given back: extending starts from now at the earliest.
    ends = max(ends, ctx.now) + dt.timedelta(seconds=op.seconds)
    timer = state.timer.public() | {
        "seconds": state.timer.seconds + op.seconds,
        "ends_at": iso(ends),
    }
    return Event("timer.started", {"timer": timer})


@rule("meeting.lobby")
def _meeting_lobby(state: MeetingState, op: s.MeetingLobby, actor_id: str, ctx: Context) -> Event:
    chair(state, actor_id)
    open_(state)
    if state.lobby_open == op.open:
        raise AppError("invalid", "The lobby is already so.")
    return Event("lobby.changed", {"open": op.open})


@rule("timer.stop")
def _timer_stop(state: MeetingState, op: s.TimerStop, actor_id: str, ctx: Context) -> Event:
    chair(state, actor_id)
    if state.timer is None:
        raise AppError("invalid", "No timer is running.")
    return Event("timer.stopped", {})


@rule("meeting.close")
def _meeting_close(state: MeetingState, op: s.MeetingClose, actor_id: str, ctx: Context) -> Event:
    chair(state, actor_id)
    open_(state)
    # The record is locked now, and kept only as long as the retention setting says.
    data = {"closed_at": iso(ctx.now), "retain_until": iso(ctx.now + ctx.retention)}
    return Event("meeting.closed", data)


@rule("entry.add")
def _entry_add(state: MeetingState, op: s.EntryAdd, actor_id: str, ctx: Context) -> Event:
    if op.board is None:
        writer(state, actor_id)
    else:
        workshop.board_writer(state, actor_id, op.board, op.phase)
    open_(state)
    if len(state.entries) >= MAX_ENTRIES:
        raise AppError("invalid", "The record is full.")
    owner = resolve_voice(state, op.owner)
    fields = _kind_fields(state, op.phase, owner, _due(op.due), op.answers)
    entry = Entry(
        id=ctx.new_id(),
        text=clean_text(op.text),
        speaker=resolve_voice(state, op.speaker),
        own_words=op.own_words,
        board=op.board,
        ask_first=consent.asked(state, op.ask_first, op.board),
        interpreted_from=op.interpreted_from or None,
        **fields,
    )
    return Event("entry.added", {"entry": entry.public()})


@rule("entry.edit")
def _entry_edit(state: MeetingState, op: s.EntryEdit, actor_id: str, ctx: Context) -> Event:
    workshop.entry_writer(state, actor_id, op.entry)
    open_(state)
    entry = live_entry(state, op.entry)
    if entry.board is not None and op.phase not in (None, entry.phase):
        raise AppError("invalid", "An entry on a group's board stays in its step.")
    if op.version != entry.version:
        raise AppError(
            "conflict",
            "Someone changed this entry meanwhile.",
            details={"entry": entry.public()},
        )
    given = op.model_fields_set
    phase_key = op.phase if op.phase else entry.phase
    target_phase = state.phase(phase_key)
    # Moving to a phase of another kind drops the fields that kind does not have.
    keep = target_phase is not None and target_phase["kind"] == entry.kind
    kept_owner = entry.owner if keep else None
    owner = resolve_voice(state, op.owner) if "owner" in given else kept_owner
    due = _due(op.due) if "due" in given else (entry.due if keep else None)
    answers = op.answers if "answers" in given else (entry.answers if keep else None)
    if "answers" not in given and not _still_answerable(state, answers, target_phase):
        # The answered entry was deleted or moved since: fixing a typo in the solution
        # must not fail on that, so the dangling link goes.
        answers = None
    if answers == entry.id:
        raise AppError("invalid", "An entry cannot answer itself.")
    fields = _kind_fields(state, phase_key, owner, due, answers)
    # Everything the edit does not change stays: the requests' trail and the corrections, whom
    # it is asked of first, the reactions.
    new = replace(
        entry,
        text=clean_text(op.text) if op.text is not None else entry.text,
        speaker=resolve_voice(state, op.speaker) if "speaker" in given else entry.speaker,
        own_words=op.own_words if op.own_words is not None else entry.own_words,
        interpreted_from=(op.interpreted_from or None)
        if "interpreted_from" in given
        else entry.interpreted_from,
        version=entry.version + 1,
        # The family's word on a plan step stays with it while it stays a plan step (it was lost
        # from the live state but kept in the tables, found by the conformance log).
        agreements=entry.agreements if keep else {},
        # The fields of the entry's kind only: a step moved out of the plan loses its owner.
        **({"owner": None, "due": None, "answers": None} | fields),
    )
    return Event("entry.edited", {"entry": new.public()})


@rule("entry.delete")
def _entry_delete(state: MeetingState, op: s.EntryDelete, actor_id: str, ctx: Context) -> Event:
    workshop.entry_writer(state, actor_id, op.entry)
    open_(state)
    entry = live_entry(state, op.entry)
    return Event("entry.deleted", {"entry": entry.id, "version": entry.version + 1})


@rule("entry.restore")
def _entry_restore(state: MeetingState, op: s.EntryRestore, actor_id: str, ctx: Context) -> Event:
    workshop.entry_writer(state, actor_id, op.entry)
    open_(state)
    if op.entry not in state.entries:
        raise AppError("not_found", "No such entry.")
    entry = state.entries[op.entry]
    if not entry.deleted:
        raise AppError("invalid", "The entry is not deleted.")
    restored = Entry(**{**entry.__dict__, "deleted": False, "version": entry.version + 1})
    return Event("entry.restored", {"entry": restored.public()})


@rule("feedback.submit")
def _feedback_submit(
    state: MeetingState, op: s.FeedbackSubmit, actor_id: str, ctx: Context
) -> Event:
    actor = voice(state, actor_id)
    if state.status != "closed":
        raise AppError("invalid", "Feedback opens when the chair closes the meeting.")
    if actor.feedback_given:  # answered before the marks were kept apart (0007)
        raise AppError("conflict", ALREADY_ANSWERED)
    # The event says only how many have answered, with no actor: who answered is kept
    # apart from it (the service's mark), and who said what is never stored.
    return Event("feedback.received", {"count": state.feedback_count + 1}, anonymous=True)


def apply(state: MeetingState, op: s.Op, actor_id: str, ctx: Context) -> Event:
    """Decide one op: the event it makes, or an AppError. The state is not changed here."""
    decide = RULES.get(op.op)
    if decide is None:  # pragma: no cover - every op of the union has its rule
        raise AppError("invalid", "Unknown op.")
    return decide(state, op, actor_id, ctx)
