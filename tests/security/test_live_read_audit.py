"""Item 9 of issue 16: a professional's read of a closed record over the live socket is audited,
as the same read over HTTP is."""

from __future__ import annotations

from sqlmodel import select

from app.audit.models import AuditEntry
from tests.helpers import LiveClient, RunningServer
from tests.meetings.test_live import _room


def _views(server: RunningServer, meeting_id: str) -> list[tuple[str, str]]:
    assert server.app is not None
    with server.app.state.session_factory() as session:
        rows = session.exec(
            select(AuditEntry).where(
                AuditEntry.meeting_id == meeting_id, AuditEntry.action == "record.view"
            )
        ).all()
        return [(r.actor, r.role) for r in rows]


async def test_a_live_read_of_a_closed_record_is_audited(any_server: RunningServer) -> None:
    meeting, cookies, chair = await _room(any_server)
    await chair.ok({"op": "entry.add", "phase": "core", "text": "Lukittava kirjaus"})
    await chair.ok({"op": "meeting.close"})
    assert _views(any_server, meeting["id"]) == []

    again = await LiveClient.open(any_server, meeting["id"], cookies)
    snapshot = await again.next_of("snapshot")
    assert snapshot["state"]["meeting"]["status"] == "closed"
    chair_id = again.you["id"] if again.you else ""
    assert _views(any_server, meeting["id"]) == [(f"participant:{chair_id}", "chair")]

    # The same read over HTTP is logged the same way.
    async with any_server.http(cookies=cookies) as http:
        assert (await http.get(f"/api/meetings/{meeting['id']}")).status_code == 200
    assert _views(any_server, meeting["id"]) == [(f"participant:{chair_id}", "chair")] * 2
    for client in (chair, again):
        await client.close()
