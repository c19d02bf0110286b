"""Baseline (b): a bare FastAPI/uvicorn relay of the same frames, with app/server.py's options.

No database, no fan-out, no queues: each frame is answered by `bench.relay` and sent to every
socket of the room in turn. Run: `python -m bench.relay_fastapi --port N`.
"""

from __future__ import annotations

import argparse
import contextlib

import uvicorn
from fastapi import FastAPI, WebSocket, WebSocketDisconnect

from app.server import uvicorn_options
from bench.relay import Room, handle

app = FastAPI()
ROOMS: dict[str, tuple[Room, set[WebSocket]]] = {}


@app.websocket("/ws/meetings/{name}")
async def live(ws: WebSocket, name: str) -> None:
    """One client: relay each of its frames to its room."""
    await ws.accept()
    who = ws.query_params.get("who", "?")
    room, peers = ROOMS.setdefault(name, (Room(), set()))
    try:
        while True:
            message = await ws.receive_text()
            answer = handle(room, who, message)
            for frame in answer.to_sender:
                await ws.send_text(frame)
            if answer.join:
                peers.add(ws)
            if answer.to_room is not None:
                for peer in list(peers):
                    with contextlib.suppress(Exception):
                        await peer.send_text(answer.to_room)
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        peers.discard(ws)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    # A plain FastAPI app gets uvicorn's own protocol, not Avoin's read-ahead one.
    options = {**uvicorn_options("127.0.0.1", port), "ws": "websockets-sansio"}
    uvicorn.run(app, log_level="warning", **options)
