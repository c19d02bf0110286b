"""A meeting's lock knows whether it can be taken at once: only then does an op skip arming its
deadline (anyone holding or waiting for it means the op waits, with the deadline)."""

from __future__ import annotations

import asyncio

from app.meetings.reading import MeetingLock


async def test_a_lock_is_free_only_with_no_holder_and_no_one_waiting() -> None:
    lock = MeetingLock()
    assert lock.free()
    await lock.acquire()
    assert not lock.free()
    waiter = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)  # the waiter's task runs until it waits for the lock
    assert lock.wanted == 1
    lock.release()
    # Released, but promised to the waiter: a newcomer would wait behind it.
    assert not lock.locked() and not lock.free()
    await waiter
    assert not lock.free()
    lock.release()
    assert lock.free()


async def test_a_cancelled_waiter_is_no_longer_counted() -> None:
    lock = MeetingLock()
    await lock.acquire()
    waiter = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)  # the waiter's task runs until it waits for the lock
    assert lock.wanted == 1
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    lock.release()
    assert lock.free()
