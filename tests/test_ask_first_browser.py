"""Ask first as people do it: the scribe writes something sensitive about Aino and asks her
first; nobody else sees it, not even while it is typed; Aino asks for it to be worded her way,
the scribe takes that in, and when Aino approves it the room sees it. Phone-sized, axe-checked,
screenshots at every size."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser import shot, shots_at_every_size
from tests.helpers import RunningServer
from tests.test_chair_browser import axe_clean
from tests.test_screens import choose, family_room

SENSITIVE = "Äidin masennus on vaikeuttanut aamuja."
HER_WORDS = "Äiti on ollut uupunut, ja aamut ovat olleet raskaita."


def test_the_family_opens_sensitive_words_to_the_room(
    browser: Browser, server: RunningServer
) -> None:
    room = family_room(browser, server.base, "Kysy ensin")
    chair, aino, eetu, scribe = room.chair, room.aino, room.eetu, room.scribe

    # Asked of Aino first: not even the draft reaches Eetu's phone.
    choose(scribe, "#ask-first", "Aino")
    scribe.locator("#text").fill(SENSITIVE)
    expect(scribe.locator("#text")).to_have_value(SENSITIVE)
    axe_clean(scribe)
    scribe.locator("#text").press("Enter")
    expect(scribe.locator("#ask-first")).to_have_value("")
    waiting = scribe.locator(".entry", has_text=SENSITIVE)
    expect(waiting.locator(".ask-first.waiting")).to_contain_text("Aino")
    expect(chair.locator(".entry", has_text=SENSITIVE)).to_be_visible()
    shots_at_every_size(scribe, "ask-first-scribe-waiting")

    mine = aino.locator(".entry", has_text=SENSITIVE)
    expect(mine.locator(".ask-note")).to_contain_text("koskee sinua")
    axe_clean(aino)
    shots_at_every_size(aino, "ask-first-phone-asked")
    expect(eetu.locator(".entry", has_text=SENSITIVE)).to_have_count(0)
    expect(eetu.locator("body")).not_to_contain_text("masennus")

    # Aino asks for her own words; the scribe takes them in; still only the three see it.
    mine.get_by_role("button", name="Pyydä korjausta").click()
    aino.get_by_label("Miten sen pitäisi kuulua?").fill(HER_WORDS)
    aino.get_by_role("button", name="Lähetä pyyntö").click()
    scribe.locator(".entry", has_text=SENSITIVE).get_by_role(
        "button", name="Vastaa korjauspyyntöön (1)"
    ).click()
    scribe.get_by_role("button", name="Vie kirjaukseen").click()
    approved_here = aino.locator(".entry", has_text=HER_WORDS)
    expect(approved_here.get_by_role("button", name="Hyväksy")).to_be_visible()
    expect(eetu.locator("body")).not_to_contain_text("uupunut")

    approved_here.get_by_role("button", name="Hyväksy").click()
    for page in (eetu, chair, scribe, aino):
        expect(page.locator(".entry .text", has_text=HER_WORDS)).to_be_visible()
    expect(
        scribe.locator(".entry", has_text=HER_WORDS).locator(".ask-first.approved")
    ).to_contain_text("Aino")
    expect(eetu.locator("body")).not_to_contain_text("masennus")
    shots_at_every_size(eetu, "ask-first-phone-shared")
    shot(chair, "ask-first-chair-shared")
    for page in (chair, aino, eetu, scribe):
        page.context.close()
