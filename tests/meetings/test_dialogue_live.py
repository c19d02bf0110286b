"""The dialogue tools over real sockets: a round, silent writing that stays hidden until the
reveal, and the family's agreement to the plan."""

from __future__ import annotations

import json

from tests.helpers import LiveClient, RunningServer
from tests.meetings.test_live import _admitted, _room


async def test_silent_thoughts_stay_with_their_writers_until_the_reveal(
    server: RunningServer,
) -> None:
    meeting, _cookies, chair = await _room(server)
    aino_p, aino = await _admitted(server, meeting, chair, "Aino", "äiti", family=True)
    eetu_p, eetu = await _admitted(server, meeting, chair, "Eetu", "nuori", family=True)
    await chair.ok({"op": "silent.open", "phase": "hypotheses"})
    secret = "Voisiko kyse olla siitä, että äiti on väsynyt?"
    written = await aino.ok({"op": "silent.write", "text": secret})
    assert written["data"] == {"phase": "hypotheses", "count": 1} and written["actor"] is None
    mine = await aino.seen("silent.mine")
    assert mine["item"]["text"] == secret
    seen = await eetu.event("silent.written")
    assert seen["data"]["count"] == 1 and seen["actor"] is None
    await eetu.ok({"op": "silent.write", "text": "Ryhmätyöt jännittävät."})
    assert secret not in json.dumps(eetu.frames) and secret not in json.dumps(chair.frames)

    # After a reconnect each still sees only their own thought.
    await eetu.close()
    eetu = await LiveClient.open(server, meeting["id"], eetu_p.cookies)
    silent = (await eetu.next_of("snapshot"))["state"]["silent"]
    assert silent["count"] == 2 and [i["text"] for i in silent["mine"]] == [
        "Ryhmätyöt jännittävät."
    ]
    async with server.http(cookies=aino_p.cookies) as http:
        state = (await http.get(f"/api/meetings/{meeting['id']}")).json()["state"]
    assert [i["text"] for i in state["silent"]["mine"]] == [secret]

    revealed = await chair.ok({"op": "silent.reveal"})
    entries = revealed["data"]["entries"]
    assert [(e["speaker"], e["text"]) for e in entries] == [
        (aino_p.participant, secret),
        (eetu_p.participant, "Ryhmätyöt jännittävät."),
    ]
    await eetu.until_seq(revealed["seq"])
    for client in (chair, aino, eetu):
        await client.close()


async def test_a_round_over_the_sockets(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    aino_p, aino = await _admitted(server, meeting, chair, "Aino", "äiti", family=True)
    eetu_p, eetu = await _admitted(server, meeting, chair, "Eetu", "nuori", family=True)
    order = [eetu_p.participant, aino_p.participant]
    started = await chair.ok({"op": "round.start", "phase": "hypotheses", "order": order})
    assert started["data"]["speaker"] == eetu_p.participant
    seen = await aino.event("round.started")
    assert seen["data"]["next"] == aino_p.participant
    denied = await aino.op({"op": "round.pass"})
    assert denied["type"] == "error" and denied["code"] == "forbidden"
    passed = await eetu.ok({"op": "round.pass"})
    assert passed["name"] == "round.advanced" and passed["data"]["speaker"] == aino_p.participant
    ended = await chair.ok({"op": "round.next"})
    assert ended["name"] == "round.ended" and ended["data"]["passed"] == [eetu_p.participant]
    for client in (chair, aino, eetu):
        await client.close()


async def test_only_the_family_agrees_to_the_plan(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    _s, scribe = await _admitted(server, meeting, chair, "Heidi", scribe=True)
    _a, aino = await _admitted(server, meeting, chair, "Aino", "äiti", family=True)
    _t, teacher = await _admitted(server, meeting, chair, "Laura", "opettaja")
    step = await scribe.ok(
        {"op": "entry.add", "phase": "plan", "text": "Pysyvä pari", "owner": "Laura"}
    )
    entry = step["data"]["entry"]["id"]
    denied = await teacher.op({"op": "plan.agree", "entry": entry, "agreement": "agree"})
    assert denied["type"] == "error" and denied["code"] == "forbidden"
    dispute = {"op": "plan.agree", "entry": entry, "agreement": "dispute", "comment": "Ei vielä"}
    agreed = await aino.ok(dispute)
    assert agreed["data"]["agreement"] == "dispute"
    async with server.http(cookies=_a.cookies) as http:
        entries = (await http.get(f"/api/meetings/{meeting['id']}")).json()["state"]["entries"]
    assert entries[0]["agreements"][_a.participant] == {
        "agreement": "dispute",
        "comment": "Ei vielä",
    }
    for client in (chair, scribe, aino, teacher):
        await client.close()
