"""Hostile input at the edges: duplicate keys, per-role rate limits, sockets per credential,
guessing join codes and passwords."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import websockets

from tests.conftest import PASSWORD, start_server, stop_server
from tests.helpers import LiveClient, RunningServer, login, new_meeting
from tests.meetings.test_live import _admitted, _room


async def test_a_frame_with_a_key_twice_is_refused(server: RunningServer) -> None:
    _meeting, _cookies, chair = await _room(server)
    head = chair.seq
    await chair.ws.send('{"op": "phase.goto", "id": "d1", "index": 1, "index": 2}')
    error = await chair.next_of("error")
    assert error["code"] == "invalid" and error["id"] == "d1"
    ok = await chair.ok({"op": "phase.goto", "index": 3})
    assert ok["seq"] == head + 1 and ok["data"]["index"] == 3
    await chair.close()


async def test_a_phone_has_a_smaller_allowance_than_the_scribe(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    _p, phone = await _admitted(server, meeting, chair, "Aino")
    # A burst far over a phone's allowance: some are refused with rate_limited, none is lost
    # silently (each op gets an event or an error).
    ids = []
    for i in range(40):
        ids.append(await phone.send({"op": "hand.raise" if i % 2 == 0 else "hand.lower"}))
    wanted = set(ids)

    def outcome_of_all(_frame: dict) -> bool:
        seen = {f.get("id") for f in phone.frames if f.get("type") in ("event", "error")}
        return wanted <= seen

    await phone.wait_for(outcome_of_all)
    by_id = {
        f["id"]: f
        for f in phone.frames
        if f.get("type") in ("event", "error") and f.get("id") in wanted
    }
    outcomes = [by_id[i] for i in ids]
    codes = [o.get("code") for o in outcomes if o["type"] == "error"]
    assert "rate_limited" in codes
    assert len(outcomes) == 40
    for client in (chair, phone):
        await client.close()


async def test_one_credential_opens_at_most_five_sockets(server: RunningServer) -> None:
    meeting, cookies, chair = await _room(server)
    more = [await LiveClient.open(server, meeting["id"], cookies) for _ in range(4)]
    with pytest.raises(websockets.InvalidStatus):
        await LiveClient.open(server, meeting["id"], cookies)
    await more[0].close()
    await more[0].ws.wait_closed()
    # Once one goes, another may come (the count is of open sockets, not a ban).
    for _ in range(200):
        try:
            again = await LiveClient.open(server, meeting["id"], cookies)
            break
        except websockets.InvalidStatus:
            await __import__("asyncio").sleep(0.01)
    else:
        raise AssertionError("the freed socket was never counted out")
    for client in (chair, again, *more[1:]):
        await client.close()


@pytest.fixture
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server with small guessing allowances."""
    running, uv = start_server(
        tmp_path_factory.mktemp("strict"), failures_per_minute=3, knock_burst=4
    )
    yield running
    stop_server(uv)


async def test_guessing_codes_is_stopped_per_address(strict: RunningServer) -> None:
    async with strict.http() as http:
        for _ in range(3):
            assert (await http.post("/join", data={"code": "00000000"})).status_code == 404
        stopped = await http.post("/join", data={"code": "00000000"})
        assert stopped.status_code == 429
        assert (await http.get("/join/00000001")).status_code == 429


async def test_an_address_takes_a_bounded_number_of_knocks(strict: RunningServer) -> None:
    cookies = await login(strict, "jari", PASSWORD)
    meeting = await new_meeting(strict, cookies)
    async with strict.http() as http:
        body = {"join_code": meeting["join_code"], "name": "Joku"}
        answers = [
            await http.post(f"/api/meetings/{meeting['id']}/join", json=body) for _ in range(6)
        ]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429, 429]
    assert answers[-1].json()["error"]["code"] == "rate_limited"


async def test_guessing_passwords_is_stopped(strict: RunningServer) -> None:
    async with strict.http() as http:
        for _ in range(3):
            wrong = await http.post(
                "/api/session", json={"username": "kalle", "password": "arvaus-123"}
            )
            assert wrong.status_code == 403
        right = await http.post("/api/session", json={"username": "kalle", "password": PASSWORD})
    assert right.status_code == 429  # even the right one waits: the address is spent
    assert json.loads(right.text)["error"]["code"] == "rate_limited"
