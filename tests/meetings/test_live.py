"""The live protocol through a real uvicorn server and real WebSocket clients."""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets

from tests.conftest import PASSWORD
from tests.helpers import (
    LiveClient,
    RunningServer,
    join,
    login,
    new_meeting,
    open_screen,
    screen_cookie,
)


@pytest.fixture(scope="module")
def server(any_server: RunningServer) -> RunningServer:
    """Every test here runs on SQLite + in-process fan-out and on PostgreSQL + Redis."""
    return any_server


async def _room(server: RunningServer, frame: str = "hypothesis"):
    """A meeting with its chair connected and two phones and a scribe admitted."""
    chair_cookies = await login(server, "kalle", PASSWORD)
    meeting = await new_meeting(server, chair_cookies, frame)
    chair = await LiveClient.open(server, meeting["id"], chair_cookies)
    await chair.next_of("snapshot")
    return meeting, chair_cookies, chair


async def _admitted(server, meeting, chair, name, role_label="", family=False, scribe=False):
    person = await join(server, meeting, name, role_label, family)
    client = await LiveClient.open(server, meeting["id"], person.cookies)
    assert client.you is not None and client.you["admitted"] is False
    await chair.ok({"op": "participant.admit", "participant": person.participant})
    await client.event("participant.admitted")
    await client.next_of("snapshot")
    if scribe:
        await chair.ok(
            {"op": "participant.role", "participant": person.participant, "role": "scribe"}
        )
        await client.event("participant.role_changed")
    return person, client


