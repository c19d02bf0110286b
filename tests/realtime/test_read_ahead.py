"""The live sockets' read-ahead protocol (app/realtime/protocol.py) through a real server: a
burst far longer than the read-ahead is answered whole and in order, while the socket pauses and
resumes under it."""

from __future__ import annotations

import asyncio
import json
import uuid

from app.realtime.protocol import READ_AHEAD
from tests.conftest import PASSWORD
from tests.helpers import LiveClient, RunningServer, login, new_meeting


async def test_a_burst_of_ops_is_answered_whole_and_in_order(server: RunningServer) -> None:
    cookies = await login(server, "kalle", PASSWORD)
    meeting = await new_meeting(server, cookies)
    chair = await LiveClient.open(server, meeting["id"], cookies)
    await chair.next_of("snapshot")
    sent = [uuid.uuid4().hex for _ in range(READ_AHEAD * 10)]
    frames = [
        json.dumps({"op": "entry.add", "id": op_id, "phase": "opening", "text": f"Kohta {k}"})
        for k, op_id in enumerate(sent)
    ]
    # All at once, without waiting for answers: the server reads far more than READ_AHEAD
    # frames before its app has handled the first ones.
    await asyncio.gather(*(chair.ws.send(frame) for frame in frames))
    answers: list[dict] = []
    while len(answers) < len(sent):
        frame = await chair.wait_for(lambda f: f.get("id") in sent and f["type"] != "draft")
        answers.append(frame)
    assert [a["id"] for a in answers] == sent
    kinds = {a["type"] for a in answers}
    assert kinds <= {"event", "error"} and "event" in kinds
    # Past the chair's burst of 60 ops the rate limit answers; nothing is left unanswered.
    assert all(a["code"] == "rate_limited" for a in answers if a["type"] == "error")
    await chair.close()
