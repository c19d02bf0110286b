"""Rounds, silent writing and the family's agreement to the plan, without a server."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.meetings.domain import MeetingState
from app.meetings.state import Context
from tests.meetings.rules import decide, refusal
from tests.meetings.test_state import AINO, CHAIR, EETU, NOW, PIRJO, SCREEN, SCRIBE, make_state

IDS = iter(f"e_new{n}" for n in range(1000))


def ctx() -> Context:
    return Context(now=NOW, new_id=lambda: next(IDS), shuffle=lambda items: list(reversed(items)))


def run(state: MeetingState, body: dict[str, Any], actor: str, op_id: str = "o1") -> Any:
    return decide(state, body, actor, ctx(), op_id)


def refused(state: MeetingState, body: dict[str, Any], actor: str) -> str:
    return refusal(state, body, actor, ctx())


@pytest.fixture
def state() -> MeetingState:
    return make_state()


def test_a_round_invites_everyone_in_turn_and_anyone_may_pass(state: MeetingState) -> None:
    order = [AINO, EETU, SCRIBE]
    started = run(state, {"op": "round.start", "phase": "hypotheses", "order": order}, CHAIR)
    assert started.name == "round.started"
    assert (started.data["speaker"], started.data["next"]) == (AINO, EETU)
    # Only the one whose turn it is (or the chair) passes; only the chair moves on.
    assert refused(state, {"op": "round.pass"}, EETU) == "forbidden"
    assert refused(state, {"op": "round.next"}, AINO) == "forbidden"
    passed = run(state, {"op": "round.pass"}, AINO)
    assert passed.name == "round.advanced"
    assert (passed.data["speaker"], passed.data["next"]) == (EETU, SCRIBE)
    assert passed.data["round"]["passed"] == [AINO]
    run(state, {"op": "round.next"}, CHAIR)
    assert state.round is not None and state.round.speaker == SCRIBE
    ended = run(state, {"op": "round.next"}, CHAIR)
    assert ended.name == "round.ended" and ended.data == {"completed": True, "passed": [AINO]}
    assert state.round is None


def test_a_round_without_an_order_is_shuffled_from_the_room_without_chair_and_scribe(
    state: MeetingState,
) -> None:
    started = run(state, {"op": "round.start", "phase": "hypotheses"}, CHAIR)
    voices = [AINO, EETU]  # admitted, not the chair or the scribe, the screen or the lobby
    assert started.data["round"]["order"] == list(reversed(voices))
    assert refused(state, {"op": "round.start", "phase": "hypotheses"}, CHAIR) == "invalid"
    assert run(state, {"op": "round.end"}, CHAIR).data["completed"] is False


@pytest.mark.parametrize(
    "order",
    [[], [AINO, AINO], [AINO, PIRJO], [AINO, SCREEN], [AINO, "nobody"]],
)
def test_a_round_names_each_person_in_the_meeting_once(
    state: MeetingState, order: list[str]
) -> None:
    assert refused(state, {"op": "round.start", "phase": "hypotheses", "order": order}, CHAIR) == (
        "invalid"
    )


def test_the_chair_and_the_scribe_speak_in_a_round_when_named(state: MeetingState) -> None:
    # The chair sets the order: the young person first, and the scribe added.
    order = [EETU, AINO, SCRIBE]
    started = run(state, {"op": "round.start", "phase": "hypotheses", "order": order}, CHAIR)
    assert started.data["round"]["order"] == order


def test_round_errors(state: MeetingState) -> None:
    assert refused(state, {"op": "round.start", "phase": "hypotheses"}, SCRIBE) == "forbidden"
    assert refused(state, {"op": "round.start", "phase": "nowhere"}, CHAIR) == "invalid"
    for step in ("round.next", "round.pass", "round.end"):
        assert refused(state, {"op": step}, CHAIR) == "invalid"


def test_silent_writing_is_hidden_until_the_reveal(state: MeetingState) -> None:
    assert refused(state, {"op": "silent.write", "text": "Liian aikaisin"}, AINO) == "invalid"
    assert refused(state, {"op": "silent.open", "phase": "hypotheses"}, SCRIBE) == "forbidden"
    run(state, {"op": "silent.open", "phase": "hypotheses"}, CHAIR)
    first = run(state, {"op": "silent.write", "text": " Voisiko uni olla myöhässä? "}, EETU, "w1")
    assert first.name == "silent.written"
    # The log says how many, never what or whose; the private part is kept for the reveal.
    assert first.data == {"phase": "hypotheses", "count": 1}
    assert first.private == {
        "item": {"id": "w1", "writer": EETU, "text": "Voisiko uni olla myöhässä?"}
    }
    run(state, {"op": "silent.write", "text": "Voisiko äiti olla väsynyt?"}, AINO, "w2")
    run(state, {"op": "silent.write", "text": "Ryhmätyöt jännittävät?"}, SCRIBE, "w3")
    assert refused(state, {"op": "silent.write", "text": "Näyttö"}, SCREEN) == "forbidden"
    assert refused(state, {"op": "silent.write", "text": "   "}, AINO) == "invalid"
    # Each sees only their own; everyone sees the count.
    eetu_view = state.snapshot(frozenset(), "fi", EETU)["silent"]
    assert eetu_view == {
        "phase": "hypotheses",
        "count": 3,
        "mine": [{"id": "w1", "text": "Voisiko uni olla myöhässä?"}],
    }
    assert state.snapshot(frozenset(), "fi", PIRJO)["silent"]["mine"] == []
    assert "Voisiko äiti" not in str(state.snapshot(frozenset(), "fi", EETU))
    revealed = run(state, {"op": "silent.reveal"}, CHAIR)
    entries = revealed.data["entries"]
    assert [(e["speaker"], e["text"], e["kind"]) for e in entries] == [
        (EETU, "Voisiko uni olla myöhässä?", "hypothesis"),
        (AINO, "Voisiko äiti olla väsynyt?", "hypothesis"),
        (SCRIBE, "Ryhmätyöt jännittävät?", "hypothesis"),
    ]
    assert state.silent is None
    assert {e["id"] for e in entries} <= set(state.entries)
    assert refused(state, {"op": "silent.reveal"}, CHAIR) == "invalid"


def test_one_writer_has_a_limit(state: MeetingState) -> None:
    run(state, {"op": "silent.open", "phase": "core"}, CHAIR)
    for n in range(20):
        run(state, {"op": "silent.write", "text": f"Ajatus {n}"}, AINO, f"a{n}")
    assert refused(state, {"op": "silent.write", "text": "Yksi liikaa"}, AINO) == "invalid"
    run(state, {"op": "silent.write", "text": "Eetun ajatus"}, EETU, "e1")


def test_the_family_agrees_or_disputes_plan_steps(state: MeetingState) -> None:
    agreed = run(state, {"op": "plan.agree", "entry": "e_plan", "agreement": "agree"}, AINO)
    assert agreed.data == {
        "entry": "e_plan",
        "participant": AINO,
        "agreement": "agree",
        "comment": None,
    }
    disputed = {
        "op": "plan.agree",
        "entry": "e_plan",
        "agreement": "dispute",
        "comment": "Liian aikaisin",
    }
    run(state, disputed, EETU)
    assert state.entries["e_plan"].agreements == {
        AINO: {"agreement": "agree", "comment": None},
        EETU: {"agreement": "dispute", "comment": "Liian aikaisin"},
    }
    assert state.entries["e_plan"].public()["agreements"][EETU]["agreement"] == "dispute"
    # Professionals do not agree on the family's behalf; only plan steps are agreed.
    assert (
        refused(state, {"op": "plan.agree", "entry": "e_plan", "agreement": "agree"}, SCRIBE)
        == "forbidden"
    )
    assert (
        refused(state, {"op": "plan.agree", "entry": "e_h1", "agreement": "agree"}, AINO)
        == "invalid"
    )
    assert (
        refused(state, {"op": "plan.agree", "entry": "e_gone", "agreement": "agree"}, AINO)
        == "not_found"
    )
    assert (
        refused(state, {"op": "plan.agree", "entry": "e_plan", "agreement": "agree"}, PIRJO)
        == "forbidden"
    )


def test_raised_hands_carry_their_time_for_the_queue(state: MeetingState) -> None:
    run(state, {"op": "hand.raise"}, AINO)
    assert state.participants[AINO].hand_at == "2026-11-25T10:00:00.000Z"
    run(state, {"op": "hand.lower"}, AINO)
    assert state.participants[AINO].hand_at is None


def test_two_hands_raised_in_one_second_keep_their_order(state: MeetingState) -> None:
    # Aino raises her hand 300 ms before Heidi: the queue must not fall back to who joined first.
    later = Context(now=NOW + dt.timedelta(milliseconds=300), new_id=lambda: next(IDS))
    decide(state, {"op": "hand.raise"}, AINO, ctx(), "o1")
    decide(state, {"op": "hand.raise"}, SCRIBE, later, "o2")
    aino, heidi = state.participants[AINO].hand_at, state.participants[SCRIBE].hand_at
    assert (aino, heidi) == ("2026-11-25T10:00:00.000Z", "2026-11-25T10:00:00.300Z")


def test_a_plan_step_edited_keeps_the_familys_word_until_it_is_no_step(
    state: MeetingState,
) -> None:
    run(state, {"op": "plan.agree", "entry": "e_plan", "agreement": "agree"}, AINO)
    version = state.entries["e_plan"].version
    body = {"op": "entry.edit", "entry": "e_plan", "version": version, "text": "Herätys klo 7"}
    edited = run(state, body, SCRIBE)
    word = {AINO: {"agreement": "agree", "comment": None}}
    assert edited.data["entry"]["agreements"] == word
    assert state.entries["e_plan"].agreements == word
    # Moved out of the plan, it is no step any more: nothing to agree on.
    moved = {"op": "entry.edit", "entry": "e_plan", "version": version + 1, "phase": "core"}
    run(state, moved, SCRIBE)
    assert state.entries["e_plan"].agreements == {}
