"""The op allowance follows the role on the open socket: a participant made scribe may flush a
queue at once (20 a second, bursts of 60), and a chair who hands over has a phone's again."""

from __future__ import annotations

from typing import Any

from tests.helpers import LiveClient, RunningServer
from tests.meetings.test_live import _admitted, _room


async def burst(client: LiveClient, frames: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Send the frames back to back; the outcome of each (event or error), in order."""
    ids = [await client.send(frame) for frame in frames]
    wanted = set(ids)

    def all_answered(_frame: dict[str, Any]) -> bool:
        seen = {f.get("id") for f in client.frames if f.get("type") in ("event", "error")}
        return wanted <= seen

    await client.wait_for(all_answered)
    by_id = {f["id"]: f for f in client.frames if f.get("type") in ("event", "error")}
    return [by_id[i] for i in ids]


async def close_all(*clients: LiveClient) -> None:
    """Read what each has been sent (a client that stops reading cannot hear the close), then
    close."""
    last = max(c.seq for c in clients)
    for client in clients:
        await client.until_seq(last)
        await client.close()


def refused(outcomes: list[dict[str, Any]]) -> int:
    return sum(1 for o in outcomes if o.get("code") == "rate_limited")


async def test_a_participant_made_scribe_flushes_a_queue_at_once(any_server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(any_server)
    person, phone = await _admitted(any_server, meeting, chair, "Heidi")
    await chair.ok({"op": "participant.role", "participant": person.participant, "role": "scribe"})
    await phone.event("participant.role_changed")
    # What the scribe wrote while the network was away, sent the moment it is back.
    entries = [{"op": "entry.add", "phase": "opening", "text": f"Kirjaus {n}"} for n in range(50)]
    outcomes = await burst(phone, entries)
    assert refused(outcomes) == 0
    assert all(o["type"] == "event" for o in outcomes), [
        o for o in outcomes if o["type"] != "event"
    ]
    await close_all(chair, phone)


async def test_a_chair_who_hands_over_has_a_phones_allowance(any_server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(any_server)
    person, heir = await _admitted(any_server, meeting, chair, "Sari")
    await chair.ok({"op": "participant.role", "participant": person.participant, "role": "chair"})
    await heir.event("participant.role_changed")
    hands = [{"op": "hand.raise" if n % 2 == 0 else "hand.lower"} for n in range(40)]
    assert refused(await burst(chair, hands)) > 0  # a phone's burst is 20
    phases = [{"op": "phase.goto", "index": 1 + n % 2} for n in range(50)]
    assert refused(await burst(heir, phases)) == 0  # the new chair's burst is 60
    await close_all(chair, heir)
