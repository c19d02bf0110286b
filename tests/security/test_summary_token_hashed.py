"""Item 8 of issue 16: the family's summary token is kept only as its SHA-256, in no event and
no table in plain text; the link still opens the summary."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlmodel import SQLModel

from tests.helpers import LiveClient, RunningServer
from tests.meetings.test_live import _room


async def test_the_summary_token_is_stored_only_as_its_hash(any_server: RunningServer) -> None:
    assert any_server.app is not None
    meeting, cookies, chair = await _room(any_server)
    await chair.ok({"op": "entry.add", "phase": "plan", "text": "Mummo käy aamuisin"})
    await chair.ok({"op": "meeting.close"})
    shared = await chair.ok({"op": "summary.share", "days": 7})
    url = shared["data"]["url"]
    token = url.removeprefix("/s/")
    assert url.startswith("/s/") and len(token) >= 32
    async with any_server.http() as http:
        assert (await http.get(url)).status_code == 200

    # Every row of every table, the event log included: the token is nowhere, its hash is.
    hashed = hashlib.sha256(token.encode()).hexdigest()
    found_hash = False
    with any_server.app.state.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                text = " ".join(str(v) for v in row)
                assert token not in text, table.name
                found_hash = found_hash or hashed in text
    assert found_hash

    # The chair (and the screen's QR) are still shown the link after a reconnect.
    again = await LiveClient.open(any_server, meeting["id"], cookies)
    snapshot = await again.next_of("snapshot")
    assert snapshot["state"]["process"]["summary"]["url"] == url
    resumed = await LiveClient.open(any_server, meeting["id"], cookies, since=shared["seq"] - 1)
    replayed = await resumed.event("summary.shared")
    assert replayed["data"]["url"] == url
    for client in (chair, again, resumed):
        await client.close()
