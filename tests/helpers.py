"""Live test clients that speak the protocol over real sockets."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import websockets
from fastapi import FastAPI

TIMEOUT = 10.0


@dataclass
class RunningServer:
    base: str
    app: FastAPI | None = None

    @property
    def origin(self) -> str:
        return self.base

    def ws_url(self, meeting_id: str, screen: bool = False) -> str:
        url = self.base.replace("http://", "ws://") + f"/ws/meetings/{meeting_id}"
        return f"{url}?as=screen" if screen else url

    def http(self, **kwargs: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.base, timeout=TIMEOUT, **kwargs)


@dataclass
class Person:
    """Someone's credential in one meeting."""

    cookies: dict[str, str] = field(default_factory=dict)
    token: str | None = None
    participant: str | None = None


async def login(server: RunningServer, username: str, password: str) -> dict[str, str]:
    async with server.http() as http:
        answer = await http.post("/api/session", json={"username": username, "password": password})
        answer.raise_for_status()
        return {"avoin_session": answer.cookies["avoin_session"]}


async def new_meeting(
    server: RunningServer,
    chair: dict[str, str],
    frame: str = "hypothesis",
    title: str = "Koulunkäynnin tuki",
) -> dict[str, Any]:
    async with server.http(cookies=chair) as http:
        answer = await http.post("/api/meetings", json={"title": title, "frame": frame})
        answer.raise_for_status()
        return answer.json()


async def join(
    server: RunningServer,
    meeting: dict[str, Any],
    name: str,
    role_label: str = "",
    family: bool = False,
) -> Person:
    async with server.http() as http:
        answer = await http.post(
            f"/api/meetings/{meeting['id']}/join",
            json={
                "join_code": meeting["join_code"],
                "name": name,
                "role_label": role_label,
                "family": family,
            },
        )
        answer.raise_for_status()
        cookie = f"avoin_p_{meeting['id']}"
        return Person(
            cookies={cookie: answer.cookies[cookie]}, participant=answer.json()["participant"]["id"]
        )


def screen_cookie(meeting_id: str) -> str:
    return f"avoin_s_{meeting_id}"


async def open_screen(server: RunningServer, meeting: dict[str, Any]) -> dict[str, str]:
    """The shared screen's cookie, as its browser gets it by opening the screen's link (once:
    the link is spent, and the page is at an address without its token)."""
    async with server.http() as http:
        answer = await http.get(meeting["links"]["screen"].removeprefix(server.base))
    assert answer.status_code == 303, answer.status_code
    assert answer.headers["location"] == f"/m/{meeting['id']}/screen"
    name = screen_cookie(meeting["id"])
    return {name: answer.cookies[name]}


class LiveClient:
    """A WebSocket client of the protocol that records every frame it receives."""

    def __init__(self, ws: websockets.ClientConnection) -> None:
        self.ws = ws
        self.frames: list[dict[str, Any]] = []
        self.seq = 0
        self.you: dict[str, Any] | None = None
        self._cursor = 0

    @classmethod
    async def open(
        cls,
        server: RunningServer,
        meeting_id: str,
        cookies: dict[str, str] | None = None,
        origin: str | None = None,
        since: int | None = 0,
        screen: bool = False,
    ) -> LiveClient:
        """A socket with these cookies; `screen` asks as the shared screen (its page's way)."""
        headers = {}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        ws = await websockets.connect(
            server.ws_url(meeting_id, screen),
            origin=origin or server.origin,  # type: ignore[arg-type]
            additional_headers=headers,
            max_size=2**22,
            open_timeout=TIMEOUT,
            # The client keeps reading whatever the test has not looked at yet: with websockets'
            # default of 16 frames it stopped reading, never saw the server's answer to its close
            # and waited out the close timeout (about 68 s of the suite).
            max_queue=None,
            close_timeout=2,
        )
        client = cls(ws)
        if since is not None:
            await client.send({"op": "hello", "since": since})
            client.you = (await client.next_of("welcome"))["you"]
        return client

    async def send(self, frame: dict[str, Any]) -> str:
        if "id" not in frame and frame.get("op") not in ("hello", "draft"):
            frame = {**frame, "id": uuid.uuid4().hex}
        await self.ws.send(json.dumps(frame))
        return frame.get("id", "")

    async def _receive(self, timeout: float) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.ws.recv(), timeout)
        frame = json.loads(raw)
        if frame.get("type") == "event":
            self.seq = max(self.seq, frame["seq"])
        if frame.get("type") == "snapshot":
            self.seq = frame["seq"]
        self.frames.append(frame)
        return frame

    async def wait_for(self, pred: Any, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The next frame (after those already matched) that satisfies `pred`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            while self._cursor < len(self.frames):
                frame = self.frames[self._cursor]
                self._cursor += 1
                if pred(frame):
                    return frame
            left = deadline - loop.time()
            if left <= 0:
                raise TimeoutError(f"no matching frame; last ones: {self.frames[-5:]}")
            await self._receive(left)

    async def until_seq(self, seq: int, timeout: float = TIMEOUT) -> None:
        """Wait until this client has seen the event with this seq (now or earlier)."""
        if any(f.get("type") == "event" and f["seq"] == seq for f in self.frames):
            return
        await self.wait_for(lambda f: f.get("type") == "event" and f["seq"] == seq, timeout)

    async def seen(self, kind: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        """A frame of this type received at any time (now or before), the first one."""
        for frame in self.frames:
            if frame.get("type") == kind:
                return frame
        return await self.wait_for(lambda f: f.get("type") == kind, timeout)

    async def next_of(self, kind: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        return await self.wait_for(lambda f: f.get("type") == kind, timeout)

    async def event(self, name: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        return await self.wait_for(
            lambda f: f.get("type") == "event" and f["name"] == name, timeout
        )

    async def op(self, frame: dict[str, Any], timeout: float = TIMEOUT) -> dict[str, Any]:
        """Send an op and wait for its outcome: the event with its id, or an error with its id."""
        op_id = await self.send(frame)
        return await self.wait_for(
            lambda f: f.get("id") == op_id and f.get("type") in ("event", "error"), timeout
        )

    async def ok(self, frame: dict[str, Any]) -> dict[str, Any]:
        outcome = await self.op(frame)
        assert outcome["type"] == "event", outcome
        return outcome

    async def closed(self, timeout: float = TIMEOUT) -> int | None:
        """Wait until the server closes the socket; its close code."""
        try:
            while True:
                await self._receive(timeout)
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None

    def events(self) -> list[dict[str, Any]]:
        return [f for f in self.frames if f.get("type") == "event"]

    async def close(self) -> None:
        await self.ws.close()


async def chair_and_family_phone(
    server: RunningServer,
) -> tuple[dict[str, Any], dict[str, str], LiveClient, Person, LiveClient]:
    """A new meeting, its chair's cookies and open socket, and Aino (family) let in with her
    phone's socket open."""
    from tests.conftest import PASSWORD

    chair_cookies = await login(server, "kalle", PASSWORD)
    meeting = await new_meeting(server, chair_cookies)
    chair = await LiveClient.open(server, meeting["id"], chair_cookies)
    await chair.next_of("snapshot")
    aino = await join(server, meeting, "Aino", "äiti", family=True)
    phone = await LiveClient.open(server, meeting["id"], aino.cookies)
    await chair.ok({"op": "participant.admit", "participant": aino.participant})
    await phone.next_of("snapshot")
    return meeting, chair_cookies, chair, aino, phone
