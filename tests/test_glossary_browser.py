"""The plain-language companion as people use it: the scribe types a professional word and
takes the plain one with one key; on Aino's phone a professional word is marked and a tap says
what it means in her own language; Eetu says he does not understand an entry, and the chair sees
how many said so, not who. Phone-sized, axe-checked, screenshots at every size."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser import shot, shots_at_every_size
from tests.helpers import RunningServer
from tests.test_chair_browser import axe_clean
from tests.test_screens import family_room, online

JARGON = "Koulu teki lastensuojeluilmoituksen syksyllä"
PLAINER = "Koulu teki lastensuojeluilmoituksen (ilmoitus huolesta lapsesta) syksyllä"
SECOND = "Sovitaan SAP-palaveri joulukuulle."


def test_the_scribe_gets_plain_words_and_the_phone_explains_a_term(
    browser: Browser, server: RunningServer
) -> None:
    room = family_room(browser, server.base, "Selkokieli")
    chair, aino, eetu, scribe = room.chair, room.aino, room.eetu, room.scribe
    # Aino reads in Swedish: the phone's own language link.
    aino.goto(aino.url.split("?")[0] + "?lang=sv")
    online(aino)

    # The scribe writes a professional word, inflected; the plainer words are offered at once.
    text = scribe.locator("#text")
    text.fill(JARGON)
    offer = scribe.locator("#jargon")
    expect(offer).to_contain_text("lastensuojeluilmoituksen → ilmoitus huolesta lapsesta")
    axe_clean(scribe)
    shot(scribe, "glossary-scribe-offer")
    text.press("Alt+j")
    expect(text).to_have_value(PLAINER)
    expect(offer).to_be_hidden()
    text.press("Enter")
    text.fill(SECOND)
    expect(offer).to_contain_text("SAP-palaveri")
    text.press("Enter")

    # On the phone the words are marked; a tap tells what they mean, in Swedish for Aino.
    entry = aino.locator(".entry", has_text="SAP-palaveri")
    term = entry.get_by_role("button", name="SAP-palaveri")
    expect(term).to_have_attribute("aria-expanded", "false")
    term.click()
    expect(term).to_have_attribute("aria-expanded", "true")
    note = entry.locator(".term-note")
    expect(note).to_be_visible()
    expect(note).not_to_contain_text("Tapaaminen")
    axe_clean(aino)
    shots_at_every_size(aino, "glossary-phone-explained")
    term.click()
    expect(note).to_have_count(0)

    # Eetu says he does not understand; the chair sees a count, nobody's name.
    first = eetu.locator(".entry", has_text="ilmoitus huolesta lapsesta")
    button = first.get_by_role("button", name="En ymmärrä")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    count = chair.locator(".entry", has_text="ilmoitus huolesta lapsesta").locator(".unclear-count")
    expect(count).to_have_text("Ei ymmärtänyt: 1")
    expect(count).not_to_contain_text("Eetu")
    shot(chair, "glossary-chair-unclear")
    # He takes it back after the word was opened up in the room.
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(count).to_have_count(0)
    for page in (chair, aino, eetu, scribe):
        page.context.close()
