"""An interpreter in the meeting, without a server: the chair makes someone the interpreter;
only they ask for a pause to interpret, and they or the chair end it; the timers add the time
interpreting takes; an entry says which language it was interpreted from
(app/meetings/interpreting.py)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from app.meetings.domain import MeetingState
from app.meetings.interpreting import interpreting_time
from app.meetings.schemas import op_adapter
from app.meetings.state import Context
from tests.meetings.rules import decide, refusal
from tests.meetings.test_state import AINO, CHAIR, EETU, NOW, PIRJO, SCREEN, SCRIBE, make_state


def ctx() -> Context:
    return Context(now=NOW, new_id=lambda: "e_new")


def interpreter(who: str = EETU, value: bool = True) -> dict[str, Any]:
    return {"op": "participant.interpreter", "participant": who, "interpreter": value}


@pytest.fixture
def state() -> MeetingState:
    return make_state()


def test_the_chair_makes_an_interpreter_who_asks_for_a_pause(state: MeetingState) -> None:
    made = decide(state, interpreter(), CHAIR, ctx())
    assert made.name == "participant.changed"
    assert made.data["participant"]["interpreter"] is True
    asked = decide(state, {"op": "pause.ask"}, EETU, ctx())
    assert asked.name == "pause.asked" and asked.data["participant"] == EETU
    assert state.participants[EETU].pause and state.participants[EETU].pause_at
    assert refusal(state, {"op": "pause.ask"}, EETU, ctx()) == "invalid"
    # The chair goes on: the pause ends.
    ended = decide(state, {"op": "pause.end", "participant": EETU}, CHAIR, ctx())
    assert ended.data == {"participant": EETU}
    assert not state.participants[EETU].pause
    decide(state, {"op": "pause.ask"}, EETU, ctx())
    decide(state, {"op": "pause.end"}, EETU, ctx())  # or the interpreter takes it back
    assert refusal(state, {"op": "pause.end"}, EETU, ctx()) == "invalid"


def test_only_the_interpreter_asks_and_only_the_chair_ends_anothers_pause(
    state: MeetingState,
) -> None:
    for who in (AINO, CHAIR, SCRIBE):
        assert refusal(state, {"op": "pause.ask"}, who, ctx()) == "forbidden"
    assert refusal(state, {"op": "pause.ask"}, SCREEN, ctx()) == "forbidden"
    decide(state, interpreter(), CHAIR, ctx())
    decide(state, {"op": "pause.ask"}, EETU, ctx())
    assert refusal(state, {"op": "pause.end", "participant": EETU}, AINO, ctx()) == "forbidden"
    assert refusal(state, interpreter(AINO), SCRIBE, ctx()) == "forbidden"
    # No longer interpreter: the pause asked for goes with the role.
    decide(state, interpreter(value=False), CHAIR, ctx())
    assert not state.participants[EETU].pause


@pytest.mark.parametrize("who", [CHAIR, SCRIBE, SCREEN, PIRJO])
def test_the_chair_scribe_screen_and_lobby_are_not_made_interpreters(
    state: MeetingState, who: str
) -> None:
    assert refusal(state, interpreter(who), CHAIR, ctx()) == "invalid"


def test_a_timer_with_interpreting_time(state: MeetingState) -> None:
    started = decide(
        state, {"op": "timer.start", "seconds": 600, "interpreting": True}, CHAIR, ctx()
    )
    assert interpreting_time(600) == 300
    assert started.data["timer"]["seconds"] == 900
    assert started.data["timer"]["interpreting"] == 300
    assert started.data["timer"]["ends_at"] == "2026-11-25T10:15:00Z"
    plain = decide(state, {"op": "timer.start", "seconds": 600}, CHAIR, ctx())
    assert (plain.data["timer"]["seconds"], plain.data["timer"]["interpreting"]) == (600, 0)


def test_an_entry_interpreted_from_a_language(state: MeetingState) -> None:
    added = decide(
        state,
        {
            "op": "entry.add",
            "phase": "opening",
            "text": "Aamut ovat raskaita.",
            "interpreted_from": "arabia",
        },
        SCRIBE,
        ctx(),
    )
    assert added.data["entry"]["interpreted_from"] == "arabia"
    edited = decide(
        state,
        {"op": "entry.edit", "entry": "e_new", "version": 1, "text": "Aamut ovat hyvin raskaita."},
        SCRIBE,
        ctx(),
    )
    assert edited.data["entry"]["interpreted_from"] == "arabia"  # kept when not said
    cleared = decide(
        state,
        {"op": "entry.edit", "entry": "e_new", "version": 2, "interpreted_from": ""},
        SCRIBE,
        ctx(),
    )
    assert "interpreted_from" not in cleared.data["entry"]
    too_long = {"op": "entry.add", "phase": "opening", "text": "x", "interpreted_from": "a" * 41}
    with pytest.raises(ValidationError):
        op_adapter.validate_python({"id": "o9", **too_long})
