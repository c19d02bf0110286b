""" "I don't understand this", without a server: anyone let in says it of an entry and may take it
back; everyone learns how many, nobody learns who (app/meetings/understanding.py)."""

from __future__ import annotations

from typing import Any

import pytest

from app.meetings.domain import MeetingState
from app.meetings.state import Context
from tests.meetings.rules import decide, refusal
from tests.meetings.test_state import AINO, CHAIR, EETU, MIKKO, NOW, PIRJO, SCREEN, make_state

ENTRY = "e_h1"


def ctx() -> Context:
    return Context(now=NOW, new_id=lambda: "e_new")


def unclear(value: bool = True, entry: str = ENTRY) -> dict[str, Any]:
    return {"op": "entry.unclear", "entry": entry, "unclear": value}


@pytest.fixture
def state() -> MeetingState:
    return make_state()


def test_the_count_is_public_and_who_said_it_is_private(state: MeetingState) -> None:
    first = decide(state, unclear(), AINO, ctx())
    second = decide(state, unclear(), EETU, ctx())
    assert first.name == "entry.unclear"
    assert (first.data, second.data) == ({"entry": ENTRY, "count": 1}, {"entry": ENTRY, "count": 2})
    assert AINO not in str(first.data) and first.private == {"participant": AINO, "unclear": True}
    assert state.entries[ENTRY].public()["unclear"] == 2
    # Each viewer's snapshot says only which entries they themselves marked.
    assert state.snapshot(viewer=AINO)["unclear_mine"] == [ENTRY]
    assert state.snapshot(viewer=CHAIR)["unclear_mine"] == []
    taken_back = decide(state, unclear(False), AINO, ctx())
    assert taken_back.data == {"entry": ENTRY, "count": 1}
    assert state.snapshot(viewer=AINO)["unclear_mine"] == []
    assert state.snapshot(viewer=EETU)["unclear_mine"] == [ENTRY]


def test_saying_it_twice_or_taking_back_what_was_not_said_is_refused(
    state: MeetingState,
) -> None:
    assert refusal(state, unclear(False), AINO, ctx()) == "invalid"
    decide(state, unclear(), AINO, ctx())
    assert refusal(state, unclear(), AINO, ctx()) == "invalid"
    assert state.entries[ENTRY].public()["unclear"] == 1


@pytest.mark.parametrize(
    ("who", "code"), [(SCREEN, "forbidden"), (PIRJO, "forbidden"), (MIKKO, "forbidden")]
)
def test_the_screen_the_lobby_and_the_removed_cannot_say_it(
    state: MeetingState, who: str, code: str
) -> None:
    assert refusal(state, unclear(), who, ctx()) == code
    assert state.entries[ENTRY].unclear == {}


def test_not_of_a_deleted_or_unknown_entry_nor_after_the_close(state: MeetingState) -> None:
    assert refusal(state, unclear(entry="e_gone"), AINO, ctx()) == "not_found"
    assert refusal(state, unclear(entry="e_nothing"), AINO, ctx()) == "not_found"
    state.status = "closed"
    assert refusal(state, unclear(), AINO, ctx()) == "closed"
