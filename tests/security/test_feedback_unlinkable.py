"""Item 12 of issue 16: an answer to the feedback questions cannot be linked to who gave it, by
anyone holding the database: no actor on its event, no row naming who answered, random ids."""

from __future__ import annotations

import hashlib
import re

from sqlmodel import select

from app.meetings.models import Event, Feedback, FeedbackMark, Participant
from tests.helpers import Person, RunningServer
from tests.meetings.test_live import _admitted, _room


async def _answer(server: RunningServer, mid: str, person: Person, heard: int) -> int:
    body = {"id": f"f{heard}", "heard": heard, "next": 3, "together": 4, "comment": f"c{heard}"}
    async with server.http(cookies=person.cookies) as http:
        answer = await http.post(f"/api/meetings/{mid}/feedback", json=body)
        assert answer.status_code == 200, answer.text
        again = await http.post(f"/api/meetings/{mid}/feedback", json={**body, "id": "other"})
        assert again.status_code == 409  # answered once only
    return answer.json()["count"]


async def test_an_answer_names_no_one(any_server: RunningServer) -> None:
    assert any_server.app is not None
    meeting, _cookies, chair = await _room(any_server)
    mid = meeting["id"]
    people = [
        (await _admitted(any_server, meeting, chair, name, family=True))
        for name in ("Aino", "Eetu", "Pirjo")
    ]
    await chair.ok({"op": "meeting.close"})
    for n, (person, _client) in enumerate(people, start=1):
        assert await _answer(any_server, mid, person, n) == n
    received = await chair.event("feedback.received")
    assert received["actor"] is None

    with any_server.app.state.session_factory() as session:
        events = session.exec(
            select(Event).where(Event.meeting_id == mid, Event.name == "feedback.received")
        ).all()
        assert len(events) == 3 and {e.actor for e in events} == {None}
        rows = session.exec(select(Feedback).where(Feedback.meeting_id == mid)).all()
        assert sorted(r.heard for r in rows) == [1, 2, 3]
        # Random ids: no counter that runs in the order of the answers (and of their events).
        assert all(re.fullmatch(r"[0-9a-f]{32}", str(r.id)) for r in rows)
        participants = session.exec(select(Participant).where(Participant.meeting_id == mid)).all()
        assert not any(p.feedback_given for p in participants)
        marks = {
            m.mark for m in session.exec(select(FeedbackMark).where(FeedbackMark.meeting_id == mid))
        }
        assert len(marks) == 3
        # Nothing the database holds of a participant makes their mark.
        known = {p.id for p in participants} | {p.token_hash for p in participants if p.token_hash}
        for value in known:
            made = hashlib.sha256(f"feedback:{mid}:{value}".encode()).hexdigest()
            assert value not in marks and made not in marks
    await chair.close()
