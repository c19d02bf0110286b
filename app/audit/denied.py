"""Denied reads of a meeting's record are logged too: who knocked on which record, and when.

At most one row per address and meeting a minute, so that a flood of refused requests cannot fill
the log or hold the database."""

from __future__ import annotations

import re
import time

from anyio import to_thread
from sqlalchemy import Engine
from starlette.requests import Request

from app.audit.log import record
from app.db import transaction
from app.web import professional

RECORD_PATH = re.compile(r"^/(?:api/meetings|m)/([A-Za-z0-9_-]{1,32})(?:/record\.\w+|/screen)?$")
WINDOW_SECONDS = 60.0
_MAX_REMEMBERED = 10_000


class DeniedLog:
    """Writes the audit row of a refused read of a meeting's record, rate-limited."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._last: dict[tuple[str, str], float] = {}

    def meeting_of(self, request: Request) -> str | None:
        """The meeting whose record the request asked for, if it asked for one."""
        if request.method != "GET":
            return None
        found = RECORD_PATH.match(request.url.path)
        return found.group(1) if found else None

    def due(self, address: str, meeting_id: str) -> bool:
        """Whether this refusal gets a row (the first from this address for this meeting in a
        minute)."""
        now = time.monotonic()
        key = (address, meeting_id)
        if now - self._last.get(key, -WINDOW_SECONDS) < WINDOW_SECONDS:
            return False
        if len(self._last) >= _MAX_REMEMBERED:
            self._last = {k: t for k, t in self._last.items() if now - t < WINDOW_SECONDS}
        self._last[key] = now
        return True

    async def note(self, request: Request, meeting_id: str) -> None:
        """Log a refused read of the meeting's record (off the event loop), unless this address
        was logged for this meeting in the last minute."""
        address = request.client.host if request.client else "?"
        if self.due(address, meeting_id):
            await to_thread.run_sync(self.write, request, meeting_id)

    def write(self, request: Request, meeting_id: str) -> None:
        """The row: the account when a professional is logged in, else an anonymous caller."""
        with transaction(self._engine) as session:
            user = professional(request, session)
            record(
                session,
                "record.denied",
                actor=f"user:{user.id}" if user is not None else "anonymous",
                role="professional" if user is not None else "",
                meeting_id=meeting_id,
                success=False,
                detail=request.url.path.rsplit("/", 1)[-1][:40],
            )
