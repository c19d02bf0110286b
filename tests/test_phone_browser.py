"""The phone's connection, told truthfully: declined, offline, back online."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import PHONE, new_page
from tests.helpers import RunningServer
from tests.test_screens import admit, chair_starts, join, links, next_phase, online


def test_a_declined_phone_is_told_calmly_and_stops_reconnecting(
    browser: Browser, server: RunningServer
) -> None:
    chair = chair_starts(browser, server.base, "Hypoteesityöskentely", "Aula")
    phone = new_page(browser, PHONE, mobile=True)
    join(phone, links(chair)["join"], "Tuntematon")
    chair.locator("#lobby li", has_text="Tuntematon").get_by_role("button", name="Hylkää").click()
    badge = phone.locator("#conn")
    expect(badge).to_have_attribute("data-state", "declined")
    expect(badge).to_have_text("Ei päästetty sisään")
    expect(phone.locator("#lobby-text")).to_have_text("Sinua ei päästetty tähän tapaamiseen.")
    expect(phone.locator("#lobby .waiting")).to_be_hidden()
    # No new socket is opened: the page waits for nothing.
    with pytest.raises(PlaywrightTimeout):
        phone.wait_for_event("websocket", timeout=3000)
    for page in (chair, phone):
        page.context.close()


def test_a_phone_that_loses_its_network_says_so_at_once_and_comes_back(
    browser: Browser, server: RunningServer
) -> None:
    chair = chair_starts(browser, server.base, "Hypoteesityöskentely", "Verkko")
    phone = new_page(browser, PHONE, mobile=True)
    join(phone, links(chair)["join"], "Aino", "äiti", family=True)
    admit(chair, "Aino")
    online(phone)
    badge = phone.locator("#conn")
    sockets: list[object] = []
    phone.on("websocket", lambda ws: sockets.append(ws))
    # The socket itself stays open (nothing closes it): the device's word is enough.
    phone.context.set_offline(True)
    expect(badge).to_have_attribute("data-state", re.compile("offline|connecting"), timeout=3000)
    phone.context.set_offline(False)
    expect(badge).to_have_attribute("data-state", "online", timeout=5000)
    assert sockets, "no new socket was opened"
    next_phase(chair, "Ydinkysymys", phone)
    for page in (chair, phone):
        page.context.close()
