"""The chair handed to a phone, over the real server: the record stays with the account (export,
delete, correction), the owner takes the chair back; /api/frames as a page for a browser."""

from __future__ import annotations

from sqlmodel import select

from app.audit.models import AuditEntry
from tests.helpers import RunningServer
from tests.meetings.test_live import _admitted, _room


async def test_a_phone_that_chairs_neither_exports_nor_deletes_and_the_owner_takes_it_back(
    server: RunningServer,
) -> None:
    meeting, owner_cookies, owner = await _room(server)
    mid = meeting["id"]
    aino_p, aino = await _admitted(server, meeting, owner, "Aino", "äiti", family=True)
    await owner.ok({"op": "participant.role", "participant": aino_p.participant, "role": "chair"})
    await aino.event("participant.role_changed")
    await aino.ok({"op": "entry.add", "phase": "core", "text": "Aamut ovat raskaita."})
    async with server.http(cookies=aino_p.cookies) as http:
        assert (await http.get(f"/api/meetings/{mid}/record.pdf")).status_code == 403
        assert (await http.delete(f"/api/meetings/{mid}")).status_code == 403
        # Only the account that opened the meeting takes the chair.
        assert (await http.post(f"/api/meetings/{mid}/chair")).status_code == 403
    # The owner, a participant now, still takes the record out and takes the chair back.
    async with server.http(cookies=owner_cookies) as http:
        assert (await http.get(f"/api/meetings/{mid}/record.md")).status_code == 200
        back = await http.post(f"/api/meetings/{mid}/chair")
        assert back.status_code == 200
        again = await http.post(f"/api/meetings/{mid}/chair")
        assert again.json()["error"]["code"] == "invalid"
    changed = await aino.event("participant.role_changed")
    assert changed["data"]["previous"] == aino_p.participant
    refused = await aino.op({"op": "phase.goto", "index": 1})
    assert refused["type"] == "error" and refused["code"] == "forbidden"
    assert server.app is not None
    with server.app.state.session_factory() as session:
        rows = session.exec(select(AuditEntry).where(AuditEntry.meeting_id == mid)).all()
    exports = [row.actor for row in rows if row.action == "record.export"]
    assert len(exports) == 1 and exports[0].startswith("user:")
    for client in (owner, aino):
        await client.close()


async def test_the_summary_is_shared_over_http_by_the_chair_after_the_close(
    server: RunningServer,
) -> None:
    meeting, owner_cookies, owner = await _room(server)
    mid = meeting["id"]
    aino_p, aino = await _admitted(server, meeting, owner, "Aino", "äiti", family=True)
    body = {"id": "share-1", "days": 14}
    async with server.http(cookies=owner_cookies) as http:
        early = await http.post(f"/api/meetings/{mid}/summary", json=body)
        assert early.json()["error"]["code"] == "invalid"  # the summary waits for the close
        await owner.ok({"op": "meeting.close"})
        async with server.http(cookies=aino_p.cookies) as phone:
            denied = await phone.post(f"/api/meetings/{mid}/summary", json=body)
            assert denied.status_code == 403
        shared = await http.post(f"/api/meetings/{mid}/summary", json=body)
        assert shared.status_code == 200
        after = await http.get(f"/api/meetings/{mid}/after")
    assert after.json()["summary"]["url"].startswith("/s/")
    for client in (owner, aino):
        await client.close()


async def test_frames_are_a_page_for_a_browser_and_json_for_a_program(
    server: RunningServer,
) -> None:
    async with server.http(follow_redirects=True) as http:
        page = await http.get(
            "/api/frames", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
        )
        direct = await http.get("/frames")
        data = await http.get("/api/frames", headers={"Accept": "application/json"})
        anything = await http.get("/api/frames")
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="fi">' in page.text
    assert "<title>Keskustelukehykset · Avoin</title>" in page.text
    assert "Hypoteesityöskentely" in page.text and direct.text == page.text
    assert data.json()["frames"][0]["phases"]
    assert anything.json() == data.json()
