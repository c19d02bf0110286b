""" "Ask first" over real sockets, on SQLite and on PostgreSQL with Redis: an entry asked of Aino
reaches Aino, the chair and the scribe as it is; Eetu's phone and the shared screen are sent a
snapshot without it in its place (no seq is skipped), a phone that reconnects from the start
replays no trace of it, and once Aino approves it every screen has it."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PASSWORD
from tests.helpers import LiveClient, RunningServer, join, login, new_meeting, open_screen

SECRET = "Äidin uupumus on vaikeuttanut aamuja."


@pytest.fixture(scope="module")
def server(any_server: RunningServer) -> RunningServer:
    return any_server


async def test_only_the_person_and_the_writers_see_it_until_it_is_approved(
    server: RunningServer,
) -> None:
    chair_cookies = await login(server, "kalle", PASSWORD)
    meeting = await new_meeting(server, chair_cookies)
    mid = meeting["id"]
    chair = await LiveClient.open(server, mid, chair_cookies)
    await chair.next_of("snapshot")
    people = {}
    for name in ("Aino", "Eetu"):
        person = await join(server, meeting, name, family=True)
        people[name] = (person, await LiveClient.open(server, mid, person.cookies))
        await chair.ok({"op": "participant.admit", "participant": person.participant})
        await people[name][1].next_of("snapshot")
    (aino, aino_phone), (eetu, eetu_phone) = people["Aino"], people["Eetu"]
    screen = await LiveClient.open(server, mid, await open_screen(server, meeting), screen=True)
    await screen.next_of("snapshot")

    added = await chair.ok(
        {"op": "entry.add", "phase": "opening", "text": SECRET, "ask_first": aino.participant}
    )
    entry = added["data"]["entry"]["id"]
    assert (await aino_phone.event("entry.added"))["seq"] == added["seq"]
    for other in (eetu_phone, screen):
        snapshot = await other.next_of("snapshot")
        assert snapshot["seq"] >= added["seq"]
        assert SECRET not in json.dumps(snapshot)
        assert all(SECRET not in json.dumps(f) for f in other.frames)

    # Eetu cannot touch what is not there for him; the screen reload and a replay show nothing.
    refused = await eetu_phone.op({"op": "entry.react", "entry": entry, "reaction": "agree"})
    assert refused["code"] == "not_found"
    replay = await LiveClient.open(server, mid, eetu.cookies, since=0)
    await replay.next_of("snapshot")
    assert all(SECRET not in json.dumps(f) for f in replay.frames)
    async with server.http(cookies=eetu.cookies) as http:
        assert SECRET not in (await http.get(f"/api/meetings/{mid}")).text
    async with server.http(cookies=aino.cookies) as http:
        assert SECRET in (await http.get(f"/api/meetings/{mid}")).text

    approved = await aino_phone.ok({"op": "entry.approve", "entry": entry})
    for client in (chair, eetu_phone, replay, screen):
        seen = await client.event("entry.approved")
        assert seen["seq"] == approved["seq"] and seen["data"]["entry"]["text"] == SECRET
    for client in (chair, aino_phone, eetu_phone, replay, screen):
        await client.close()
