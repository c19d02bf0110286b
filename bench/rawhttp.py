"""A minimal HTTP/1.1 client for the bench's joins: JSON POSTs on a few keep-alive connections.

httpx costs the load generator about 5 ms of CPU per request, which made the generator, not the
server, the limit when thousands of phones join (scenario 4). This writes the request and reads
the status, the `Set-Cookie` headers and the JSON body, and nothing else.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import urlsplit


class HttpError(RuntimeError):
    """An answer other than 2xx."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class Pool:
    """Up to `size` keep-alive connections to one server; `post` takes a free one."""

    def __init__(self, base: str, size: int = 16) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.free: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter] | None]
        self.free = asyncio.Queue()
        for _ in range(size):
            self.free.put_nowait(None)
        self.open: list[asyncio.StreamWriter] = []

    async def post(
        self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """POST JSON; the JSON answer and the cookies it sets. Raises HttpError unless 2xx.

        A 503 ("unavailable for a moment": the database was busy) is tried again after a pause,
        as the app asks of its clients."""
        for attempt in range(6):
            try:
                return await self._once(path, body, headers)
            except HttpError as err:
                if err.status != 503 or attempt == 5:
                    raise
                await asyncio.sleep(0.1 * 2**attempt)
        raise AssertionError("unreachable")

    async def _once(
        self, path: str, body: dict[str, Any], headers: dict[str, str] | None
    ) -> tuple[dict[str, Any], dict[str, str]]:
        conn = await self.free.get()
        try:
            if conn is None:
                conn = await asyncio.open_connection(self.host, self.port)
                self.open.append(conn[1])
            answer = await self._post(conn, path, body, headers or {})
        except HttpError:
            self.free.put_nowait(conn)  # the answer was read whole: the connection is fine
            raise
        except BaseException:
            if conn is not None:
                conn[1].close()
            self.free.put_nowait(None)
            raise
        self.free.put_nowait(conn)
        return answer

    async def _post(
        self,
        conn: tuple[asyncio.StreamReader, asyncio.StreamWriter],
        path: str,
        body: dict[str, Any],
        headers: dict[str, str],
    ) -> tuple[dict[str, Any], dict[str, str]]:
        reader, writer = conn
        data = json.dumps(body).encode()
        head = [
            f"POST {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Content-Type: application/json",
            f"Content-Length: {len(data)}",
            *(f"{k}: {v}" for k, v in headers.items()),
        ]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        status = int((await reader.readline()).split()[1])
        length, cookies = 0, {}
        while True:
            line = (await reader.readline()).decode("latin-1")
            if line in ("\r\n", ""):
                break
            key, _, value = line.partition(":")
            key, value = key.strip().lower(), value.strip()
            if key == "content-length":
                length = int(value)
            elif key == "set-cookie":
                name, _, rest = value.partition("=")
                cookies[name] = rest.split(";", 1)[0]
        raw = await reader.readexactly(length)
        if not 200 <= status < 300:
            raise HttpError(f"POST {path}: {status} {raw[:300]!r}", status)
        return json.loads(raw) if raw else {}, cookies

    def close(self) -> None:
        for writer in self.open:
            writer.close()
