"""The pages in a real browser (Debian's Chromium through Playwright): the scribe types, a phone
sees it. Screenshots of the four views are saved under docs/screenshots/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import PASSWORD
from tests.helpers import RunningServer

CHROMIUM = os.environ.get("AVOIN_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 820}
PROJECTOR = {"width": 1920, "height": 1080}

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (apt-get install chromium)",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def _page(browser: Browser, viewport: dict[str, int], mobile: bool = False) -> Page:
    context = browser.new_context(
        viewport=viewport, is_mobile=mobile, has_touch=mobile, locale="fi-FI"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_scribe_types_and_the_phone_sees_it(server: RunningServer, browser: Browser) -> None:
    # The chair logs in and starts a meeting.
    chair = _page(browser, LAPTOP)
    chair.goto(server.base + "/")
    chair.get_by_label("Käyttäjätunnus").fill("kalle")
    chair.get_by_label("Salasana").fill(PASSWORD)
    chair.get_by_role("button", name="Kirjaudu").click()
    chair.get_by_label("Otsikko").fill("Koulunkäynnin tuki")
    chair.get_by_role("button", name="Aloita tapaaminen").click()
    expect(chair.locator("#conn")).to_have_attribute("data-state", "online")
    join_link = chair.locator("details.links code").nth(1).text_content() or ""
    scribe_link = chair.locator("details.links code").nth(0).text_content() or ""
    screen_link = chair.locator("details.links a").first.get_attribute("href")
    assert join_link.startswith(server.base) and screen_link

    # A parent joins on a phone and waits in the lobby.
    phone = _page(browser, PHONE, mobile=True)
    phone.goto(join_link)
    phone.get_by_label("Nimesi").fill("Aino")
    phone.get_by_label("Roolisi (vapaaehtoinen)").fill("äiti")
    phone.get_by_label("Olen perheestä tai sen läheisverkostosta").check()
    phone.get_by_role("button", name="Liity").click()
    expect(phone.locator("#lobby")).to_be_visible()
    _shot(phone, "phone-lobby")

    # The scribe joins with the scribe's link.
    scribe = _page(browser, LAPTOP)
    scribe.goto(scribe_link)
    scribe.get_by_label("Nimesi").fill("Heidi")
    scribe.get_by_role("button", name="Liity").click()
    expect(scribe.locator("#lobby")).to_be_visible()

    # The chair lets both in and makes Heidi the scribe.
    lobby = chair.locator("#lobby")
    for name in ("Aino", "Heidi"):
        lobby.locator("li", has_text=name).get_by_role("button", name="Päästä sisään").click()
    expect(phone.locator("#inside")).to_be_visible()
    chair.locator("#people li", has_text="Heidi").get_by_role(
        "button", name="Tee kirjaajaksi"
    ).click()
    expect(scribe.locator("#compose")).to_be_visible()

    # The chair moves to the core question; the scribe writes it; the phone sees it live.
    chair.get_by_role("button", name="Seuraava vaihe").click()
    expect(phone.locator(".phase-title")).to_have_text("Ydinkysymys")
    expect(scribe.locator("#phase")).to_have_value("core")
    text = "Miten pääsisin aamuisin kouluun niin, ettei vatsa mene kipeäksi?"
    scribe.locator("#speaker").fill("Aino (äiti)")
    scribe.locator("#text").fill(text)
    scribe.locator("#text").press("Enter")
    expect(phone.locator(".entry .text")).to_have_text(text)
    expect(phone.locator(".entry .voice")).to_have_text("Aino (äiti)")
    expect(scribe.locator("#text")).to_have_value("")

    screen = _page(browser, PROJECTOR)
    screen.goto(screen_link)
    expect(screen.locator(".entry .text")).to_have_text(text)

    # A few more entries so that the screenshots show a record.
    chair.get_by_role("button", name="Seuraava vaihe").click()
    for line in (
        "Voisiko kyse olla siitä, että unirytmi on siirtynyt myöhäiseksi?",
        "Voisiko kyse olla siitä, että ryhmätyöt matematiikassa jännittävät?",
    ):
        scribe.locator("#text").fill(line)
        scribe.locator("#text").press("Enter")
    expect(phone.locator(".phase.current .entry")).to_have_count(2)
    scribe.locator("#text").fill("Voisiko kyse olla siitä, että Eetu on huolissaan")
    expect(screen.locator("#draft")).to_contain_text("huolissaan")
    phone.get_by_role("button", name="Haluan sanoa jotain").click()
    expect(chair.locator("#people .hand-up")).to_have_count(1)

    _shot(chair, "chair-laptop")
    _shot(scribe, "scribe-laptop")
    _shot(screen, "screen-projector")
    _shot(phone, "phone")
    for page, name in ((chair, "chair-phone"), (scribe, "scribe-phone"), (screen, "screen-phone")):
        page.set_viewport_size(PHONE)
        _shot(page, name)
    phone.set_viewport_size(PROJECTOR)
    _shot(phone, "phone-projector")
    for page in (chair, phone, scribe, screen):
        page.context.close()
