"""Baseline (a): a minimal broadcast server written directly on the `websockets` library.

One dict of rooms, `websockets.broadcast` to the room; the frames are those of `bench.relay`.
Run: `python -m bench.relay_ws --port N` (the live bench starts and stops it).
"""

from __future__ import annotations

import argparse
import asyncio
import signal

import websockets
from websockets.asyncio.server import ServerConnection, serve

from app.server import WS_MAX_SIZE
from bench.relay import Room, handle, room_and_who

ROOMS: dict[str, tuple[Room, set[ServerConnection]]] = {}


async def connection(ws: ServerConnection) -> None:
    """One client: relay each of its frames to its room."""
    name, who = room_and_who(ws.request.path if ws.request else "/")
    room, peers = ROOMS.setdefault(name, (Room(), set()))
    try:
        async for message in ws:
            if not isinstance(message, str):
                continue
            answer = handle(room, who, message)
            for frame in answer.to_sender:
                await ws.send(frame)
            if answer.join:
                peers.add(ws)
            if answer.to_room is not None:
                websockets.broadcast(peers, answer.to_room)
    except websockets.ConnectionClosed:
        pass
    finally:
        peers.discard(ws)


async def main(port: int) -> None:
    """Serve until SIGTERM or SIGINT."""
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    async with serve(
        connection,
        "127.0.0.1",
        port,
        compression=None,
        max_size=WS_MAX_SIZE,
        ping_interval=15.0,
        ping_timeout=15.0,
    ):
        await stop


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(main(parser.parse_args().port))
