"""Nobody stops the live meetings from outside: a flood of anonymous page views and wrong logins
leaves every op of a scribe acknowledged within its deadline and answers no page with a 5xx. And
the login's answer takes as long for an unknown username as for a known one."""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid

import httpx

from tests.conftest import PASSWORD
from tests.helpers import RunningServer
from tests.meetings.test_live import _admitted, _room
from tests.security.addresses import at, new_address

PAGES, WRONG_LOGINS, ENTRIES = 200, 60, 20
# The logins here are timed and flooded: the users get the app's own password hash.
STRONG_PASSWORDS = True


async def flood(server: RunningServer) -> list[int]:
    """200 anonymous page views and 60 wrong logins at once; their statuses."""
    limits = httpx.Limits(max_connections=PAGES + WRONG_LOGINS, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=server.base, timeout=60, limits=limits) as http:
        pages = [http.get("/", headers=at(new_address())) for _ in range(PAGES)]
        logins = [
            http.post(
                "/api/session",
                json={"username": "kalle", "password": f"väärin-{n}"},
                headers=at(new_address()),
            )
            for n in range(WRONG_LOGINS)
        ]
        answers = await asyncio.gather(*pages, *logins)
    return [answer.status_code for answer in answers]


async def test_a_flood_of_pages_and_wrong_logins_does_not_stop_a_meeting(
    any_server: RunningServer,
) -> None:
    assert any_server.app is not None
    deadline = any_server.app.state.settings.op_deadline_seconds
    meeting, _cookies, chair = await _room(any_server)
    _person, scribe = await _admitted(any_server, meeting, chair, "Heidi", scribe=True)

    async def write() -> list[float]:
        took = []
        for n in range(ENTRIES):
            started = time.monotonic()
            answer = await scribe.op(
                {"op": "entry.add", "phase": "opening", "text": f"Merkintä {n}"},
                timeout=deadline + 5,
            )
            took.append(time.monotonic() - started)
            assert answer["type"] == "event", answer  # acknowledged, never `unavailable`
        return took

    statuses, took = await asyncio.gather(flood(any_server), write())
    assert not [s for s in statuses if s >= 500], sorted(statuses)
    assert statuses[:PAGES] == [200] * PAGES
    assert set(statuses[PAGES:]) <= {403, 429}
    assert max(took) < deadline, f"an op took {max(took):.1f} s (deadline {deadline} s)"
    await scribe.close()
    await chair.close()


async def test_an_unknown_username_is_answered_as_slowly_as_a_known_one(
    server: RunningServer,
) -> None:
    """The same argon2 work either way: the time of the answer does not tell who has an account."""

    async def login_time(http: httpx.AsyncClient, username: str) -> float:
        started = time.monotonic()
        answer = await http.post(
            "/api/session",
            json={"username": username, "password": "ei-tämä"},
            headers=at(new_address()),
        )
        assert answer.status_code == 403
        return time.monotonic() - started

    # Taken in turns, so that a busy moment of the machine falls on both alike.
    stranger = f"ei-ketään-{uuid.uuid4().hex[:6]}"
    times: dict[str, list[float]] = {"jari": [], stranger: []}
    async with httpx.AsyncClient(base_url=server.base, timeout=30) as http:
        for _ in range(5):
            for username, taken in times.items():
                taken.append(await login_time(http, username))
    known, unknown = statistics.median(times["jari"]), statistics.median(times[stranger])
    assert unknown > 0.5 * known, f"unknown {unknown * 1000:.0f} ms, known {known * 1000:.0f} ms"
    async with httpx.AsyncClient(base_url=server.base, timeout=30) as http:
        ok = await http.post("/api/session", json={"username": "kalle", "password": PASSWORD})
        assert ok.status_code == 200  # the failures were per address and per username only
