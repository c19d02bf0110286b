"""A 60-person workshop over real sockets: experts by experience marked, four small groups with
their own chairs and scribes writing on their boards at once, each board brought back to the
plenary, a fishbowl with people swapped in and out, the closing round — everyone's record the
same, gapless, and the database's."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.helpers import LiveClient, Person, RunningServer, join, login, new_meeting

PEOPLE = 60
GROUPS = 4


@pytest.fixture(scope="module")
def server(any_server: RunningServer) -> RunningServer:
    return any_server


async def paced(client: LiveClient, body: dict[str, Any]) -> dict[str, Any]:
    """An op that may meet the per-socket rate limit (the facilitator admits sixty people):
    sent again, a little later, until it is answered with its event."""
    for _ in range(100):
        outcome = await client.op(body)
        if outcome.get("code") != "rate_limited":
            assert outcome["type"] == "event", outcome
            return outcome
        await asyncio.sleep(0.1)  # pacing against the limit, not synchronisation
    raise AssertionError("still rate limited")


async def test_a_sixty_person_workshop_with_four_groups(server: RunningServer) -> None:
    chair_cookies = await login(server, "kalle", PASSWORD)
    meeting = await new_meeting(server, chair_cookies, "workshop3", "Kolmas työpaja")
    mid = meeting["id"]
    chair = await LiveClient.open(server, mid, chair_cookies)
    snap = await chair.next_of("snapshot")
    phases = [p["key"] for p in snap["state"]["phases"]]

    people: list[Person] = list(
        await asyncio.gather(*(join(server, meeting, f"Osallistuja {n}") for n in range(PEOPLE)))
    )
    phones: list[LiveClient] = list(
        await asyncio.gather(*(LiveClient.open(server, mid, p.cookies) for p in people))
    )
    for person in people:
        await paced(chair, {"op": "participant.admit", "participant": person.participant})
    ids = [p.participant for p in people]
    experts = ids[:GROUPS]
    for pid in experts:
        await paced(chair, {"op": "participant.expert", "participant": pid, "expert": True})

    # Four groups by hand, an expert by experience in each.
    await paced(chair, {"op": "phase.goto", "index": phases.index("trial")})
    assign = {pid: 1 + n % GROUPS for n, pid in enumerate(ids)}
    formed = await paced(chair, {"op": "groups.form", "phase": "trial", "assign": assign})
    groups = formed["data"]["groups"]
    assert [len(g["members"]) for g in groups] == [PEOPLE // GROUPS] * GROUPS
    assert all(set(g["members"]) & set(experts) for g in groups)
    by_id = dict(zip(ids, phones, strict=True))

    # Each group chooses its own chair and scribe, then its scribe writes while the others do.
    for g in groups:
        lead, pen = g["members"][0], g["members"][1]
        await by_id[lead].ok(
            {"op": "group.role", "group": g["id"], "participant": lead, "role": "chair"}
        )
        await by_id[pen].ok(
            {"op": "group.role", "group": g["id"], "participant": pen, "role": "scribe"}
        )

    async def write(g: dict[str, Any]) -> list[str]:
        pen = by_id[g["members"][1]]
        added = []
        for n in range(5):
            body = {
                "op": "entry.add",
                "phase": "trial",
                "board": g["id"],
                "text": f"{g['theme']} {n}",
            }
            added.append((await pen.ok(body))["data"]["entry"]["id"])
        return added

    written = await asyncio.gather(*(write(g) for g in groups))
    assert sum(len(w) for w in written) == 5 * GROUPS
    outsider = by_id[groups[1]["members"][2]]
    refused = await outsider.op(
        {"op": "entry.add", "phase": "trial", "board": groups[0]["id"], "text": "Ei minun"}
    )
    assert refused["type"] == "error" and refused["code"] == "forbidden"

    # Back in the plenary, each group's board in turn.
    await paced(chair, {"op": "phase.goto", "index": phases.index("trial_share")})
    for g in groups:
        shown = await paced(chair, {"op": "board.show", "group": g["id"]})
        assert shown["data"] == {"group": g["id"]}

    # The fishbowl: five in, one asks to step in, the facilitator swaps them.
    await paced(chair, {"op": "phase.goto", "index": phases.index("effects")})
    await paced(chair, {"op": "bowl.open", "phase": "effects"})
    for pid in ids[10:15]:
        await paced(chair, {"op": "bowl.seat", "participant": pid})
    await by_id[ids[20]].ok({"op": "bowl.ask"})
    await by_id[ids[10]].ok({"op": "bowl.leave", "participant": ids[10]})
    await paced(chair, {"op": "bowl.seat", "participant": ids[20]})

    # The closing reflection is a round of everyone.
    await paced(chair, {"op": "phase.goto", "index": phases.index("reflection")})
    last = await paced(chair, {"op": "round.start", "phase": "reflection"})
    head = last["seq"]

    everyone = [chair, *phones]
    await asyncio.gather(*(c.until_seq(head, timeout=30) for c in everyone))
    for client in everyone:
        start = next(f["seq"] for f in client.frames if f.get("type") == "snapshot")
        seqs = [f["seq"] for f in client.events() if f["seq"] > start]
        assert seqs == list(range(start + 1, head + 1))
    async with server.http(cookies=chair_cookies) as http:
        state = (await http.get(f"/api/meetings/{mid}")).json()["state"]
    workshop = state["workshop"]
    assert workshop["showing"] == groups[-1]["id"]
    assert workshop["bowl"]["seats"] == [*ids[11:15], ids[20]] and workshop["bowl"]["asking"] == []
    assert sorted(workshop["experts"]) == sorted(experts)
    boards = {
        g["id"]: [e["text"] for e in state["entries"] if e.get("board") == g["id"]] for g in groups
    }
    assert boards == {g["id"]: [f"{g['theme']} {n}" for n in range(5)] for g in groups}
    chairs = {g["id"]: (g["chair"], g["scribe"]) for g in workshop["groups"]}
    assert chairs == {g["id"]: (g["members"][0], g["members"][1]) for g in groups}
    await asyncio.gather(*(c.close() for c in everyone))
