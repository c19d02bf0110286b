"""The pages in a real browser (Debian's Chromium through Playwright): the scribe types, a phone
sees it. Screenshots of the four views are saved under docs/screenshots/."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser import LAPTOP, PHONE, PROJECTOR, new_page, shot
from tests.conftest import PASSWORD
from tests.helpers import RunningServer

_page = new_page
_shot = shot


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
    # The scribe writes once they see the new phase (an entry goes where it was started).
    expect(scribe.locator("#phase")).to_have_value("hypotheses")
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

    for page in (chair, phone, scribe, screen):
        page.context.close()
