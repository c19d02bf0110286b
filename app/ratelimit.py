"""Sliding-window limits on guessing: join codes and logins, per address and per target.

Per process (in memory): with several instances an attacker gets each instance's allowance, which
still keeps an 8-digit code and an argon2 password far out of reach; the lobby is the last line.
"""

from __future__ import annotations

import time
from collections import deque

from app.errors import AppError


class Limiter:
    """At most `limit` attempts per `window` seconds for each key."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._hits: dict[str, deque[float]] = {}

    def check(self, *keys: str) -> None:
        """Raise `rate_limited` if any key has spent its attempts."""
        now = time.monotonic()
        for key in keys:
            hits = self._hits.get(key)
            if hits is None:
                continue
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                raise AppError(
                    "rate_limited", "Too many attempts. Please wait a minute and try again."
                )

    def add(self, *keys: str) -> None:
        """Count an attempt under every key."""
        now = time.monotonic()
        for key in keys:
            self._hits.setdefault(key, deque()).append(now)
        if len(self._hits) > 50_000:  # forget idle keys now and then
            self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - self.window}

    def hit(self, *keys: str) -> None:
        """Check, then count an attempt."""
        self.check(*keys)
        self.add(*keys)


class Limits:
    """The limits of one app. Only failures count against an address (a workshop of sixty people
    behind one Wi-Fi address must all get in); joins that succeed count against their meeting."""

    def __init__(self, failures_per_minute: int = 30, joins_per_minute: int = 200) -> None:
        self.failures_by_address = Limiter(failures_per_minute, 60)
        self.joins_by_meeting = Limiter(joins_per_minute, 60)
        self.login_by_user = Limiter(max(3, failures_per_minute // 3), 300)
