"""How uvicorn runs Avoin: one set of socket settings for `avoin serve`, tests and benchmarks."""

from __future__ import annotations

from typing import Any

from app.realtime.protocol import LiveProtocol

# The protocol answers frames over 64 KiB with an `error`; the socket takes a little more, so that
# such a frame reaches the app instead of closing a healthy connection.
WS_MAX_SIZE = 256 * 1024


def uvicorn_options(
    host: str, port: int, trusted_proxies: str = "127.0.0.1", heartbeat_seconds: float = 15.0
) -> dict[str, Any]:
    """Keyword arguments for uvicorn.run / uvicorn.Config (the heartbeat: Settings')."""
    return {
        # Only these may say who the client is (X-Forwarded-For): the guessing limits count
        # addresses, so a client must not be able to name its own.
        "forwarded_allow_ips": trusted_proxies,
        "host": host,
        "port": port,
        "http": "httptools",
        # uvicorn's sans-io websockets protocol, reading ahead (app/realtime/protocol.py).
        "ws": LiveProtocol,
        "ws_max_size": WS_MAX_SIZE,
        # Compression costs CPU per socket and opens compression side channels; frames are small.
        "ws_per_message_deflate": False,
        # A phone that stops answering (its network gone, the tab frozen) is cut within twice
        # the heartbeat; its leaving is what turns it grey in the chair's list.
        "ws_ping_interval": heartbeat_seconds,
        "ws_ping_timeout": heartbeat_seconds,
        "proxy_headers": True,
        "server_header": False,
        # Access logs would hold meeting ids and the shared screen's token: no personal data or
        # secrets in logs.
        "access_log": False,
        "timeout_graceful_shutdown": 10,
    }
