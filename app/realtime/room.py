"""The sockets of one meeting in this process, as the hub keeps them."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field

from app.realtime.connection import Connection


@dataclass(eq=False)
class Room:
    """The sockets of one meeting in this process and its one subscription."""

    meeting_id: str
    connections: set[Connection] = field(default_factory=set)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    remote_online: dict[str, frozenset[str]] = field(default_factory=dict)
    presence_task: asyncio.Task[None] | None = None

    # Sockets per participant: a workshop room holds hundreds of sockets, and every handshake
    # asks how many one credential has (a scan of them all would cost each socket O(n)).
    members: Counter[str] = field(default_factory=Counter)

    def add(self, conn: Connection) -> None:
        if conn not in self.connections:
            self.connections.add(conn)
            self.members[conn.participant_id] += 1

    def discard(self, conn: Connection) -> None:
        if conn in self.connections:
            self.connections.discard(conn)
            self.members[conn.participant_id] -= 1
            if self.members[conn.participant_id] <= 0:
                del self.members[conn.participant_id]

    def local_online(self) -> frozenset[str]:
        return frozenset(self.members)
