"""The glossary over a real server: its terms in a reader's language, where they are in a
meeting's texts (only for those let in to that meeting), and "I don't understand" over the live
socket: the chair learns how many, nobody learns who. On SQLite and on PostgreSQL with Redis."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import (
    LiveClient,
    RunningServer,
    chair_and_family_phone,
    join,
)


@pytest.fixture(scope="module")
def server(any_server: RunningServer) -> RunningServer:
    return any_server


async def _terms_in(server: RunningServer, meeting_id: str, cookies: dict, body: Any) -> Any:
    async with server.http(cookies=cookies) as http:
        return await http.post(f"/api/meetings/{meeting_id}/glossary", json=body)


async def test_the_terms_come_in_the_readers_language(server: RunningServer) -> None:
    async with server.http() as http:
        sv = (await http.get("/api/glossary", params={"lang": "sv"})).json()
        unknown = (await http.get("/api/glossary", params={"lang": "xx"})).json()
    assert sv["lang"] == "sv" and len(sv["terms"]) >= 150
    assert sv["terms"]["lastensuojeluilmoitus"]["term"] == "barnskyddsanmälan"
    assert set(sv["terms"]["lastensuojeluilmoitus"]) == {"term", "plain", "explain"}
    assert unknown["lang"] == "fi"


async def test_the_record_language_finds_inflected_terms_counted_as_the_browser_counts(
    server: RunningServer,
) -> None:
    meeting, _cookies, chair, aino, phone = await chair_and_family_phone(server)
    text = "🙂 Koulu teki lastensuojeluilmoituksen."
    answer = await _terms_in(server, meeting["id"], aino.cookies, {"texts": [text, "Hyvä."]})
    assert answer.status_code == 200
    first, second = answer.json()["found"]
    assert second == []
    [hit] = [f for f in first if f["key"] == "lastensuojeluilmoitus"]
    # The emoji is one character here and two UTF-16 units in the browser.
    utf16 = text.encode("utf-16-le")
    assert (
        utf16[hit["start"] * 2 : hit["end"] * 2].decode("utf-16-le") == "lastensuojeluilmoituksen"
    )
    for client in (chair, phone):
        await client.close()


async def test_only_those_let_in_may_ask_and_bad_bodies_are_refused(server: RunningServer) -> None:
    meeting, _cookies, chair, aino, phone = await chair_and_family_phone(server)
    mid = meeting["id"]
    body = {"texts": ["lastensuojeluilmoitus"]}
    assert (await _terms_in(server, mid, {}, body)).status_code == 403
    waiting = await join(server, meeting, "Pirjo", "mummo", family=True)
    assert (await _terms_in(server, mid, waiting.cookies, body)).status_code == 403
    # A credential of another meeting opens nothing here.
    _other, _, other_chair, other_aino, other_phone = await chair_and_family_phone(server)
    assert (await _terms_in(server, mid, other_aino.cookies, body)).status_code == 403
    for bad in (
        {"texts": ["x"] * 101},
        {"texts": ["x" * 4001]},
        {"texts": "lastensuojeluilmoitus"},
        {"texts": [1]},
        {"texts": [], "lang": "fi"},
    ):
        answer = await _terms_in(server, mid, aino.cookies, bad)
        assert answer.status_code == 422, bad
        assert answer.json()["error"]["code"] == "invalid"
    for client in (chair, phone, other_chair, other_phone):
        await client.close()


async def test_a_flood_is_refused_and_another_person_is_not_held_up(server: RunningServer) -> None:
    meeting, _cookies, chair, aino, phone = await chair_and_family_phone(server)
    mid = meeting["id"]
    body = {"texts": ["Hyvä."]}
    async with server.http(cookies=aino.cookies) as http:
        codes = [
            (await http.post(f"/api/meetings/{mid}/glossary", json=body)).status_code
            for _ in range(245)
        ]
    assert codes.count(200) == 240 and codes[-1] == 429
    eetu = await join(server, meeting, "Eetu", "nuori", family=True)
    await chair.ok({"op": "participant.admit", "participant": eetu.participant})
    assert (await _terms_in(server, mid, eetu.cookies, body)).status_code == 200
    for client in (chair, phone):
        await client.close()


async def test_i_dont_understand_reaches_the_chair_as_a_count_only(server: RunningServer) -> None:
    meeting, _cookies, chair, aino, phone = await chair_and_family_phone(server)
    added = await chair.ok(
        {"op": "entry.add", "phase": "core", "text": "Tehdään lastensuojeluilmoitus."}
    )
    entry = added["data"]["entry"]["id"]
    said = await phone.ok({"op": "entry.unclear", "entry": entry, "unclear": True})
    seen = await chair.event("entry.unclear")
    assert seen["seq"] == said["seq"]
    assert seen["data"] == {"entry": entry, "count": 1}
    assert aino.participant not in str(seen)
    # A reload: the phone learns its own mark again, the chair does not learn whose it is.
    again = await LiveClient.open(server, meeting["id"], aino.cookies)
    assert (await again.next_of("snapshot"))["state"]["unclear_mine"] == [entry]
    refused = await phone.op({"op": "entry.unclear", "entry": entry, "unclear": True})
    assert refused["type"] == "error" and refused["code"] == "invalid"
    for client in (chair, phone, again):
        await client.close()
