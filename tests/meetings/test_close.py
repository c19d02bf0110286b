"""Closing a meeting ends the live views of everyone without an account; the closed record and
the feedback are then read and given over HTTP."""

from __future__ import annotations

import pytest

from tests.helpers import (
    LiveClient,
    Person,
    RunningServer,
    chair_and_family_phone,
    open_screen,
)


@pytest.fixture(scope="module")
def server(any_server: RunningServer) -> RunningServer:
    return any_server


async def _feedback(server: RunningServer, meeting_id: str, person: Person, body: dict):
    async with server.http(cookies=person.cookies) as http:
        return await http.post(f"/api/meetings/{meeting_id}/feedback", json=body)


async def test_the_close_cuts_the_phones_and_their_credential_no_longer_opens_a_socket(
    server: RunningServer,
) -> None:
    meeting, chair_cookies, chair, _aino, phone = await chair_and_family_phone(server)
    mid = meeting["id"]
    screen_cookies = await open_screen(server, meeting)
    screen = await LiveClient.open(server, mid, screen_cookies, screen=True)
    await screen.next_of("snapshot")
    closed = await chair.ok({"op": "meeting.close"})
    assert await phone.closed() == 4001
    assert any(f.get("name") == "meeting.closed" for f in phone.events())  # told before the cut

    again = await LiveClient.open(server, mid, _aino.cookies, since=None)
    assert await again.closed() == 4001
    # The room's shared screen stays: it shows the family's summary code after the close.
    shared = await chair.ok({"op": "summary.share", "days": 7})
    assert (await screen.event("summary.shared"))["seq"] == shared["seq"]
    screen_again = await LiveClient.open(server, mid, screen_cookies, screen=True)
    assert (await screen_again.next_of("snapshot"))["seq"] == shared["seq"]
    # A phone learns of the summary without its socket, and without the record.
    async with server.http(cookies=_aino.cookies) as http:
        after = (await http.get(f"/api/meetings/{mid}/after")).json()
    assert after["summary"]["url"] and "entries" not in after
    async with server.http() as http:
        assert (await http.get(f"/api/meetings/{mid}/after")).status_code == 403
    for client in (screen, screen_again):
        await client.close()

    # The chair (an account) keeps a live view: the record can still be corrected.
    chair_again = await LiveClient.open(server, mid, chair_cookies)
    snap = await chair_again.next_of("snapshot")
    assert snap["seq"] == shared["seq"] == closed["seq"] + 1
    for client in (chair, chair_again):
        await client.close()


async def test_feedback_is_given_once_over_http_after_the_close(server: RunningServer) -> None:
    meeting, _cookies, chair, aino, phone = await chair_and_family_phone(server)
    mid = meeting["id"]
    early = await _feedback(server, mid, aino, {"id": "f0", "heard": 4, "next": 4, "together": 4})
    assert early.status_code == 422 and early.json()["error"]["code"] == "invalid"

    await chair.ok({"op": "meeting.close"})
    assert await phone.closed() == 4001
    answer = await _feedback(
        server, mid, aino, {"id": "f1", "heard": 5, "next": 3, "together": 4, "comment": "Kiitos"}
    )
    assert answer.status_code == 200 and answer.json() == {"count": 1}
    received = await chair.event("feedback.received")
    assert received["data"] == {"count": 1} and received["actor"] is None

    # A retry of the same post is the same answer; a second answer is refused.
    retry = await _feedback(
        server, mid, aino, {"id": "f1", "heard": 5, "next": 3, "together": 4, "comment": "Kiitos"}
    )
    assert retry.status_code == 200 and retry.json() == {"count": 1}
    second = await _feedback(server, mid, aino, {"id": "f2", "heard": 1, "next": 1, "together": 1})
    assert second.status_code == 409 and second.json()["error"]["code"] == "conflict"
    # The refused answer's event was written before the refusal: it was rolled back, whole.
    service = server.app.state.service
    service._cache.pop(mid, None)  # read from the tables, not the cached state
    seq, state = await service.state(mid)
    assert state.feedback_count == 1 and seq == received["seq"]
    await chair.close()


@pytest.mark.parametrize(
    "body",
    [
        {"id": "b1", "heard": 6, "next": 3, "together": 3},
        {"id": "b2", "heard": 0, "next": 3, "together": 3},
        {"id": "b3", "heard": 3, "next": 3},
        {"id": "b4", "heard": 3, "next": 3, "together": 3, "who": "Aino"},
        {"id": "b5", "heard": "3", "next": 3, "together": 3},
        {"id": "b 6", "heard": 3, "next": 3, "together": 3},
        {"id": "b7", "heard": 3, "next": 3, "together": 3, "comment": "x" * 2001},
        {"id": "b8", "heard": 3, "next": 3, "together": 3, "comment": "nul\u0000"},
    ],
)
async def test_bad_feedback_gets_a_clear_error_and_changes_nothing(
    server: RunningServer, body: dict
) -> None:
    meeting, chair_cookies, chair, aino, phone = await chair_and_family_phone(server)
    mid = meeting["id"]
    await chair.ok({"op": "meeting.close"})
    answer = await _feedback(server, mid, aino, body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["message"]
    async with server.http(cookies=chair_cookies) as http:
        state = (await http.get(f"/api/meetings/{mid}")).json()["state"]
    assert state["feedback_count"] == 0
    stranger = Person(cookies={f"avoin_p_{mid}": "not-a-real-token"}, participant="")
    refused = await _feedback(
        server, mid, stranger, {"id": "s1", "heard": 3, "next": 3, "together": 3}
    )
    assert refused.status_code == 403
    await chair.close()
    await phone.close()
