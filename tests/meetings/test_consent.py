""" "Ask first", without a server: an entry asked of one person is seen by them, the chair and the
scribe only, until that person approves it; then it is in the shared record. Who may ask, who
may approve, and what each viewer's snapshot holds before and after (app/meetings/consent.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.meetings.domain import MeetingState
from app.meetings.state import Context
from app.records.export import record_markdown, record_text
from tests.meetings.rules import decide, refusal
from tests.meetings.test_state import (
    AINO,
    CHAIR,
    EETU,
    MIKKO,
    NOW,
    PIRJO,
    SCREEN,
    SCRIBE,
    make_state,
)

SECRET = "Äidin masennus on vaikeuttanut aamuja."


def ctx() -> Context:
    return Context(now=NOW, new_id=lambda: "e_ask")


def add(ask_first: str | None = AINO, **more: Any) -> dict[str, Any]:
    body = {"op": "entry.add", "phase": "hypotheses", "text": SECRET, **more}
    return body | ({"ask_first": ask_first} if ask_first else {})


def seen(state: MeetingState, viewer: str) -> bool:
    return any(e["id"] == "e_ask" for e in state.snapshot(viewer=viewer)["entries"])


@pytest.fixture
def state() -> MeetingState:
    return make_state()


def test_until_approved_only_the_chair_the_scribe_and_the_person_see_it(
    state: MeetingState,
) -> None:
    state.current_phase = 2  # the hypotheses, on the projector too
    added = decide(state, add(), SCRIBE, ctx())
    assert added.data["entry"]["ask_first"] == {"participant": AINO, "approved": False}
    assert [seen(state, v) for v in (CHAIR, SCRIBE, AINO)] == [True, True, True]
    assert [seen(state, v) for v in (EETU, SCREEN)] == [False, False]
    assert SECRET not in str(state.snapshot(viewer=SCREEN))
    assert not state.entries["e_ask"].shared

    approved = decide(state, {"op": "entry.approve", "entry": "e_ask"}, AINO, ctx())
    assert approved.name == "entry.approved"
    assert approved.data["entry"]["ask_first"] == {"participant": AINO, "approved": True}
    assert approved.data["entry"]["text"] == SECRET
    assert [seen(state, v) for v in (CHAIR, SCRIBE, AINO, EETU, SCREEN)] == [True] * 5
    assert state.entries["e_ask"].shared


def test_only_the_person_it_concerns_approves_it_once(state: MeetingState) -> None:
    decide(state, add(), SCRIBE, ctx())
    approve = {"op": "entry.approve", "entry": "e_ask"}
    for other in (EETU, CHAIR, SCRIBE):
        assert refusal(state, approve, other, ctx()) == "not_found"
    assert refusal(state, approve, SCREEN, ctx()) == "forbidden"
    assert refusal(state, {"op": "entry.approve", "entry": "e_h1"}, AINO, ctx()) == "not_found"
    decide(state, approve, AINO, ctx())
    assert refusal(state, approve, AINO, ctx()) == "invalid"


def test_to_anyone_else_a_waiting_entry_is_not_there(state: MeetingState) -> None:
    decide(state, add(), SCRIBE, ctx())
    for body in (
        {"op": "entry.react", "entry": "e_ask", "reaction": "agree"},
        {"op": "entry.unclear", "entry": "e_ask", "unclear": True},
        {"op": "entry.request", "entry": "e_ask", "note": "Mikä tämä on?"},
    ):
        assert refusal(state, body, EETU, ctx()) == "not_found", body
    # The person it concerns approves it or asks for a change; a reaction comes after.
    assert (
        refusal(state, {"op": "entry.react", "entry": "e_ask", "reaction": "agree"}, AINO, ctx())
        == "invalid"
    )
    asked = decide(
        state,
        {"op": "entry.request", "entry": "e_ask", "wording": "Äiti on ollut väsynyt."},
        AINO,
        ctx(),
    )
    assert asked.data["entry"]["ask_first"]["approved"] is False
    assert not seen(state, EETU)


def test_an_edit_keeps_whom_it_is_asked_of_and_the_requests_trail(state: MeetingState) -> None:
    decide(state, add(), SCRIBE, ctx())
    decide(
        state, {"op": "entry.request", "entry": "e_ask", "note": "Ei masennus"}, AINO, ctx(), "r1"
    )
    edited = decide(
        state,
        {"op": "entry.edit", "entry": "e_ask", "version": 1, "text": "Äiti on ollut uupunut."},
        SCRIBE,
        ctx(),
    )
    assert edited.data["entry"]["ask_first"] == {"participant": AINO, "approved": False}
    assert [r["id"] for r in edited.data["entry"]["requests"]] == ["r1"]
    assert not seen(state, EETU)


@pytest.mark.parametrize(
    ("body", "actor", "code"),
    [
        (add(), AINO, "forbidden"),  # only the record's writers write
        (add(ask_first=CHAIR), SCRIBE, "invalid"),  # not the chair or scribe themselves
        (add(ask_first=SCREEN), SCRIBE, "invalid"),
        (add(ask_first=PIRJO), SCRIBE, "invalid"),  # still in the lobby
        (add(ask_first=MIKKO), SCRIBE, "not_found"),  # removed
        (add(ask_first="p_nobody"), SCRIBE, "not_found"),
    ],
)
def test_who_may_ask_first_and_of_whom(
    state: MeetingState, body: dict[str, Any], actor: str, code: str
) -> None:
    assert refusal(state, body, actor, ctx()) == code
    assert "e_ask" not in state.entries


def test_left_waiting_at_the_close_it_stays_out_of_the_shared_record(state: MeetingState) -> None:
    decide(state, add(), SCRIBE, ctx())
    state.status = "closed"
    assert refusal(state, {"op": "entry.approve", "entry": "e_ask"}, AINO, ctx()) == "closed"
    assert not state.entries["e_ask"].shared
    held = dt.datetime(2026, 11, 25, 8, 30)
    assert SECRET not in record_markdown(state, held)
    assert SECRET not in record_text(state, held)
    # Approved, it is in every export like any other entry.
    state.entries["e_ask"].approved = True
    assert SECRET in record_markdown(state, held)
