"""Correction requests, without a server: who may ask and who may answer, what each outcome does
to the entry, and that a request left open at the close becomes a correction of the locked
record when it is taken in (app/meetings/requests.py)."""

from __future__ import annotations

from typing import Any

import pytest

from app.meetings.domain import MeetingState
from app.meetings.state import Context
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

ENTRY = "e_h1"  # "Voisiko ryhmätyö jännittää?"


def ctx() -> Context:
    return Context(now=NOW, new_id=lambda: "e_new", new_token=lambda: "t" * 32)


def run(state: MeetingState, body: dict[str, Any], actor: str, op_id: str = "o1") -> Any:
    return decide(state, body, actor, ctx(), op_id)


def refused(state: MeetingState, body: dict[str, Any], actor: str) -> str:
    return refusal(state, body, actor, ctx())


def ask(wording: str | None = None, note: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"op": "entry.request", "entry": ENTRY}
    if wording is not None:
        body["wording"] = wording
    if note is not None:
        body["note"] = note
    return body


def resolve(request: str, outcome: str, text: str | None = None) -> dict[str, Any]:
    body = {"op": "request.resolve", "entry": ENTRY, "request": request, "outcome": outcome}
    return body | ({"text": text} if text is not None else {})


@pytest.fixture
def state() -> MeetingState:
    return make_state()


def test_anyone_let_in_may_ask_for_a_change_the_screen_and_outsiders_may_not(
    state: MeetingState,
) -> None:
    body = ask("Ryhmätyö jännittää joskus.")
    for outsider, code in ((SCREEN, "forbidden"), (PIRJO, "forbidden"), (MIKKO, "forbidden")):
        assert refused(state, body, outsider) == code
    assert refused(state, body, "nobody") == "forbidden"
    event = run(state, body, AINO, "req-aino")
    assert event.name == "entry.requested" and event.data["request"] == "req-aino"
    request = state.entries[ENTRY].requests[0]
    assert request == {
        "id": "req-aino",
        "by": AINO,
        "at": "2026-11-25T10:00:00Z",
        "wording": "Ryhmätyö jännittää joskus.",
        "note": None,
        "status": "open",
        "answer": None,
        "answered_by": None,
    }
    # The entry itself is as it was until the scribe or the chair takes the request in.
    assert state.entries[ENTRY].text == "Voisiko ryhmätyö jännittää?"
    assert state.entries[ENTRY].version == 1


def test_a_request_says_something_and_one_waits_at_a_time(state: MeetingState) -> None:
    assert refused(state, ask(), AINO) == "invalid"
    assert refused(state, ask("  ", "  "), AINO) == "invalid"
    assert refused(state, ask("Voisiko ryhmätyö jännittää?"), AINO) == "invalid"  # the same
    assert refused(state, {**ask(note="x"), "entry": "e_nope"}, AINO) == "not_found"
    run(state, ask(note="Sanoin toisin"), AINO, "r1")
    assert refused(state, ask("Toinen"), AINO) == "invalid"  # the first still waits
    run(state, ask("Eetun oma sanamuoto"), EETU, "r2")  # another person's is their own
    assert [r["id"] for r in state.entries[ENTRY].requests] == ["r1", "r2"]


def test_only_the_scribe_or_the_chair_answers(state: MeetingState) -> None:
    run(state, ask("Ryhmätyö jännittää joskus."), AINO, "r1")
    assert refused(state, resolve("r1", "accept"), AINO) == "forbidden"
    assert refused(state, resolve("r1", "accept"), EETU) == "forbidden"
    assert refused(state, resolve("nope", "accept"), SCRIBE) == "not_found"
    assert refused(state, resolve("r1", "answer"), SCRIBE) == "invalid"  # an answer needs words


def test_taken_in_as_it_is(state: MeetingState) -> None:
    run(state, ask("Ryhmätyö jännittää joskus.", "Sanoin 'joskus'"), AINO, "r1")
    event = run(state, resolve("r1", "accept"), SCRIBE, "o2")
    assert event.name == "request.resolved" and event.data["request"] == "r1"
    entry = state.entries[ENTRY]
    assert entry.text == "Ryhmätyö jännittää joskus." and entry.version == 2
    assert entry.requests[0]["status"] == "accepted"
    assert entry.requests[0]["answered_by"] == SCRIBE and entry.requests[0]["answer"] is None
    assert refused(state, resolve("r1", "accept"), SCRIBE) == "conflict"  # once


def test_taken_in_edited_and_answered_in_words(state: MeetingState) -> None:
    run(state, ask("Ryhmätyö jännittää.", "Lisää 'välillä'"), AINO, "r1")
    run(state, resolve("r1", "accept", "Ryhmätyö jännittää välillä."), CHAIR, "o2")
    request = state.entries[ENTRY].requests[0]
    assert state.entries[ENTRY].text == "Ryhmätyö jännittää välillä."
    assert (request["status"], request["answer"]) == ("edited", "Ryhmätyö jännittää välillä.")
    run(state, ask(note="En ymmärrä sanaa 'ryhmätyö'"), EETU, "r2")
    assert refused(state, resolve("r2", "accept"), SCRIBE) == "invalid"  # no wording to take
    run(state, resolve("r2", "answer", "Se tarkoittaa tehtävää yhdessä."), SCRIBE, "o3")
    answered = state.entries[ENTRY].requests[1]
    assert (answered["status"], answered["answer"]) == (
        "answered",
        "Se tarkoittaa tehtävää yhdessä.",
    )
    assert state.entries[ENTRY].text == "Ryhmätyö jännittää välillä."  # unchanged by an answer


def test_after_the_close_a_waiting_request_becomes_a_correction(state: MeetingState) -> None:
    run(state, ask("Ryhmätyö jännittää joskus.", "Sanoin 'joskus'"), AINO, "r1")
    run(state, {"op": "meeting.close"}, CHAIR, "o2")
    assert refused(state, ask(note="Vielä yksi"), EETU) == "closed"  # no new ones: locked
    # The scribe who joined with the code (no account) does not touch the locked record.
    assert refused(state, resolve("r1", "accept"), SCRIBE) == "forbidden"
    run(state, resolve("r1", "accept"), CHAIR, "o3")
    entry = state.entries[ENTRY]
    assert entry.text == "Ryhmätyö jännittää joskus." and entry.version == 2
    assert entry.corrections == [
        {
            "text": "Ryhmätyö jännittää joskus.",
            "previous": "Voisiko ryhmätyö jännittää?",
            "reason": "Aino: Sanoin 'joskus'",
            "at": "2026-11-25T10:00:00Z",
            "by": CHAIR,
        }
    ]
    assert entry.requests[0]["status"] == "accepted"
