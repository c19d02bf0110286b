"""The slow phone's cut-off: a socket whose unsent backlog passes AVOIN_SEND_BUFFER_BYTES is
cut, and the room goes on without waiting for it."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator

import pytest
import websockets

from tests.conftest import PASSWORD, start_server, stop_server
from tests.helpers import TIMEOUT, LiveClient, RunningServer, join, login, new_meeting

SEND_BUFFER = 32 * 1024
ENTRIES = 60  # of 4,000 characters: far more than the buffer and the kernels' on the way
BIG = "Kouluun on mukava mennä, kun kaverit odottavat. " * 80  # 3,920 characters


@pytest.fixture(scope="module")
def small_buffers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running, uv = start_server(tmp_path_factory.mktemp("slow"), send_buffer_bytes=SEND_BUFFER)
    yield running
    stop_server(uv)


async def open_slow(server: RunningServer, meeting_id: str, cookies: dict[str, str]):
    """A phone that reads its welcome and snapshot, then stops reading: a small receive window,
    and a client that holds one message before it stops taking more from the network."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    # Small segments, as on a mobile network: on loopback (64 KiB segments) the server's kernel
    # would size its send buffer to hold megabytes before the app saw any backlog.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 536)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(
        sock, ("127.0.0.1", int(server.base.split(":")[-1]))
    )
    ws = await websockets.connect(
        server.ws_url(meeting_id),
        sock=sock,
        origin=server.origin,  # type: ignore[arg-type]
        additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
        max_queue=1,
        open_timeout=TIMEOUT,
    )
    await ws.send(json.dumps({"op": "hello", "since": 0}))
    for kind in ("welcome", "snapshot"):
        while json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))["type"] != kind:
            pass
    return ws


async def test_a_phone_that_stops_reading_is_cut_and_the_room_goes_on(
    small_buffers: RunningServer,
) -> None:
    server = small_buffers
    cookies = await login(server, "kalle", PASSWORD)
    meeting = await new_meeting(server, cookies)
    chair = await LiveClient.open(server, meeting["id"], cookies)
    await chair.next_of("snapshot")
    people = {}
    for name in ("Aino", "Eetu"):
        person = await join(server, meeting, name)
        await chair.ok({"op": "participant.admit", "participant": person.participant})
        people[name] = person
    fast = await LiveClient.open(server, meeting["id"], people["Aino"].cookies)
    await fast.next_of("snapshot")
    slow_id = people["Eetu"].participant
    slow = await open_slow(server, meeting["id"], people["Eetu"].cookies)
    await fast.wait_for(lambda f: f.get("type") == "presence" and slow_id in f["online"])
    since_online = len(fast.frames)

    # The fast phone reads all along, as a phone does; the slow one reads nothing more.
    assert server.app is not None
    hub = server.app.state.hub
    sent = 0
    # As many entries as it takes: how much the kernels on the way hold before the server sees a
    # backlog is theirs to say (on a busy machine, more), so the room goes on until the cut. The
    # fast phone reads each as it comes.
    while sent < ENTRIES or (hub.sockets_of(meeting["id"], slow_id) and sent < 10 * ENTRIES):
        added = await chair.ok({"op": "entry.add", "phase": "opening", "text": f"{sent} {BIG}"})
        await fast.until_seq(added["seq"], timeout=60)
        sent += 1

    # The room hears that the slow phone is gone: the server cut it, it did not leave. The cut
    # may come while the fast phone is still reading the entries (on a busy machine it does),
    # so the presence frame is looked for among everything read since the slow phone came in.
    def gone(frame: dict) -> bool:
        return frame.get("type") == "presence" and slow_id not in frame["online"]

    if not any(gone(frame) for frame in fast.frames[since_online:]):
        await fast.wait_for(gone)
    assert hub.sockets_of(meeting["id"], slow_id) == 0
    # What reached the slow phone before the cut ends without a closing handshake.
    received = 0
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            frame = json.loads(await asyncio.wait_for(slow.recv(), TIMEOUT))
            received += frame.get("type") == "event"
    assert closed.value.rcvd is None  # cut, not closed politely
    assert received < sent

    # And the room goes on: the next event reaches the fast phone.
    moved = await chair.ok({"op": "phase.goto", "index": 1})
    await fast.until_seq(moved["seq"])
    for client in (chair, fast):
        await client.close()
