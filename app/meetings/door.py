"""The one guard of every door that takes a join code: the code page, the join form and its
post, the JSON knock, and any later one.

It checks before it looks: an address that has spent its guessing budget is answered
`rate_limited` before the code is looked up, so that a right code and a wrong one get the same
answer (no oracle); a knock spends one of its address's knocks before the look-up too. Only
then is the code looked up, and a wrong one counts against the address.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from app.auth import session_token
from app.errors import AppError
from app.meetings.domain import MeetingState
from app.meetings.repository import code_digits
from app.ratelimit import Knocks


def client_address(request: Request) -> str:
    """The caller's address (uvicorn puts the proxy's X-Forwarded-For here when trusted)."""
    return request.client.host if request.client else "?"


def address_key(request: Request) -> str:
    return f"ip:{client_address(request)}"


@dataclass(frozen=True)
class Door:
    """A request at a door that takes a join code, past the guard."""

    request: Request
    knocks: Knocks
    key: str  # the address and the code's digits: each address knocks with its own allowance

    def _check_lobby(self, state: MeetingState) -> None:
        def waiting(participant_id: str) -> bool:
            person = state.participants.get(participant_id)
            return person is not None and not person.admitted and not person.removed

        self.knocks.lobby_check(self.key, waiting)

    async def join(
        self, meeting_id: str, code: str, name: str, role_label: str, family: bool
    ) -> tuple[dict[str, Any], str]:
        """Knock on the meeting's lobby: the new participant and their cookie value."""
        person, token = await self.request.app.state.service.join(
            meeting_id,
            code,
            name,
            role_label,
            family,
            self._check_lobby,
            session_token(self.request),
        )
        self.knocks.knocked(self.key, person["id"])
        return person, token


@contextmanager
def code_door(request: Request, code: str, *, knock: bool = False) -> Iterator[Door]:
    """Guard one use of a join code (`knock`: to join, not only to look the meeting up)."""
    limits = request.app.state.limits
    limits.failures_by_address.check(address_key(request))
    door = Door(request, limits.knocks, f"{client_address(request)}|{code_digits(code)[:20]}")
    if knock:
        limits.knocks.take(door.key)
    try:
        yield door
    except AppError as err:
        if err.code == "not_found":
            count_failure(request)
        raise


def count_failure(request: Request) -> None:
    """A wrong code or password counts against the address it came from."""
    request.app.state.limits.failures_by_address.add(address_key(request))
