"""The rules added for the four screens: undo a delete, the lobby door, timer extension,
handing the chair over, and frames in every viewer's language."""

from __future__ import annotations

from typing import Any

import pytest

from app.errors import AppError
from app.meetings.domain import MeetingState, Timer
from app.meetings.state import Context, join
from tests.meetings.rules import decide, refusal
from tests.meetings.test_state import AINO, CHAIR, FRAMES, NOW, SCRIBE, make_state


def ctx() -> Context:
    return Context(now=NOW, new_id=lambda: "e_new")


def run(state: MeetingState, body: dict, actor: str) -> dict:
    event = decide(state, body, actor, ctx())
    return {"name": event.name, **event.data}


def refused(state: MeetingState, body: dict[str, Any], actor: str) -> str:
    return refusal(state, body, actor, ctx())


@pytest.fixture
def state() -> MeetingState:
    return make_state()


def test_a_deleted_entry_can_be_restored_by_a_writer(state: MeetingState) -> None:
    run(state, {"op": "entry.delete", "entry": "e_h2"}, SCRIBE)
    assert refused(state, {"op": "entry.restore", "entry": "e_h2"}, AINO) == "forbidden"
    event = run(state, {"op": "entry.restore", "entry": "e_h2"}, CHAIR)
    assert event["name"] == "entry.restored" and event["entry"]["deleted"] is False
    assert state.entries["e_h2"].deleted is False and state.entries["e_h2"].version == 3
    assert refused(state, {"op": "entry.restore", "entry": "e_h2"}, SCRIBE) == "invalid"
    assert refused(state, {"op": "entry.restore", "entry": "e_nope"}, SCRIBE) == "not_found"


def test_the_chair_closes_and_opens_the_lobby(state: MeetingState) -> None:
    assert refused(state, {"op": "meeting.lobby", "open": False}, SCRIBE) == "forbidden"
    assert run(state, {"op": "meeting.lobby", "open": False}, CHAIR)["open"] is False
    with pytest.raises(AppError) as err:
        join(state, "p_new", "Laura", "opettaja", False)
    assert err.value.code == "closed"
    assert refused(state, {"op": "meeting.lobby", "open": False}, CHAIR) == "invalid"
    run(state, {"op": "meeting.lobby", "open": True}, CHAIR)
    assert join(state, "p_new", "Laura", "opettaja", False).name == "participant.joined"
    assert state.snapshot()["meeting"]["lobby_open"] is True


def test_the_timer_is_extended_from_its_end_or_from_now(state: MeetingState) -> None:
    assert refused(state, {"op": "timer.extend", "seconds": 300}, CHAIR) == "invalid"
    run(state, {"op": "timer.start", "seconds": 600}, CHAIR)
    event = run(state, {"op": "timer.extend", "seconds": 300}, CHAIR)
    assert event["timer"]["ends_at"] == "2026-11-25T10:15:00Z"
    assert (
        event["timer"]["seconds"] == 900 and event["timer"]["started_at"] == "2026-11-25T10:00:00Z"
    )
    # A timer that already ran out is extended from now, not from its past end.
    state.timer = Timer(0, 60, "2026-11-25T09:00:00Z", "2026-11-25T09:01:00Z")
    assert run(state, {"op": "timer.extend", "seconds": 300}, CHAIR)["timer"]["ends_at"] == (
        "2026-11-25T10:05:00Z"
    )
    assert refused(state, {"op": "timer.extend", "seconds": 300}, SCRIBE) == "forbidden"


def test_the_chair_is_handed_over_not_shared(state: MeetingState) -> None:
    assert (
        refused(state, {"op": "participant.role", "participant": AINO, "role": "chair"}, SCRIBE)
        == "forbidden"
    )
    event = run(state, {"op": "participant.role", "participant": AINO, "role": "chair"}, CHAIR)
    assert event == {
        "name": "participant.role_changed",
        "participant": AINO,
        "kind": "chair",
        "previous": CHAIR,
    }
    assert state.participants[AINO].kind == "chair"
    assert state.participants[CHAIR].kind == "participant"
    # The new chair moves the frame; the old one no longer can.
    assert refused(state, {"op": "phase.goto", "index": 1}, CHAIR) == "forbidden"
    assert run(state, {"op": "phase.goto", "index": 1}, AINO)["index"] == 1


@pytest.mark.parametrize(("lang", "title"), [("fi", "Hypoteesit"), ("en", "Hypotheses")])
def test_each_viewer_reads_the_frame_in_their_own_language(lang: str, title: str) -> None:
    state = make_state()
    state.frame = FRAMES["hypothesis"].model_dump()  # as a meeting stores it: every language
    snapshot = state.snapshot(frozenset(), lang)
    assert snapshot["phases"][2]["title"] == title
    assert snapshot["phases"][2]["prompts"] and isinstance(snapshot["phases"][2]["question"], str)
    sv = state.snapshot(frozenset(), "sv")["phases"][2]["title"]
    assert sv not in ("Hypoteesit", "Hypotheses") and sv
