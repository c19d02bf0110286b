"""Clients at addresses of their own: the test server trusts 127.0.0.1 as its proxy, so an
X-Forwarded-For header names the address the limits see."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from tests.helpers import RunningServer

_next = itertools.count(1)


def new_address() -> str:
    """An address no other test of this process has used (the benchmarking range)."""
    n = next(_next)
    return f"198.18.{n // 250}.{n % 250 + 1}"


def at(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


async def knock(
    http: httpx.AsyncClient,
    meeting: dict[str, Any],
    address: str,
    name: str,
    code: str | None = None,
) -> httpx.Response:
    """A knock through the JSON door from `address`."""
    body = {"join_code": code or meeting["join_code"], "name": name}
    return await http.post(f"/api/meetings/{meeting['id']}/join", json=body, headers=at(address))


def client(server: RunningServer) -> httpx.AsyncClient:
    return server.http(follow_redirects=False)
