"""The child's three houses, without a server: held unseen in the meeting, offered by the chair
to the child only, shown (as the child's own words) only when the child agrees on their phone;
a "no" is kept and changes nothing (app/meetings/houses.py)."""

from __future__ import annotations

import pytest

from app.meetings.domain import MeetingState
from app.meetings.state import Context
from tests.meetings.rules import decide, refusal
from tests.meetings.test_state import AINO, CHAIR, EETU, NOW, PIRJO, SCREEN, SCRIBE, make_state

HOUSES = [
    {"house": "worries", "text": "Koulumatka pelottaa", "picture": "🚌"},
    {"house": "good", "text": "Mummon luona", "picture": ""},
    {"house": "dreams", "text": "Oma koira", "picture": "🐶"},
]


def ctx() -> Context:
    ids = iter(range(1, 100))
    return Context(now=NOW, new_id=lambda: f"e_h{next(ids)}x")


@pytest.fixture
def state() -> MeetingState:
    state = make_state()
    state.houses = [dict(h) for h in HOUSES]
    return state


def seen_by(state: MeetingState, viewer: str) -> bool:
    return "Koulumatka" in str(state.snapshot(viewer=viewer))


def test_unseen_until_the_child_agrees_then_the_childs_own_words(state: MeetingState) -> None:
    assert [seen_by(state, v) for v in (CHAIR, SCRIBE, EETU, AINO, SCREEN)] == [
        True, True, False, False, False
    ]  # fmt: skip
    offered = decide(state, {"op": "houses.offer", "participant": EETU}, CHAIR, ctx())
    assert offered.data == {"participant": EETU, "houses": HOUSES}
    assert [seen_by(state, v) for v in (EETU, AINO, SCREEN)] == [True, False, False]
    shown = decide(state, {"op": "houses.answer", "show": True}, EETU, ctx())
    texts = [e["text"] for e in shown.data["entries"]]
    assert texts == [
        "Huolet: 🚌 Koulumatka pelottaa",
        "Hyvät asiat: Mummon luona",
        "Unelmat: 🐶 Oma koira",
    ]
    for entry in shown.data["entries"]:
        assert entry["own_words"] and entry["speaker"] == EETU and entry["phase"] == "opening"
    assert [seen_by(state, v) for v in (AINO, SCREEN)] == [True, True]
    assert state.houses_status == "shown"
    assert refusal(state, {"op": "houses.offer", "participant": EETU}, CHAIR, ctx()) == "invalid"


def test_a_no_is_kept_and_the_chair_may_ask_again(state: MeetingState) -> None:
    decide(state, {"op": "houses.offer", "participant": EETU}, CHAIR, ctx())
    declined = decide(state, {"op": "houses.answer", "show": False}, EETU, ctx())
    assert declined.data == {"participant": EETU}
    assert not seen_by(state, EETU) and not seen_by(state, AINO)
    assert len(state.entries) == 6  # nothing entered the record
    decide(state, {"op": "houses.offer", "participant": EETU}, CHAIR, ctx())
    assert seen_by(state, EETU)


def test_only_the_chair_offers_and_only_the_child_asked_answers(state: MeetingState) -> None:
    offer = {"op": "houses.offer", "participant": EETU}
    for who in (SCRIBE, AINO, EETU):
        assert refusal(state, offer, who, ctx()) == "forbidden"
    for target in (SCREEN, PIRJO, SCRIBE):
        assert (
            refusal(state, {"op": "houses.offer", "participant": target}, CHAIR, ctx()) == "invalid"
        )
    answer = {"op": "houses.answer", "show": True}
    assert refusal(state, answer, EETU, ctx()) == "not_found"  # not asked yet
    decide(state, offer, CHAIR, ctx())
    for who in (AINO, CHAIR, SCRIBE):
        assert refusal(state, answer, who, ctx()) == "not_found"
    assert refusal(state, answer, SCREEN, ctx()) == "forbidden"
    assert state.houses_status == "offered"


def test_a_meeting_without_houses_has_nothing_to_offer() -> None:
    state = make_state()
    assert refusal(state, {"op": "houses.offer", "participant": EETU}, CHAIR, ctx()) == "invalid"
    assert state.snapshot(viewer=CHAIR)["houses"] is None
