"""The baselines' shared logic: relay the protocol's frames in one room, with no database.

Both baseline servers (`bench.relay_ws` on the bare `websockets` library and `bench.relay_fastapi`
on FastAPI/uvicorn) answer the same frames as Avoin does, in the same shapes, so that the load
generator speaks to all three alike: `hello` gets `welcome` and a `snapshot` (or the missed events
after `since`), `draft` becomes a `draft` frame to the room, and any other op becomes a sequenced
`event` frame to the room (the sender recognises its own by `id`). The events of a room are kept
in memory so that a reconnect with `since` gets exactly the events it missed.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

EVENT_NAMES = {
    "entry.add": "entry.added",
    "timer.start": "timer.started",
    "timer.stop": "timer.stopped",
    "phase.goto": "phase.changed",
}


@dataclass
class Room:
    """One meeting in a baseline: its sequenced events (the frames as sent)."""

    events: list[str] = field(default_factory=list)
    entries: int = 0


@dataclass
class Answer:
    """What the server sends for one inbound frame: to the sender, and to everyone in the room."""

    to_sender: list[str] = field(default_factory=list)
    to_room: str | None = None
    join: bool = False


def handle(room: Room, who: str, text: str) -> Answer:
    """The answer to one inbound text frame of participant `who`."""
    answer = Answer()
    try:
        frame: dict[str, Any] = json.loads(text)
        op = frame["op"]
    except (ValueError, KeyError, TypeError):
        answer.to_sender.append(json.dumps({"type": "error", "code": "invalid"}))
        return answer
    if op == "hello":
        since = int(frame.get("since") or 0)
        seq = len(room.events)
        you = {"id": who, "kind": "participant", "admitted": True}
        answer.to_sender.append(
            json.dumps({"type": "welcome", "you": you, "seq": seq}, ensure_ascii=False)
        )
        if since == 0 or since > seq:
            snapshot = {"type": "snapshot", "seq": seq, "state": {"entries": room.entries}}
            answer.to_sender.append(json.dumps(snapshot))
        else:
            answer.to_sender.extend(room.events[since:])
        answer.join = True
        return answer
    if op == "draft":
        draft = {"type": "draft", "actor": who, "phase": frame.get("phase"), "text": frame["text"]}
        answer.to_room = json.dumps(draft, ensure_ascii=False)
        return answer
    data: dict[str, Any]
    if op == "entry.add":
        room.entries += 1
        entry = {
            "id": f"e{room.entries}",
            "phase": frame.get("phase"),
            "text": frame.get("text", ""),
            "speaker": frame.get("speaker"),
            "kind": "note",
            "version": 1,
            "deleted": False,
            "own_words": False,
            "reactions": {},
        }
        data = {"entry": entry}
    else:
        data = {k: v for k, v in frame.items() if k not in ("op", "id")}
    event = {
        "type": "event",
        "seq": len(room.events) + 1,
        "name": EVENT_NAMES.get(op, op),
        "id": frame.get("id"),
        "actor": who,
        "at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "data": data,
    }
    encoded = json.dumps(event, ensure_ascii=False)
    room.events.append(encoded)
    answer.to_room = encoded
    return answer


def room_and_who(path: str) -> tuple[str, str]:
    """`/ws/meetings/{room}?who={participant}` → (room, participant)."""
    base, _, query = path.partition("?")
    who = "?"
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if key == "who":
            who = value
    return base.rstrip("/").rsplit("/", 1)[-1], who
