"""Workshops without a server: small groups and their boards, the fishbowl, the experts by
experience, each board brought back to the plenary."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from pydantic import ValidationError

from app.frames.loader import load_frames
from app.meetings.domain import MeetingState, Participant
from app.meetings.evolve import evolve
from app.meetings.state import Context
from app.meetings.workshop_state import Workshop
from tests.meetings.rules import decide, refusal
from tests.meetings.test_state import NOW

FACILITATOR, SCREEN = "fasi", "screen"
PEOPLE = [f"p{n:02d}" for n in range(1, 21)]  # twenty in the room
EXPERTS = ["p03", "p11"]
GROUPS_STEP = "trial"  # workshop 3: core question → hypotheses → proposals → plan


IDS = itertools.count(1)


def ctx() -> Context:
    ids = IDS
    return Context(
        now=NOW, new_id=lambda: f"e_w{next(ids)}", shuffle=lambda items: list(reversed(items))
    )


def run(state: MeetingState, body: dict[str, Any], actor: str) -> Any:
    return decide(state, body, actor, ctx())


def refused(state: MeetingState, body: dict[str, Any], actor: str) -> str:
    return refusal(state, body, actor, ctx())


@pytest.fixture
def state() -> MeetingState:
    frame = load_frames()["workshop3"].localized("fi")
    state = MeetingState(id="m_w", title="Kolmas työpaja", frame=frame)
    people = [
        Participant(FACILITATOR, "Fasilitoija", kind="chair", admitted=True),
        Participant(SCREEN, "Näyttö", kind="screen", admitted=True),
        *(Participant(p, f"Osallistuja {p}", admitted=True) for p in PEOPLE),
        Participant("late", "Myöhässä"),  # still in the lobby
    ]
    state.participants = {p.id: p for p in people}
    state.workshop.experts = list(EXPERTS)
    return state


def test_groups_at_random_are_three_to_six_with_an_expert_in_each_of_the_first(
    state: MeetingState,
) -> None:
    formed = run(state, {"op": "groups.form", "phase": GROUPS_STEP, "size": 5}, FACILITATOR)
    groups = formed.data["groups"]
    assert len(groups) == 4 and all(3 <= len(g["members"]) <= 6 for g in groups)
    members = [m for g in groups for m in g["members"]]
    assert sorted(members) == PEOPLE  # everyone once; not the facilitator, screen or lobby
    assert [g["theme"] for g in groups] == ["core", "hypotheses", "proposals", "plan"]
    with_expert = [g for g in groups if set(g["members"]) & set(EXPERTS)]
    assert len(with_expert) == 2  # spread, one each
    # Re-forming replaces the groups of that step.
    again = run(state, {"op": "groups.form", "phase": GROUPS_STEP, "size": 3}, FACILITATOR)
    assert len(again.data["groups"]) == 6  # seven would leave some with two
    assert all(len(g.members) >= 3 for g in state.workshop.groups_of(GROUPS_STEP))
    assert len(state.workshop.groups_of(GROUPS_STEP)) == 6


def test_groups_by_hand_and_the_refusals(state: MeetingState) -> None:
    assign = {p: 1 + n % 2 for n, p in enumerate(PEOPLE)}
    formed = run(state, {"op": "groups.form", "phase": GROUPS_STEP, "assign": assign}, FACILITATOR)
    assert [len(g["members"]) for g in formed.data["groups"]] == [10, 10]
    bad = {"op": "groups.form", "phase": GROUPS_STEP}
    assert refused(state, {**bad, "size": 5}, PEOPLE[0]) == "forbidden"
    assert refused(state, bad, FACILITATOR) == "invalid"  # neither at random nor by hand
    assert refused(state, {**bad, "size": 5, "assign": assign}, FACILITATOR) == "invalid"
    assert refused(state, {**bad, "assign": {"late": 1}}, FACILITATOR) == "invalid"
    assert refused(state, {**bad, "assign": {"p01": 1, "p02": 3}}, FACILITATOR) == "invalid"
    assert refused(state, {**bad, "phase": "intro", "size": 5}, FACILITATOR) == "invalid"
    with pytest.raises(ValidationError):  # the schema: 3–6 at random
        refused(state, {**bad, "size": 7}, FACILITATOR)
    assert state.workshop.groups_of(GROUPS_STEP)[0].members == PEOPLE[0::2]  # nothing changed


def test_each_group_has_its_own_chair_and_scribe_who_write_on_its_board(
    state: MeetingState,
) -> None:
    groups = run(state, {"op": "groups.form", "phase": GROUPS_STEP, "size": 5}, FACILITATOR)
    first, second = groups.data["groups"][0], groups.data["groups"][1]
    a, b = first["members"][0], first["members"][1]
    # The group chooses its own chair and scribe; an outsider cannot.
    run(state, {"op": "group.role", "group": first["id"], "participant": a, "role": "chair"}, b)
    outsider = second["members"][0]
    body = {"op": "group.role", "group": first["id"], "participant": b, "role": "scribe"}
    assert refused(state, body, outsider) == "forbidden"
    run(state, body, FACILITATOR)
    assert (
        state.workshop.groups[first["id"]].chair,
        state.workshop.groups[first["id"]].scribe,
    ) == (
        a,
        b,
    )
    note = {"op": "entry.add", "phase": GROUPS_STEP, "board": first["id"], "text": "Ydinkysymys?"}
    added = run(state, note, b)
    assert added.data["entry"]["board"] == first["id"]
    entry = added.data["entry"]["id"]
    # Only the group's writers (and the facilitator) write on, edit or delete its board.
    assert refused(state, note, outsider) == "forbidden"
    assert refused(state, {**note, "phase": "intro"}, b) == "invalid"
    assert refused(state, {**note, "board": "nope"}, b) == "invalid"
    assert refused(state, {"op": "entry.add", "phase": GROUPS_STEP, "text": "x"}, b) == "forbidden"
    edit = {"op": "entry.edit", "entry": entry, "version": 1, "text": "Mistä on kyse?"}
    assert refused(state, edit, outsider) == "forbidden"
    assert refused(state, {**edit, "phase": "intro"}, b) == "invalid"
    assert run(state, edit, a).data["entry"]["board"] == first["id"]
    assert refused(state, {"op": "entry.delete", "entry": entry}, outsider) == "forbidden"
    run(state, {"op": "entry.delete", "entry": entry}, FACILITATOR)


def test_the_plenary_sees_each_board_in_turn(state: MeetingState) -> None:
    groups = run(state, {"op": "groups.form", "phase": GROUPS_STEP, "size": 5}, FACILITATOR)
    for g in groups.data["groups"]:
        run(state, {"op": "board.show", "group": g["id"]}, FACILITATOR)
        assert state.workshop.showing == g["id"]
    last = groups.data["groups"][-1]["id"]
    assert refused(state, {"op": "board.show", "group": last}, FACILITATOR) == "invalid"
    assert refused(state, {"op": "board.show", "group": "nope"}, FACILITATOR) == "not_found"
    assert refused(state, {"op": "board.show"}, PEOPLE[0]) == "forbidden"
    run(state, {"op": "board.show"}, FACILITATOR)
    assert state.workshop.showing is None


def test_the_fishbowl_seats_three_to_five_and_anyone_can_ask_to_step_in(
    state: MeetingState,
) -> None:
    assert refused(state, {"op": "bowl.ask"}, PEOPLE[0]) == "invalid"  # not open yet
    assert refused(state, {"op": "bowl.open", "phase": "effects"}, PEOPLE[0]) == "forbidden"
    run(state, {"op": "bowl.open", "phase": "effects"}, FACILITATOR)
    for p in PEOPLE[:5]:
        run(state, {"op": "bowl.seat", "participant": p}, FACILITATOR)
    assert refused(state, {"op": "bowl.seat", "participant": PEOPLE[5]}, FACILITATOR) == "invalid"
    run(state, {"op": "bowl.ask"}, PEOPLE[5])
    assert refused(state, {"op": "bowl.ask"}, PEOPLE[5]) == "invalid"
    assert refused(state, {"op": "bowl.ask"}, SCREEN) == "forbidden"
    assert state.workshop.bowl is not None and state.workshop.bowl.asking == [PEOPLE[5]]
    # Someone steps out by themselves; the facilitator swaps the one who asked in.
    body = {"op": "bowl.leave", "participant": PEOPLE[1]}
    assert refused(state, body, PEOPLE[2]) == "forbidden"
    run(state, body, PEOPLE[1])
    run(state, {"op": "bowl.seat", "participant": PEOPLE[5]}, FACILITATOR)
    assert state.workshop.bowl.seats == [*PEOPLE[:1], *PEOPLE[2:6]]
    assert state.workshop.bowl.asking == []
    run(state, {"op": "bowl.close"}, FACILITATOR)
    assert state.workshop.bowl is None


def test_the_facilitator_marks_the_experts_by_experience(state: MeetingState) -> None:
    body = {"op": "participant.expert", "participant": "p05", "expert": True}
    assert refused(state, body, PEOPLE[0]) == "forbidden"
    run(state, body, FACILITATOR)
    assert refused(state, body, FACILITATOR) == "invalid"
    assert "p05" in state.workshop.experts
    run(state, {**body, "expert": False}, FACILITATOR)
    assert "p05" not in state.workshop.experts
    screen = {"op": "participant.expert", "participant": SCREEN, "expert": True}
    assert refused(state, screen, FACILITATOR) == "invalid"


def test_the_workshop_survives_its_stored_form(state: MeetingState) -> None:
    run(state, {"op": "groups.form", "phase": GROUPS_STEP, "size": 4}, FACILITATOR)
    run(state, {"op": "bowl.open", "phase": "effects"}, FACILITATOR)
    stored = Workshop.from_view(state.workshop.view())
    assert stored == state.workshop
    evolve(state, "bowl.closed", {}, FACILITATOR)
    assert state.snapshot()["workshop"]["bowl"] is None


def test_the_record_shows_each_groups_board_under_its_own_heading(state: MeetingState) -> None:
    from app.records.export import record_markdown

    groups = run(state, {"op": "groups.form", "phase": GROUPS_STEP, "size": 5}, FACILITATOR)
    first, second = groups.data["groups"][0], groups.data["groups"][1]
    for g, text in ((first, "Mikä on ydinkysymys?"), (second, "Voisiko kyse olla unesta?")):
        body = {"op": "entry.add", "phase": GROUPS_STEP, "board": g["id"], "text": text}
        run(state, body, FACILITATOR)
    # Re-formed into fewer groups: what the vanished group wrote is still in the record.
    extra = {"op": "entry.add", "phase": GROUPS_STEP, "board": "trial-4", "text": "Suunnitelma"}
    run(state, extra, FACILITATOR)
    assign = {p: 1 + n % 2 for n, p in enumerate(PEOPLE)}
    run(state, {"op": "groups.form", "phase": GROUPS_STEP, "assign": assign}, FACILITATOR)
    text = record_markdown(state, NOW)
    heading = text.index("— Ryhmä 1: Ydinkysymys (1)\n")
    assert heading < text.index("Mikä on ydinkysymys?") < text.index("— Ryhmä 2: Hypoteesi")
    assert "Voisiko kyse olla unesta?" in text and "Suunnitelma" in text
