"""Each person's pages follow their own device's language until they choose one; the meeting's
language is only the fallback (issue 17, item 10)."""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser, expect

from app.i18n import accepted_languages
from tests.browser import PHONE, new_page
from tests.conftest import PASSWORD
from tests.helpers import RunningServer


def finnish_meeting(server: RunningServer) -> dict[str, str]:
    with httpx.Client(base_url=server.base, timeout=10) as http:
        http.post("/api/session", json={"username": "kalle", "password": PASSWORD})
        answer = http.post("/api/meetings", json={"title": "Tuki", "frame": "hypothesis"})
        answer.raise_for_status()
        return answer.json()


def test_accept_language_is_read_in_order_of_quality() -> None:
    assert accepted_languages("de-DE,en;q=0.5,sv;q=0.8") == ["de-DE", "sv", "en"]
    assert accepted_languages("fi") == ["fi"]
    assert accepted_languages("*, en;q=0") == []
    assert accepted_languages("sv;q=oops, en") == ["en"]
    assert accepted_languages("") == []


def test_a_swedish_phone_joins_in_swedish_and_an_english_one_in_english(
    server: RunningServer, browser: Browser
) -> None:
    meeting = finnish_meeting(server)
    join = f"{server.base}/join/{meeting['join_code']}"

    swedish = new_page(browser, PHONE, mobile=True, locale="sv-FI")
    swedish.goto(f"{server.base}/join")
    expect(swedish.locator("html")).to_have_attribute("lang", "sv")
    swedish.goto(join)  # the QR code's link: the meeting is known, and Finnish
    expect(swedish.locator("html")).to_have_attribute("lang", "sv")
    swedish.get_by_label("Ditt namn").fill("Sara")
    swedish.get_by_role("button", name="Gå med").click()
    expect(swedish.locator("#lobby")).to_be_visible()
    expect(swedish.locator("html")).to_have_attribute("lang", "sv")

    english = new_page(browser, PHONE, mobile=True, locale="en-GB")
    english.goto(join)
    expect(english.locator("html")).to_have_attribute("lang", "en")
    expect(english.get_by_label("Your name")).to_be_visible()

    # A device in a language Avoin does not speak gets the meeting's.
    german = new_page(browser, PHONE, mobile=True, locale="de-DE")
    german.goto(join)
    expect(german.locator("html")).to_have_attribute("lang", "fi")

    # A person's own choice wins over their device, and stays.
    english.goto(join + "?lang=fi")
    expect(english.locator("html")).to_have_attribute("lang", "fi")
    english.goto(join)
    expect(english.locator("html")).to_have_attribute("lang", "fi")
    for page in (swedish, english, german):
        page.context.close()
