"""The process around a meeting, without a server: corrections after close, the next meeting,
the summary link, the review of the last plan and the family's 0–10 answer."""

from __future__ import annotations

from typing import Any

import pytest

from app.meetings.domain import MeetingState
from app.meetings.process import with_review_phase
from app.meetings.process_state import Review
from app.meetings.schemas import op_adapter
from app.meetings.state import Context
from tests.meetings.rules import decide, refusal
from tests.meetings.test_state import AINO, CHAIR, EETU, FRAMES, NOW, SCRIBE, make_state


def ctx() -> Context:
    return Context(now=NOW, new_id=lambda: "e_new", new_token=lambda: "t" * 32)


def run(state: MeetingState, body: dict[str, Any], actor: str) -> Any:
    return decide(state, body, actor, ctx())


def refused(state: MeetingState, body: dict[str, Any], actor: str) -> str:
    return refusal(state, body, actor, ctx())


@pytest.fixture
def state() -> MeetingState:
    return make_state()


def test_close_locks_the_record_and_sets_how_long_it_is_kept(state: MeetingState) -> None:
    closed = run(state, {"op": "meeting.close"}, CHAIR)
    assert closed.data["retain_until"] == "2026-12-25T10:00:00Z"
    assert state.process.retain_until == "2026-12-25T10:00:00Z"
    edit = {"op": "entry.edit", "entry": "e_h1", "version": 1, "text": "Muutettu"}
    assert refused(state, edit, SCRIBE) == "closed"


def test_a_correction_after_close_is_shown_as_a_correction(state: MeetingState) -> None:
    correct = {
        "op": "entry.correct",
        "entry": "e_h1",
        "text": "Ryhmätyöt jännittävät.",
        "reason": "Kirjoitusvirhe",
    }
    assert refused(state, correct, CHAIR) == "invalid"  # before close: edit instead
    run(state, {"op": "meeting.close"}, CHAIR)
    assert refused(state, correct, AINO) == "forbidden"
    # A scribe who joined with the code (no account) does not correct the locked record.
    assert refused(state, correct, SCRIBE) == "forbidden"
    assert refused(state, {**correct, "reason": "  "}, CHAIR) == "invalid"
    event = run(state, correct, CHAIR)
    entry = event.data["entry"]
    assert entry["text"] == "Ryhmätyöt jännittävät." and entry["version"] == 2
    assert entry["corrections"] == [
        {
            "text": "Ryhmätyöt jännittävät.",
            "previous": "Voisiko ryhmätyö jännittää?",
            "reason": "Kirjoitusvirhe",
            "at": "2026-11-25T10:00:00Z",
            "by": CHAIR,
        }
    ]
    assert state.entries["e_h1"].corrections[0]["previous"] == "Voisiko ryhmätyö jännittää?"


def test_the_next_meeting_is_scheduled_by_the_chair(state: MeetingState) -> None:
    body = {"op": "meeting.schedule", "when": "2027-01-15T14:30:00", "place": " Perhekeskus "}
    assert refused(state, body, SCRIBE) == "forbidden"
    event = run(state, body, CHAIR)
    assert event.data == {"next": {"when": "2027-01-15T14:30:00", "place": "Perhekeskus"}}
    assert state.process.next_meeting == {"when": "2027-01-15T14:30:00", "place": "Perhekeskus"}


def test_the_summary_link_is_shared_at_the_end_and_revocable(state: MeetingState) -> None:
    assert refused(state, {"op": "summary.share", "days": 14}, CHAIR) == "invalid"
    run(state, {"op": "meeting.close"}, CHAIR)
    assert refused(state, {"op": "summary.share", "days": 14}, SCRIBE) == "forbidden"
    event = run(state, {"op": "summary.share", "days": 14}, CHAIR)
    assert event.data == {"link": "t" * 32, "expires_at": "2026-12-09T10:00:00Z"}
    assert event.private == {}
    assert state.process.summary == event.data
    run(state, {"op": "summary.revoke"}, CHAIR)
    assert state.process.summary is None
    assert refused(state, {"op": "summary.revoke"}, CHAIR) == "invalid"


@pytest.fixture
def reviewing() -> MeetingState:
    state = make_state()
    state.frame = with_review_phase(FRAMES["hypothesis"].model_dump())
    steps = [{"id": "s1", "text": "Pysyvä pari", "owner": "Laura", "due": "2026-12-04"}]
    state.process.review = Review(steps=steps, previous_wellbeing=4.0)
    return state


def test_the_review_phase_comes_right_after_the_opening(reviewing: MeetingState) -> None:
    keys = [p["key"] for p in reviewing.phases]
    assert keys[:3] == ["opening", "review", "core"]
    snap = reviewing.snapshot(frozenset(), "sv")
    assert snap["phases"][1]["title"] == "Hur har stegen gått?"


def test_steps_are_marked_and_the_family_answers_how_things_are(reviewing: MeetingState) -> None:
    assert (
        refused(reviewing, {"op": "review.mark", "step": "s1", "status": "done"}, AINO)
        == "forbidden"
    )
    assert (
        refused(reviewing, {"op": "review.mark", "step": "nope", "status": "done"}, SCRIBE)
        == "not_found"
    )
    run(reviewing, {"op": "review.mark", "step": "s1", "status": "partly"}, SCRIBE)
    assert reviewing.process.review is not None and reviewing.process.review.marks == {
        "s1": "partly"
    }
    assert refused(reviewing, {"op": "wellbeing.rate", "score": 7}, SCRIBE) == "forbidden"
    first = run(reviewing, {"op": "wellbeing.rate", "score": 7}, AINO)
    assert first.data == {"count": 1, "average": 7.0}
    assert first.private == {"participant": AINO, "score": 7}
    second = run(reviewing, {"op": "wellbeing.rate", "score": 4}, EETU)
    assert second.data == {"count": 2, "average": 5.5}
    again = run(reviewing, {"op": "wellbeing.rate", "score": 8}, AINO)  # one answer each
    assert again.data == {"count": 2, "average": 6.0}
    view = reviewing.snapshot(frozenset(), "fi", AINO)["process"]["review"]
    assert view["mine"] == 8 and view["previous_wellbeing"] == 4.0
    assert view["wellbeing"] == {"count": 2, "average": 6.0}
    assert reviewing.snapshot(frozenset(), "fi", CHAIR)["process"]["review"]["mine"] is None


def test_no_review_without_an_earlier_meeting(state: MeetingState) -> None:
    assert refused(state, {"op": "wellbeing.rate", "score": 5}, AINO) == "invalid"
    assert (
        refused(state, {"op": "review.mark", "step": "s1", "status": "done"}, SCRIBE) == "not_found"
    )
    with pytest.raises(Exception):  # noqa: B017 - pydantic refuses a score outside 0–10
        op_adapter.validate_python({"id": "o", "op": "wellbeing.rate", "score": 11})
