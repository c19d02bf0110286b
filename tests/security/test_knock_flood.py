"""A flood of lobby knocks from one address (the code was said aloud, it is on the screen) must
not keep anyone else out, and a workshop of sixty behind one Wi-Fi address still gets in."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from tests.conftest import PASSWORD, server_on
from tests.helpers import LiveClient, RunningServer, login, new_meeting
from tests.security.addresses import client, knock, new_address

FLOOD = 200  # the meeting's cap is 200 people: one address alone must not reach it
WORKSHOP = 60


async def test_a_flood_from_one_address_does_not_keep_the_family_out(
    any_server: RunningServer,
) -> None:
    meeting = await new_meeting(any_server, await login(any_server, "kalle", PASSWORD))
    flooder = new_address()
    async with client(any_server) as http:
        statuses = [
            (await knock(http, meeting, flooder, f"Tulva {n}")).status_code for n in range(FLOOD)
        ]
        mother = await knock(http, meeting, new_address(), "Äiti")
        father = await knock(http, meeting, new_address(), "Isä")
    assert mother.status_code == 200, mother.text
    assert father.status_code == 200, father.text
    # The flooder got its burst, then was slowed down; never an error but `rate_limited`.
    assert set(statuses) == {200, 429}
    assert 60 <= statuses.count(200) < FLOOD - 100


async def test_a_workshop_of_sixty_behind_one_address_gets_in(any_server: RunningServer) -> None:
    meeting = await new_meeting(any_server, await login(any_server, "kalle", PASSWORD))
    wifi = new_address()
    async with client(any_server) as http:
        # All at once, as a room full of phones does when the code goes on the screen.
        answers = await asyncio.gather(
            *(knock(http, meeting, wifi, f"Osallistuja {n}") for n in range(WORKSHOP))
        )
    assert [a.status_code for a in answers] == [200] * WORKSHOP


@pytest.fixture(scope="module", params=["sqlite+memory", "postgresql+redis"])
def small_lobby(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """A server where one address may have three knocks waiting and knocks refill fast."""
    settings = {"knock_burst": 10, "knocks_per_minute": 6000, "knocks_waiting": 3}
    with server_on(request.param, tmp_path_factory, **settings) as running:
        yield running


async def test_one_address_has_a_few_knocks_waiting_at_most(small_lobby: RunningServer) -> None:
    cookies = await login(small_lobby, "kalle", PASSWORD)
    meeting = await new_meeting(small_lobby, cookies)
    chair = await LiveClient.open(small_lobby, meeting["id"], cookies)
    await chair.next_of("snapshot")
    flooder = new_address()
    async with client(small_lobby) as http:
        waiting = [await knock(http, meeting, flooder, f"Tulva {n}") for n in range(3)]
        assert [a.status_code for a in waiting] == [200] * 3
        refused = await knock(http, meeting, flooder, "Tulva 3")
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "rate_limited"
        # Someone else still knocks; and once the chair lets one in, the address may knock again.
        assert (await knock(http, meeting, new_address(), "Äiti")).status_code == 200
        first = waiting[0].json()["participant"]["id"]
        await chair.ok({"op": "participant.admit", "participant": first})
        assert (await knock(http, meeting, flooder, "Tulva 4")).status_code == 200
        assert (await knock(http, meeting, flooder, "Tulva 5")).status_code == 429
        # Turned away counts as no longer waiting, too.
        second = waiting[1].json()["participant"]["id"]
        await chair.ok({"op": "participant.remove", "participant": second})
        assert (await knock(http, meeting, flooder, "Tulva 6")).status_code == 200
    await chair.close()
