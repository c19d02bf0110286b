"""Handing the chair to a phone: the record stays with the account, which takes the chair back."""

from __future__ import annotations

from typing import Any

import pytest

from app.meetings.domain import MeetingState
from app.meetings.state import Context
from tests.meetings.rules import decide, refusal
from tests.meetings.test_state import AINO, CHAIR, NOW, SCRIBE, make_state

IDS = iter(f"e_new{n}" for n in range(1000))


def ctx() -> Context:
    return Context(now=NOW, new_id=lambda: next(IDS))


def run(state: MeetingState, body: dict[str, Any], actor: str, op_id: str = "o1") -> Any:
    return decide(state, body, actor, ctx(), op_id)


@pytest.fixture
def state() -> MeetingState:
    state = make_state()
    # The owner hands the chair to Aino's phone (a family member, no account).
    run(state, {"op": "participant.role", "participant": AINO, "role": "chair"}, CHAIR)
    assert (state.participants[AINO].kind, state.participants[CHAIR].kind) == (
        "chair",
        "participant",
    )
    return state


def test_the_owner_takes_the_chair_back_from_whoever_holds_it(state: MeetingState) -> None:
    assert refusal(state, {"op": "chair.reclaim"}, AINO, ctx()) == "forbidden"
    assert refusal(state, {"op": "chair.reclaim"}, SCRIBE, ctx()) == "forbidden"
    event = run(state, {"op": "chair.reclaim"}, CHAIR)
    assert (event.name, event.data) == (
        "participant.role_changed",
        {"participant": CHAIR, "kind": "chair", "previous": AINO},
    )
    assert (state.participants[CHAIR].kind, state.participants[AINO].kind) == (
        "chair",
        "participant",
    )
    assert refusal(state, {"op": "chair.reclaim"}, CHAIR, ctx()) == "invalid"


def test_after_the_close_the_owner_still_takes_it_back(state: MeetingState) -> None:
    run(state, {"op": "meeting.close"}, AINO)
    run(state, {"op": "chair.reclaim"}, CHAIR)
    assert state.participants[CHAIR].kind == "chair"


def test_the_phone_that_chairs_does_not_correct_the_record_the_owner_does(
    state: MeetingState,
) -> None:
    run(state, {"op": "meeting.close"}, AINO)
    correct = {"op": "entry.correct", "entry": "e_h1", "text": "Uusi.", "reason": "Virhe"}
    assert refusal(state, correct, AINO, ctx()) == "forbidden"
    assert run(state, correct, CHAIR).name == "entry.corrected"
