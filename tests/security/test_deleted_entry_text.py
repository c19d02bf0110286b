"""Item 6 of issue 16: a deleted entry's text reaches only those who may restore it (the chair
and the scribe), in snapshots and in the events a socket is sent to catch up."""

from __future__ import annotations

import json

from tests.helpers import LiveClient, RunningServer
from tests.meetings.test_live import _admitted, _room

SECRET = "Isä sanoi jotain, mikä poistettiin"


async def test_a_deleted_entrys_text_stays_with_the_chair_and_the_scribe(
    any_server: RunningServer,
) -> None:
    meeting, cookies, chair = await _room(any_server)
    mid = meeting["id"]
    scribe_p, scribe = await _admitted(any_server, meeting, chair, "Heidi", "kirjaaja", scribe=True)
    aino_p, aino = await _admitted(any_server, meeting, chair, "Aino", "äiti", family=True)
    before = aino.seq
    added = await chair.ok({"op": "entry.add", "phase": "core", "text": SECRET})
    entry = added["data"]["entry"]["id"]
    deleted = await chair.ok({"op": "entry.delete", "entry": entry})
    await aino.until_seq(deleted["seq"])
    await aino.close()

    def text_of(frames: list[dict]) -> str:
        return json.dumps(frames, ensure_ascii=False)

    # A phone that comes back: a fresh snapshot, and a resume from before the entry was written.
    fresh = await LiveClient.open(any_server, mid, aino_p.cookies)
    snap = await fresh.next_of("snapshot")
    shown = [e for e in snap["state"]["entries"] if e["id"] == entry]
    assert shown == [] or (shown[0]["deleted"] and shown[0]["text"] == "")
    resumed = await LiveClient.open(any_server, mid, aino_p.cookies, since=before)
    # Brought up to date by a snapshot (the events would carry the text again).
    await resumed.wait_for(
        lambda f: f.get("type") in ("event", "snapshot") and f["seq"] >= deleted["seq"]
    )
    for client in (fresh, resumed):
        assert SECRET not in text_of(client.frames)
        await client.close()
    async with any_server.http(cookies=aino_p.cookies) as http:
        answer = await http.get(f"/api/meetings/{mid}")
    assert answer.status_code == 200 and SECRET not in answer.text

    # The chair and the scribe, who may restore it, still see what it said.
    for person in (cookies, scribe_p.cookies):
        again = await LiveClient.open(any_server, mid, person)
        snap = await again.next_of("snapshot")
        assert [e["text"] for e in snap["state"]["entries"] if e["id"] == entry] == [SECRET]
        await again.close()
    for client in (chair, scribe):
        await client.close()
