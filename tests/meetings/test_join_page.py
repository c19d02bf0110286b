"""The join page says what is true of the meeting, and pages go compressed to a phone."""

from __future__ import annotations

from tests.conftest import PASSWORD
from tests.helpers import LiveClient, RunningServer, join, login, new_meeting

WILL_LET_IN = "Kerro muille, kuka olet"


async def _join_page(server: RunningServer, code: str) -> str:
    async with server.http(headers={"Accept-Language": "fi"}) as http:
        answer = await http.get(f"/join/{code}")
        assert answer.status_code == 200
        return answer.text


async def test_the_join_page_says_when_the_lobby_is_closed_or_the_meeting_over(
    server: RunningServer,
) -> None:
    chair_cookies = await login(server, "kalle", PASSWORD)
    meeting = await new_meeting(server, chair_cookies)
    code = meeting["join_code"]
    chair = await LiveClient.open(server, meeting["id"], chair_cookies)
    await chair.next_of("snapshot")
    page = await _join_page(server, code)
    assert WILL_LET_IN in page and 'name="name"' in page

    await chair.ok({"op": "meeting.lobby", "open": False})
    page = await _join_page(server, code)
    assert WILL_LET_IN not in page
    assert "Puheenjohtaja on sulkenut aulan" in page

    await chair.ok({"op": "meeting.close"})
    page = await _join_page(server, code)
    assert WILL_LET_IN not in page
    assert "Tapaaminen on päättynyt" in page
    assert 'name="name"' not in page  # no form that could only be refused
    await chair.close()


async def test_the_phone_page_is_gzipped_when_asked_and_the_socket_still_works(
    server: RunningServer,
) -> None:
    chair_cookies = await login(server, "kalle", PASSWORD)
    meeting = await new_meeting(server, chair_cookies)
    aino = await join(server, meeting, "Aino", "äiti", family=True)
    sizes = {}
    async with server.http(cookies=aino.cookies) as http:
        for encoding in ("gzip", "identity"):
            answer = await http.get(f"/m/{meeting['id']}", headers={"Accept-Encoding": encoding})
            assert answer.status_code == 200 and 'id="record"' in answer.text
            assert answer.headers.get("content-encoding") == (
                "gzip" if encoding == "gzip" else None
            )
            sizes[encoding] = answer.num_bytes_downloaded
            # The security headers are on the compressed answer too.
            assert "frame-ancestors" in answer.headers["content-security-policy"]
    assert sizes["gzip"] < sizes["identity"] / 2
    phone = await LiveClient.open(server, meeting["id"], aino.cookies)
    assert phone.you and phone.you["id"] == aino.participant
    await phone.close()
