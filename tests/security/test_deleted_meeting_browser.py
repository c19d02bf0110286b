"""Issue 16: a tab left open on a deleted meeting (close code 4004) stops reconnecting, forgets
the record and says that the meeting is gone."""

from __future__ import annotations

from playwright.sync_api import Browser, WebSocket, expect

from tests.browser import LAPTOP, PHONE, new_page
from tests.conftest import PASSWORD
from tests.helpers import RunningServer


def test_a_tab_on_a_deleted_meeting_clears_the_record_and_stops(
    server: RunningServer, browser: Browser
) -> None:
    chair = new_page(browser, LAPTOP)
    chair.goto(server.base + "/")
    chair.get_by_label("Käyttäjätunnus").fill("kalle")
    chair.get_by_label("Salasana").fill(PASSWORD)
    chair.get_by_role("button", name="Kirjaudu").click()
    chair.get_by_label("Otsikko").fill("Poistuva tapaaminen")
    chair.get_by_role("button", name="Aloita tapaaminen").click()
    expect(chair.locator("#conn")).to_have_attribute("data-state", "online")
    join_link = chair.locator("details.links code").nth(1).text_content() or ""
    meeting_id = chair.url.rstrip("/").split("/m/")[1].split("?")[0]

    phone = new_page(browser, PHONE, mobile=True)
    sockets: list[WebSocket] = []
    phone.on("websocket", lambda ws: sockets.append(ws))
    phone.goto(join_link)
    phone.get_by_label("Nimesi").fill("Aino")
    phone.get_by_role("button", name="Liity").click()
    expect(phone.locator("#lobby")).to_be_visible()
    chair.locator("#lobby li", has_text="Aino").get_by_role("button", name="Päästä sisään").click()
    expect(phone.locator("#inside")).to_be_visible()
    chair.get_by_role("button", name="Seuraava vaihe").click()
    expect(phone.locator(".phase-title")).to_have_text("Ydinkysymys")
    opened = len(sockets)

    gone = chair.request.delete(
        f"{server.base}/api/meetings/{meeting_id}", headers={"Origin": server.base}
    )
    assert gone.status == 200
    expect(phone.get_by_text("Tämä tapaaminen on poistettu.")).to_be_visible()
    expect(phone.locator(".phase-title")).to_have_count(0)
    assert "Ydinkysymys" not in phone.content()
    # A reconnect would come within a second (the first back-off is half of one): none does.
    phone.wait_for_timeout(2000)
    assert len(sockets) == opened
    for page in (chair, phone):
        page.context.close()