async def test_a_whole_meeting(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    mid = meeting["id"]
    _scribe_p, scribe = await _admitted(server, meeting, chair, "Heidi", "kirjaaja", scribe=True)
    aino_p, aino = await _admitted(server, meeting, chair, "Aino", "äiti", family=True)
    eetu_p, eetu = await _admitted(server, meeting, chair, "Eetu", "nuori, 14 v.", family=True)
    screen = await LiveClient.open(server, mid, await open_screen(server, meeting), screen=True)
    snap = await screen.next_of("snapshot")
    assert [p["key"] for p in snap["state"]["phases"]] == [
        "opening",
        "core",
        "hypotheses",
        "reflection",
        "solutions",
        "plan",
        "closing",
    ]
    everyone = [chair, scribe, aino, eetu]  # the screen: see tests/security/test_screen_reach.py

    await chair.ok({"op": "phase.goto", "index": 1})
    core = await scribe.ok(
        {
            "op": "entry.add",
            "phase": "core",
            "speaker": eetu_p.participant,
            "text": "Miten pääsisin aamuisin kouluun niin, ettei vatsa mene kipeäksi?",
        }
    )
    await chair.ok({"op": "phase.goto", "index": 2})
    hyp = await scribe.ok(
        {
            "op": "entry.add",
            "phase": "hypotheses",
            "speaker": "terveydenhoitaja",
            "text": "Voisiko kyse olla siitä, että unirytmi on siirtynyt myöhäiseksi?",
        }
    )
    hyp_id = hyp["data"]["entry"]["id"]
    assert hyp["data"]["entry"]["kind"] == "hypothesis"
    sol = await scribe.ok(
        {
            "op": "entry.add",
            "phase": "solutions",
            "answers": hyp_id,
            "text": "Kokeillaan matematiikassa pysyvää paria.",
        }
    )
    assert sol["data"]["entry"]["answers"] == hyp_id
    plan = await scribe.ok(
        {
            "op": "entry.add",
            "phase": "plan",
            "owner": "Laura",
            "due": "2026-12-04",
            "text": "Sovitaan matematiikan opettajan kanssa pysyvästä parista.",
        }
    )
    assert (
        plan["data"]["entry"]["owner"] == "Laura" and plan["data"]["entry"]["due"] == "2026-12-04"
    )
    await aino.ok({"op": "hand.raise"})
    await aino.ok({"op": "entry.react", "entry": core["data"]["entry"]["id"], "reaction": "agree"})
    await chair.ok({"op": "timer.start", "seconds": 600})
    closed = await chair.ok({"op": "meeting.close"})
    # The close ends every live view but the professionals' (who may still correct the record).
    for client in (scribe, aino, eetu):
        assert await client.closed() == 4001
    async with server.http(cookies=eetu_p.cookies) as http:
        answer = await http.post(
            f"/api/meetings/{mid}/feedback",
            json={"id": "fb-1", "heard": 5, "next": 4, "together": 5},
        )
    assert answer.status_code == 200 and answer.json() == {"count": 1}
    feedback = await chair.event("feedback.received")
    assert feedback["data"] == {"count": 1}  # how many answered, never what

    # Everyone saw the same events in the same gapless order, up to the close.
    last = closed["seq"]
    for client in everyone:
        await client.until_seq(last)
    orders = []
    for client in everyone:
        start = next(f["seq"] for f in client.frames if f.get("type") == "snapshot")
        seqs = [f["seq"] for f in client.events() if last >= f["seq"] > start]
        assert seqs == list(range(start + 1, last + 1)), (client.you, seqs)
        orders.append([(f["seq"], f["name"]) for f in client.events() if last >= f["seq"] > start])
    tail = min(len(o) for o in orders)
    assert len({tuple(o[-tail:]) for o in orders}) == 1

    async with server.http(cookies=aino_p.cookies) as http:
        answer = await http.get(f"/api/meetings/{mid}")
    assert answer.status_code == 200 and answer.json()["seq"] == feedback["seq"]
    state = answer.json()["state"]
    assert state["meeting"]["status"] == "closed"
    assert [e["phase"] for e in state["entries"]] == ["core", "hypotheses", "solutions", "plan"]
    assert state["feedback_count"] == 1
    assert answer.headers["cache-control"] == "no-store"
    # The screen follows the room as the projector shows it, and is left the closed state only.
    ended = await screen.wait_for(
        lambda f: f.get("type") == "snapshot" and f["state"]["meeting"]["status"] == "closed"
    )
    assert ended["seq"] >= closed["seq"] and ended["state"]["entries"] == []
    for client in [*everyone, screen]:
        await client.close()


async def test_lobby_sees_nothing(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    _scribe_p, scribe = await _admitted(server, meeting, chair, "Heidi", scribe=True)
    await scribe.ok({"op": "entry.add", "phase": "opening", "text": "Salainen kirjaus"})
    waiting = await join(server, meeting, "Pirjo", "mummo", family=True)
    lobby = await LiveClient.open(server, meeting["id"], waiting.cookies)
    assert lobby.you["admitted"] is False
    welcome = lobby.frames[0]
    assert welcome["type"] == "welcome" and welcome["seq"] == 0

    # The room goes on; the lobby hears nothing of it, and cannot act or read.
    await scribe.ok({"op": "entry.add", "phase": "opening", "text": "Toinen kirjaus"})
    await scribe.send({"op": "draft", "phase": "opening", "text": "kirjoitan"})
    denied = await lobby.op({"op": "hand.raise"})
    assert denied["type"] == "error" and denied["code"] == "forbidden"
    async with server.http(cookies=waiting.cookies) as http:
        assert (await http.get(f"/api/meetings/{meeting['id']}")).status_code == 403

    await chair.ok({"op": "participant.admit", "participant": waiting.participant})
    admitted = await lobby.event("participant.admitted")
    snapshot = await lobby.next_of("snapshot")
    before = lobby.frames[: lobby.frames.index(admitted)]
    assert [f["type"] for f in before] == ["welcome", "error"]
    assert "Salainen kirjaus" not in json.dumps(before)
    assert [e["text"] for e in snapshot["state"]["entries"]] == [
        "Salainen kirjaus",
        "Toinen kirjaus",
    ]
    for client in (chair, scribe, lobby):
        await client.close()


async def test_declined_knock_is_cut_and_cannot_return(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    stranger = await join(server, meeting, "Outo")
    lobby = await LiveClient.open(server, meeting["id"], stranger.cookies)
    await chair.ok({"op": "participant.remove", "participant": stranger.participant})
    assert await lobby.closed() == 4003
    with pytest.raises(websockets.InvalidStatus):
        await LiveClient.open(server, meeting["id"], stranger.cookies)
    await chair.close()


async def test_participant_cannot_write_or_move_the_frame(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    _p, phone = await _admitted(server, meeting, chair, "Aino", "äiti", family=True)
    for op in (
        {"op": "entry.add", "phase": "opening", "text": "Minäkin kirjaan"},
        {"op": "phase.goto", "index": 3},
        {"op": "meeting.close"},
        {"op": "participant.role", "participant": _p.participant, "role": "scribe"},
        {"op": "timer.start", "seconds": 60},
    ):
        outcome = await phone.op(op)
        assert outcome["type"] == "error" and outcome["code"] == "forbidden", (op, outcome)
    async with server.http(cookies=_p.cookies) as http:
        state = (await http.get(f"/api/meetings/{meeting['id']}")).json()
    assert state["state"]["entries"] == [] and state["state"]["current_phase"] == 0
    for client in (chair, phone):
        await client.close()


async def test_resume_after_a_dropped_connection(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    _scribe_p, scribe = await _admitted(server, meeting, chair, "Heidi", scribe=True)
    phone_p, phone = await _admitted(server, meeting, chair, "Aino")
    await scribe.ok({"op": "entry.add", "phase": "opening", "text": "Ennen katkosta"})
    await phone.event("entry.added")
    seen = phone.seq
    await phone.close()
    for n in range(3):
        await scribe.ok({"op": "entry.add", "phase": "opening", "text": f"Katkon aikana {n}"})
    back = await LiveClient.open(server, meeting["id"], phone_p.cookies, since=seen)
    last = scribe.seq
    await back.until_seq(last)
    missed = [f for f in back.frames if f.get("type") in ("event", "snapshot")]
    assert [f["seq"] for f in missed] == list(range(seen + 1, last + 1))
    assert [f["data"]["entry"]["text"] for f in missed if f["name"] == "entry.added"] == [
        "Katkon aikana 0",
        "Katkon aikana 1",
        "Katkon aikana 2",
    ]
    # Live again: the next entry arrives as usual, once.
    await scribe.ok({"op": "entry.add", "phase": "opening", "text": "Jälkeen"})
    await back.until_seq(last + 1)
    for client in (chair, scribe, back):
        await client.close()


async def test_resend_of_the_same_op_id_is_applied_once(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    _s, scribe = await _admitted(server, meeting, chair, "Heidi", scribe=True)
    op = {"op": "entry.add", "id": "op-resend-1", "phase": "opening", "text": "Kerran vain"}
    first = await scribe.op(op)
    await scribe.close()
    again = await LiveClient.open(server, meeting["id"], _s.cookies, since=first["seq"])
    second = await again.op(op)
    assert second["type"] == "event" and second["seq"] == first["seq"]
    assert second["data"] == first["data"]
    async with server.http(cookies=_s.cookies) as http:
        entries = (await http.get(f"/api/meetings/{meeting['id']}")).json()["state"]["entries"]
    assert [e["text"] for e in entries] == ["Kerran vain"]
    # Somebody else's op id is not theirs to replay.
    await chair.send(op)
    stolen = await chair.next_of("error")
    assert stolen["id"] == "op-resend-1" and stolen["code"] == "invalid"
    for client in (chair, again):
        await client.close()


async def test_a_resend_the_rules_would_now_refuse_gets_its_first_outcome(
    server: RunningServer,
) -> None:
    """An edit sent twice (its answer lost): the second time its version is stale, yet the
    sender hears the edit's own event, not a conflict, and nothing is written twice."""
    meeting, _cookies, chair = await _room(server)
    _s, scribe = await _admitted(server, meeting, chair, "Heidi", scribe=True)
    added = await scribe.ok({"op": "entry.add", "phase": "opening", "text": "Alkuperäinen"})
    entry_id = added["data"]["entry"]["id"]
    edit = {"op": "entry.edit", "id": "op-edit-twice", "entry": entry_id, "version": 1}
    first = await scribe.op({**edit, "text": "Korjattu"})
    assert first["type"] == "event" and first["data"]["entry"]["version"] == 2
    second = await scribe.op({**edit, "text": "Korjattu"})
    assert second["type"] == "event" and second["seq"] == first["seq"]
    # A fresh op after it takes the next seq: the resend left no gap behind it.
    after = await scribe.ok({"op": "entry.add", "phase": "opening", "text": "Seuraava"})
    assert after["seq"] == first["seq"] + 1
    for client in (chair, scribe):
        await client.close()


async def test_a_stale_edit_is_a_conflict(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    _s, scribe = await _admitted(server, meeting, chair, "Heidi", scribe=True)
    added = await scribe.ok({"op": "entry.add", "phase": "opening", "text": "Alkuperäinen"})
    entry_id = added["data"]["entry"]["id"]
    edited = await chair.ok(
        {"op": "entry.edit", "entry": entry_id, "version": 1, "text": "Puheenjohtajan korjaus"}
    )
    assert edited["data"]["entry"]["version"] == 2
    stale = await scribe.op(
        {"op": "entry.edit", "entry": entry_id, "version": 1, "text": "Kirjaajan korjaus"}
    )
    assert stale["type"] == "error" and stale["code"] == "conflict"
    assert stale["entry"]["text"] == "Puheenjohtajan korjaus" and stale["entry"]["version"] == 2
    fresh = await scribe.ok(
        {"op": "entry.edit", "entry": entry_id, "version": 2, "text": "Yhdessä sovittu"}
    )
    assert fresh["data"]["entry"]["version"] == 3
    for client in (chair, scribe):
        await client.close()


async def test_malformed_and_oversized_frames(server: RunningServer) -> None:
    _meeting, _cookies, chair = await _room(server)
    head = chair.seq
    for raw in ("{not json", json.dumps({"op": "nonsense", "id": "x1"}), json.dumps([1, 2])):
        await chair.ws.send(raw)
        error = await chair.next_of("error")
        assert error["code"] == "invalid"
    await chair.ws.send(json.dumps({"op": "phase.goto", "id": "x2", "index": 1, "extra": True}))
    assert (await chair.next_of("error"))["code"] == "invalid"
    await chair.ws.send(b"\x00\x01binary")
    assert (await chair.next_of("error"))["code"] == "invalid"
    big = json.dumps({"op": "entry.add", "id": "x3", "phase": "opening", "text": "a" * 70_000})
    await chair.ws.send(big)
    assert (await chair.next_of("error"))["code"] == "too_large"
    # The connection is still healthy, and nothing was sequenced.
    done = await chair.ok({"op": "entry.add", "phase": "opening", "text": "Toimii yhä"})
    assert done["seq"] == head + 1
    await chair.close()


async def test_repeated_garbage_closes_the_socket(server: RunningServer) -> None:
    _meeting, _cookies, chair = await _room(server)
    for _ in range(10):
        await chair.ws.send("garbage")
    assert await chair.closed() == 1008


async def test_foreign_origin_and_no_credential_are_refused(server: RunningServer) -> None:
    meeting, cookies, chair = await _room(server)
    for origin in ("http://evil.example", "http://127.0.0.1.evil.example", "null"):
        with pytest.raises(websockets.InvalidStatus) as refused:
            await LiveClient.open(server, meeting["id"], cookies, origin=origin)
        assert refused.value.response.status_code == 403
    with pytest.raises(websockets.InvalidStatus):
        await LiveClient.open(server, meeting["id"], {})
    with pytest.raises(websockets.InvalidStatus):
        forged = {screen_cookie(meeting["id"]): "not-the-screen-token"}
        await LiveClient.open(server, meeting["id"], forged, screen=True)
    # Another professional is not the chair of someone else's meeting.
    other = await login(server, "jari", PASSWORD)
    with pytest.raises(websockets.InvalidStatus):
        await LiveClient.open(server, meeting["id"], other)
    await chair.close()


async def test_drafts_reach_the_room_and_are_not_stored(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    _s, scribe = await _admitted(server, meeting, chair, "Heidi", scribe=True)
    _p, phone = await _admitted(server, meeting, chair, "Aino")
    async with server.http(cookies=_p.cookies) as http:
        head = (await http.get(f"/api/meetings/{meeting['id']}")).json()["seq"]
    for text in ("V", "Vo", "Voisiko kyse olla"):
        await scribe.send({"op": "draft", "phase": "opening", "text": text})
    # Throttled, latest wins: the phone eventually sees the whole text.
    draft = await phone.wait_for(
        lambda f: f.get("type") == "draft" and f["text"] == "Voisiko kyse olla"
    )
    assert draft["actor"] == _s.participant and draft["phase"] == "opening"
    await phone.send({"op": "draft", "phase": "opening", "text": "minä"})
    assert (await phone.next_of("error"))["code"] == "forbidden"
    async with server.http(cookies=_p.cookies) as http:
        assert (await http.get(f"/api/meetings/{meeting['id']}")).json()["seq"] == head
    for client in (chair, scribe, phone):
        await client.close()


async def test_sockets_and_subscriptions_are_released(server: RunningServer) -> None:
    hub = server.app.state.hub
    fanout = server.app.state.fanout
    meeting, _cookies, chair = await _room(server)
    _p, phone = await _admitted(server, meeting, chair, "Aino")
    channel = f"avoin:meeting:{meeting['id']}"
    assert fanout.subscriber_count(channel) == 1  # one subscription per meeting per process
    await phone.close()
    await chair.close()
    for _ in range(200):
        if fanout.subscriber_count(channel) == 0:
            break
        await asyncio.sleep(0.01)
    assert fanout.subscriber_count(channel) == 0
    assert meeting["id"] not in {c.meeting_id for r in hub._rooms.values() for c in r.connections}


async def test_a_ping_is_answered_with_a_pong_and_changes_nothing(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    _aino, phone = await _admitted(server, meeting, chair, "Aino", "äiti", family=True)
    seq = phone.seq
    for _ in range(3):  # pings in a burst: at most one pong a second, and no error
        await phone.send({"op": "ping"})
    await phone.next_of("pong")
    hand = await phone.ok({"op": "hand.raise"})
    assert hand["seq"] == seq + 1  # the pings were neither stored nor sequenced
    assert not [f for f in phone.frames if f.get("type") == "error"]
    assert len([f for f in phone.frames if f.get("type") == "pong"]) < 3
    # A ping is the bare op: anything else on it is refused like any malformed frame.
    await phone.send({"op": "ping", "text": "x"})
    assert (await phone.next_of("error"))["code"] == "invalid"
    for client in (phone, chair):
        await client.close()


async def test_a_correction_request_from_a_phone_survives_its_network_dropping(
    server: RunningServer,
) -> None:
    meeting, _cookies, chair = await _room(server)
    _s, scribe = await _admitted(server, meeting, chair, "Heidi", scribe=True)
    aino_p, aino = await _admitted(server, meeting, chair, "Aino", "äiti", family=True)
    added = await scribe.ok({"op": "entry.add", "phase": "opening", "text": "Aamut ovat vaikeita"})
    entry_id = added["data"]["entry"]["id"]
    request = {
        "op": "entry.request",
        "id": "req-aino-1",
        "entry": entry_id,
        "wording": "Aamut ovat joskus vaikeita",
        "note": "Sanoin 'joskus'",
    }
    await aino.send(request)
    since = aino.seq
    await aino.ws.close()  # the phone's network goes before it hears the answer
    # The scribe and the chair see the request at once, beside the entry.
    for desk in (scribe, chair):
        heard = await desk.event("entry.requested")
        assert heard["data"]["request"] == "req-aino-1"
        assert heard["data"]["entry"]["requests"][0]["status"] == "open"
    # Back online, the phone sends it again (it was never acknowledged): it is there once.
    back = await LiveClient.open(server, meeting["id"], aino_p.cookies, since=since)
    again = await back.op(request)
    assert again["type"] == "event" and again["seq"] == heard["seq"]
    await scribe.ok(
        {"op": "request.resolve", "entry": entry_id, "request": "req-aino-1", "outcome": "accept"}
    )
    # The requester sees what became of it.
    resolved = await back.event("request.resolved")
    entry = resolved["data"]["entry"]
    assert entry["text"] == "Aamut ovat joskus vaikeita"
    assert [(r["id"], r["status"]) for r in entry["requests"]] == [("req-aino-1", "accepted")]
    for client in (chair, scribe, back):
        await client.close()
