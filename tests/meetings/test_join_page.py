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


async def test_the_phones_scripts_are_gzipped_its_page_never_and_the_socket_still_works(
    server: RunningServer,
) -> None:
    chair_cookies = await login(server, "kalle", PASSWORD)
    meeting = await new_meeting(server, chair_cookies)
    aino = await join(server, meeting, "Aino", "äiti", family=True)
    sizes = {}
    async with server.http(cookies=aino.cookies) as http:
        for encoding in ("gzip", "identity"):
            script = await http.get("/static/js/phone.js", headers={"Accept-Encoding": encoding})
            assert script.status_code == 200
            assert script.headers.get("content-encoding") == (
                "gzip" if encoding == "gzip" else None
            )
            sizes[encoding] = script.num_bytes_downloaded
        # A page holds secrets beside text its address puts there: never compressed (BREACH).
        page = await http.get(f"/m/{meeting['id']}", headers={"Accept-Encoding": "gzip"})
        assert page.status_code == 200 and 'id="record"' in page.text
        assert page.headers.get("content-encoding") is None
        assert "frame-ancestors" in page.headers["content-security-policy"]
    assert sizes["gzip"] < sizes["identity"] / 2
    phone = await LiveClient.open(server, meeting["id"], aino.cookies)
    assert phone.you and phone.you["id"] == aino.participant
    await phone.close()
