"""Limits on guessing and flooding: join codes and logins per address, knocks per address.

Per process (in memory): with several instances an attacker gets each instance's allowance, which
still keeps an 8-digit code and an argon2 password far out of reach; the lobby is the last line.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from app.errors import AppError
from app.i18n import N_

FORGET_AFTER = 50_000  # keys held before idle ones are forgotten
TOO_MANY = N_("Too many attempts. Please wait a minute and try again.")


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
                raise AppError("rate_limited", TOO_MANY)

    def add(self, *keys: str) -> None:
        """Count an attempt under every key."""
        now = time.monotonic()
        for key in keys:
            self._hits.setdefault(key, deque()).append(now)
        if len(self._hits) > FORGET_AFTER:
            self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - self.window}

    def hit(self, *keys: str) -> None:
        """Check, then count an attempt."""
        self.check(*keys)
        self.add(*keys)


class TokenBucket:
    """`burst` actions at once, then `rate` a second."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.stamp = burst, time.monotonic()

    def _refill(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def take(self) -> bool:
        self._refill()
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    def full(self) -> bool:
        self._refill()
        return self.tokens >= self.burst


class Knocks:
    """Lobby knocks per (address, join code): a burst that lets a workshop of sixty behind one
    Wi-Fi address in at once, a slow refill after it, and a cap on the knocks of one address that
    wait in the lobby. A flood from one address so stays its own problem: another address (the
    family's phone) has a bucket of its own, and one address alone cannot fill the meeting."""

    def __init__(self, burst: int, per_minute: float, waiting: int) -> None:
        self.burst, self.rate, self.max_waiting = burst, per_minute / 60, waiting
        self._buckets: dict[str, TokenBucket] = {}
        self._waiting: dict[str, set[str]] = {}

    def take(self, key: str) -> None:
        """Spend one knock of this key, or `rate_limited`."""
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) > FORGET_AFTER:
                self._forget()
            bucket = self._buckets[key] = TokenBucket(self.rate, self.burst)
        if not bucket.take():
            raise AppError("rate_limited", TOO_MANY)

    def lobby_check(self, key: str, still_waiting: Callable[[str], bool]) -> None:
        """Refuse a knock while this key already has its cap of knocks waiting in the lobby."""
        if not self._waiting.get(key):
            return
        waiting = self._waiting[key] = {p for p in self._waiting[key] if still_waiting(p)}
        if len(waiting) >= self.max_waiting:
            raise AppError("rate_limited", TOO_MANY)

    def knocked(self, key: str, participant_id: str) -> None:
        """Remember a knock that now waits in the lobby."""
        self._waiting.setdefault(key, set()).add(participant_id)

    def _forget(self) -> None:
        """Drop the buckets that are full again and wait for nobody (they hold no memory)."""
        idle = [k for k, b in self._buckets.items() if b.full() and not self._waiting.get(k)]
        for key in idle:
            self._buckets.pop(key, None)
            self._waiting.pop(key, None)


class Limits:
    """The limits of one app. Only failures count against an address's guessing budget (a
    workshop of sixty people behind one Wi-Fi address must all get in); knocks have buckets of
    their own per address and code. There is deliberately no limit per meeting: one any address
    could spend would let a flood from a few addresses keep the family out (the lobby's own cap
    of 200 people and the chair's closing of the lobby bound a meeting)."""

    def __init__(
        self,
        failures_per_minute: int = 30,
        knock_burst: int = 80,
        knocks_per_minute: float = 6,
        knocks_waiting: int = 80,
    ) -> None:
        self.failures_by_address = Limiter(failures_per_minute, 60)
        self.login_by_user = Limiter(max(3, failures_per_minute // 3), 300)
        self.knocks = Knocks(knock_burst, knocks_per_minute, knocks_waiting)
        # The scribe's draft is looked at as they type, about twice a second at the most.
        self.glossary = Limiter(240, 60)
