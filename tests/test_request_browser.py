"""A correction request as people make it: Aino asks on her phone for the entry to read as she
said it, the scribe takes it into the record from the entry itself, and Aino sees what became of
it; the chair answers another one in words. Phone- and laptop-sized, axe-checked."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser import LAPTOP, PHONE, new_page, shot, shots_at_every_size
from tests.helpers import RunningServer
from tests.test_chair_browser import axe_clean
from tests.test_screens import admit, chair_starts, join, links, make_scribe, online, write

SAID = "Aamut ovat vaikeita, koska Eetu valvoo."
MEANT = "Aamut ovat joskus vaikeita, kun Eetu valvoo myöhään."


def test_a_phone_asks_for_a_change_and_the_scribe_takes_it_in(
    browser: Browser, server: RunningServer
) -> None:
    chair = chair_starts(
        browser, server.base, "Hypoteesityöskentely", "Korjauspyyntö", bypass_csp=True
    )
    urls = links(chair)
    aino = new_page(browser, PHONE, mobile=True, bypass_csp=True)
    join(aino, urls["join"], "Aino", "äiti", family=True)
    scribe = new_page(browser, LAPTOP, bypass_csp=True)
    join(scribe, urls["scribe"], "Heidi", "perheohjaaja")
    for name in ("Aino", "Heidi"):
        admit(chair, name)
    make_scribe(chair, scribe, "Heidi")
    online(aino)
    write(scribe, SAID)

    entry = aino.locator(".entry", has_text=SAID)
    entry.get_by_role("button", name="Pyydä korjausta").click()
    wording = aino.get_by_label("Miten sen pitäisi kuulua?")
    expect(wording).to_be_focused()
    expect(wording).to_have_value(SAID)
    # Nothing changed and nothing said: the phone asks for one or the other, and sends nothing.
    aino.get_by_role("button", name="Lähetä pyyntö").click()
    expect(aino.get_by_label("Mikä ei pidä paikkaansa? (vapaaehtoinen)")).to_have_attribute(
        "aria-invalid", "true"
    )
    axe_clean(aino)
    shot(aino, "request-phone-asking")
    wording.fill(MEANT)
    aino.get_by_label("Mikä ei pidä paikkaansa? (vapaaehtoinen)").fill("Sanoin 'joskus'")
    aino.get_by_role("button", name="Lähetä pyyntö").click()

    # Aino's phone says it waits; the scribe and the chair see it beside the entry at once.
    waiting = aino.locator(".entry", has_text=SAID)
    expect(waiting.get_by_role("button", name="Pyyntösi odottaa vastausta")).to_be_disabled()
    expect(waiting.locator(".request.open")).to_contain_text("Aino (äiti) pyysi korjausta")
    expect(chair.locator(".entry .request.open")).to_contain_text(MEANT)
    answer = scribe.locator(".entry", has_text=SAID).get_by_role(
        "button", name="Vastaa korjauspyyntöön (1)"
    )
    expect(answer).to_be_visible()
    shots_at_every_size(scribe, "request-scribe-waiting")
    answer.click()
    taken = scribe.get_by_label("Kirjaukseen vietävä sanamuoto")
    expect(taken).to_be_focused()
    expect(taken).to_have_value(MEANT)
    axe_clean(scribe)
    shot(scribe, "request-scribe-answering")
    scribe.get_by_role("button", name="Vie kirjaukseen").click()

    # The record reads as Aino said it, on every screen, and Aino sees what became of her request.
    for page in (aino, scribe, chair):
        expect(page.locator(".entry .text", has_text=MEANT)).to_be_visible()
    done = aino.locator(".entry", has_text=MEANT)
    expect(done.locator(".request.accepted")).to_contain_text("viety kirjaukseen")
    expect(done.get_by_role("button", name="Pyydä korjausta")).to_be_enabled()
    shots_at_every_size(aino, "request-phone-done")
    axe_clean(aino)

    # Another request, answered by the chair in words: the entry stays as it is.
    done.get_by_role("button", name="Pyydä korjausta").click()
    aino.get_by_label("Mikä ei pidä paikkaansa? (vapaaehtoinen)").fill("Mitä 'valvoo' tarkoittaa?")
    aino.get_by_role("button", name="Lähetä pyyntö").click()
    chair_entry = chair.locator(".entry", has_text=MEANT)
    chair_entry.get_by_role("button", name="Vastaa korjauspyyntöön (1)").click()
    chair.get_by_label("Tai vastaa muuttamatta kirjausta").fill("Valvoo: on hereillä myöhään.")
    chair.get_by_role("button", name="Lähetä vastaus").click()
    expect(aino.locator(".entry .request.answered")).to_contain_text("Valvoo: on hereillä myöhään.")
    expect(aino.locator(".entry .text", has_text=MEANT)).to_be_visible()
    for page in (chair, aino, scribe):
        page.context.close()
