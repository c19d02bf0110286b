"""Guessing join codes: every door that takes a code checks the address's budget before it
looks the code up, and a stopped address gets the same answer whatever code it sends."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

from tests.conftest import PASSWORD
from tests.helpers import RunningServer, login, new_meeting
from tests.security.addresses import at, client, knock, new_address

BUDGET = 30  # wrong codes an address may send a minute (AVOIN_FAILURES_PER_MINUTE's default)
WRONG = "00000000"

Door = Callable[[httpx.AsyncClient, dict, str, str], Awaitable[httpx.Response]]


async def code_page(http: httpx.AsyncClient, meeting: dict, code: str, addr: str):
    return await http.get(f"/join/{code}", headers=at(addr))


async def code_form(http: httpx.AsyncClient, meeting: dict, code: str, addr: str):
    return await http.post("/join", data={"code": code}, headers=at(addr))


async def join_form(http: httpx.AsyncClient, meeting: dict, code: str, addr: str):
    return await http.post(f"/join/{code}", data={"name": "Arvaaja"}, headers=at(addr))


async def json_knock(http: httpx.AsyncClient, meeting: dict, code: str, addr: str):
    return await knock(http, meeting, addr, "Arvaaja", code)


DOORS: list[Door] = [join_form, code_page, code_form, json_knock]


async def test_each_door_counts_wrong_codes_and_a_stopped_address_learns_nothing(
    any_server: RunningServer,
) -> None:
    meeting = await new_meeting(any_server, await login(any_server, "kalle", PASSWORD))
    right = meeting["join_code"]
    async with client(any_server) as http:
        for door in DOORS:
            guesser = new_address()
            # Wrong codes through this one door alone spend the address's budget.
            for _ in range(BUDGET):
                answer = await door(http, meeting, WRONG, guesser)
                assert answer.status_code == 404, (door.__name__, answer.status_code)
            answers = {}
            for code in (right, WRONG, "12345678"):
                answers[code] = await door(http, meeting, code, guesser)
            statuses = {code: a.status_code for code, a in answers.items()}
            assert set(statuses.values()) == {429}, (door.__name__, statuses)
            bodies = {a.text for a in answers.values()}
            assert len(bodies) == 1, (door.__name__, "the answer depends on the code")
            assert right not in answers[right].text
            # Another address is not stopped by this one's guessing.
            other = await door(http, meeting, right, new_address())
            assert other.status_code in (200, 303), (door.__name__, other.status_code)


async def test_the_guessing_budget_is_one_for_all_doors(any_server: RunningServer) -> None:
    """Guesses spread over the doors add up: a guesser cannot get each door's budget."""
    meeting = await new_meeting(any_server, await login(any_server, "kalle", PASSWORD))
    guesser = new_address()
    async with client(any_server) as http:
        for n in range(BUDGET):
            door = DOORS[n % len(DOORS)]
            assert (await door(http, meeting, WRONG, guesser)).status_code == 404
        for door in DOORS:
            answer = await door(http, meeting, meeting["join_code"], guesser)
            assert answer.status_code == 429, door.__name__
