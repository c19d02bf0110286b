"""The address that phones on the room's network can open, for `make run` and `avoin demo`."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

ANY_HOST = ("0.0.0.0", "::", "")


def room_address() -> str | None:
    """This machine's address on its local network, or None when it cannot be known.

    A UDP socket is "connected" to a private address to ask the kernel which interface would
    route there; no packet is sent."""
    candidates: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            candidates.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            candidates.append(str(info[4][0]))
    except OSError:
        pass
    for candidate in candidates:
        address = ipaddress.ip_address(candidate)
        if not (address.is_loopback or address.is_unspecified or address.is_link_local):
            return candidate
    return None


def public_url(host: str, port: int) -> str:
    """The links' address for a server bound to `host`: the room's address when it listens on
    every interface (and that address can be known), else the host itself."""
    if host in ANY_HOST:
        host = room_address() or "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def only_this_computer(url: str) -> bool:
    """Whether links to this address open only on the server's own computer."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
