"""The chair's console in the browser: the bar always in sight, the round's order, the handover
confirmed and taken back, the console after the close (and the phones' quiet after it)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import LAPTOP, PHONE, new_page, shot
from tests.helpers import RunningServer
from tests.test_accessibility import AXE, WCAG_TAGS
from tests.test_screens import admit, chair_starts, join, links, make_scribe, online

ADMIT = "Päästä sisään"


def axe_clean(page: Page) -> None:
    """axe-core finds no WCAG violation on the page as it is now (the context bypasses the CSP
    only to add axe itself)."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    assert not results["violations"], [v["id"] for v in results["violations"]]


def tabs_to(page: Page, text: str, limit: int = 60) -> int:
    """How many Tab presses from the top of the page reach the first control saying `text`."""
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.textContent?.trim()") == text:
            return n
    raise AssertionError(f"Tab never reached {text!r}")


def scroll_to_bottom(page: Page) -> None:
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("() => window.scrollY > 0")


def both_sizes(page: Page, name: str) -> None:
    for size, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        shot(page, f"{name}-{size}")
    page.set_viewport_size(LAPTOP)


def test_the_bar_keeps_the_hands_the_round_and_the_phase_in_sight(
    browser: Browser, server: RunningServer
) -> None:
    chair = chair_starts(browser, server.base, "Hypoteesityöskentely", "Palkki", bypass_csp=True)
    urls = links(chair)
    people = {}
    for name, role in (("Aino", "äiti"), ("Eetu", "nuori, 14 v."), ("Heidi", "kirjaaja")):
        people[name] = new_page(browser, PHONE, mobile=True)
        join(people[name], urls["join"], name, role, family=name != "Heidi")
    expect(chair.locator("#lobby li.waiting")).to_have_count(3)
    # The first Admit is a few Tab presses from the top of the page (it was 20).
    chair.reload()
    online(chair)
    presses = tabs_to(chair, ADMIT)
    print(f"Tab presses to the first Admit: {presses}")
    assert presses <= 8
    for name in people:
        admit(chair, name)
    make_scribe(chair, people["Heidi"], "Heidi")

    # Far down the console, the hands still show, in the order they went up (in one second).
    scroll_to_bottom(chair)
    people["Eetu"].get_by_role("button", name="Haluan sanoa jotain").click()
    people["Aino"].get_by_role("button", name="Haluan sanoa jotain").click()
    hands = chair.locator("#hands-list li .name")
    expect(hands).to_have_text(["Eetu", "Aino"])
    expect(chair.locator("#hands-list")).to_be_in_viewport()
    expect(chair).to_have_title(re.compile(r"^Käsiä ylhäällä: 2 · "))
    expect(chair.locator("#next")).to_be_in_viewport()
    both_sizes(chair, "chair-bar-hands")
    axe_clean(chair)

    # The round: the chair sets the order, the young person first; chair and scribe left out.
    chair.get_by_role("button", name="Aloita kierros").click()
    setup = chair.locator("#round-order")
    expect(setup.locator("li")).to_have_count(4)
    for name in ("Heidi", "Kalle"):
        expect(setup.locator("li", has_text=name).locator("input")).not_to_be_checked()
    while not (setup.locator("li").first.text_content() or "").strip().startswith("Eetu"):
        setup.get_by_role("button", name="Siirrä ylemmäs: Eetu").click()
    chair.get_by_role("button", name="Aloita tässä järjestyksessä").click()
    scroll_to_bottom(chair)
    expect(chair.locator("#bar-speaker")).to_contain_text("Eetu")
    expect(chair.locator("#bar-speaker")).to_contain_text("Aino")
    expect(chair.locator("#bar-round")).to_be_in_viewport()
    both_sizes(chair, "chair-bar-round")
    expect(people["Eetu"].locator("#dialogue .round")).to_contain_text("Sinun vuorosi")
    chair.locator("#round-next").click()
    expect(people["Aino"].locator("#dialogue .round")).to_contain_text("Sinun vuorosi")
    chair.locator("#round-next").click()  # the round ends: Heidi and Kalle were not in it
    expect(chair.locator("#bar-round")).to_be_hidden()
    # Next phase, from the bottom of the console.
    chair.locator("#next").click()
    expect(people["Aino"].locator(".phase-title")).to_have_text("Ydinkysymys")
    expect(chair.locator("#bar-phase")).to_contain_text("2/")
    for page in (chair, *people.values()):
        page.context.close()


def test_the_handover_is_confirmed_and_the_owner_takes_the_chair_back(
    browser: Browser, server: RunningServer
) -> None:
    chair = chair_starts(browser, server.base, "Hypoteesityöskentely", "Luovutus", bypass_csp=True)
    aino = new_page(browser, PHONE, mobile=True)
    join(aino, links(chair)["join"], "Aino", "äiti", family=True)
    admit(chair, "Aino")
    chair.locator("#people li", has_text="Aino").get_by_role(
        "button", name="Siirrä puheenjohtajuus"
    ).click()
    dialog = chair.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Siirretäänkö puheenjohtajuus henkilölle Aino?")
    expect(dialog).to_contain_text("ei ole tunnuksia")
    both_sizes(chair, "chair-handover-dialog")
    axe_clean(chair)
    dialog.get_by_role("button", name="Peruuta").click()
    expect(dialog).to_be_hidden()
    expect(chair.locator("#chairbar")).to_be_visible()  # nothing was handed over
    chair.locator("#people li", has_text="Aino").get_by_role(
        "button", name="Siirrä puheenjohtajuus"
    ).click()
    dialog.get_by_role("button", name="Siirrä puheenjohtajuus").click()
    expect(aino.locator("#chairbar")).to_be_visible()
    # The owner's view, even after a reload, offers the chair back.
    expect(chair.locator("#reclaim")).to_be_visible()
    chair.reload()
    expect(chair.locator("#reclaim")).to_be_visible()
    shot(chair, "owner-reclaim-laptop")
    chair.get_by_role("button", name="Ota puheenjohtajuus takaisin").click()
    expect(chair.locator("#chairbar")).to_be_visible()
    expect(aino.locator("#chairbar")).to_have_count(0)
    expect(aino.get_by_role("button", name="Haluan sanoa jotain")).to_be_visible()
    for page in (chair, aino):
        page.context.close()


def test_after_the_close_the_console_says_so_and_the_phones_stay_quiet(
    browser: Browser, server: RunningServer
) -> None:
    chair = chair_starts(browser, server.base, "Hypoteesityöskentely", "Päätös", bypass_csp=True)
    urls = links(chair)
    aino = new_page(browser, PHONE, mobile=True)
    errors: list[str] = []
    aino.on("pageerror", lambda err: errors.append(str(err)))
    join(aino, urls["join"], "Aino", "äiti", family=True)
    expect(chair.locator("#knock")).to_contain_text("Aino")
    admit(chair, "Aino")
    # The banner no longer says someone waits once they are in.
    expect(chair.locator("#knock")).to_be_hidden(timeout=3000)
    chair.get_by_role("button", name="Käynnistä ajastin").click()
    expect(aino.locator("#timer")).to_be_visible()

    chair.get_by_role("button", name="Päätä tapaaminen").click()
    dialog = chair.get_by_role("dialog")
    expect(dialog.get_by_role("button", name="Päätä ja jaa perheen yhteenveto")).to_be_focused()
    chair.keyboard.press("Enter")  # the default: close and share the family's summary
    expect(chair.locator("#closed")).to_be_visible()
    expect(chair.locator("#closed")).to_be_in_viewport()
    expect(chair.locator("#summary-qr img")).to_be_visible()
    expect(chair.locator("#feedback-count")).to_be_in_viewport()
    expect(chair.locator("#bar-closed")).to_be_visible()
    # Nothing that can no longer work is offered.
    for hidden in ("#conn", "#next", "#prev", "#lobby-toggle", "#close-meeting", "#timer"):
        expect(chair.locator(hidden)).to_be_hidden()
    expect(chair.locator("#people button")).to_have_count(0)
    expect(chair.locator("#stepper button:enabled")).to_have_count(0)
    # The phone shows the summary in the same step, and throws no error a second after.
    expect(aino.locator("#summary-for-me")).to_be_visible()
    with pytest.raises(PlaywrightTimeout):
        aino.wait_for_event("pageerror", timeout=2500)
    assert errors == []
    aino.locator("fieldset", has_text="kuulluksi").locator("input[value='5']").check()
    aino.locator("fieldset", has_text="etenevät").locator("input[value='4']").check()
    aino.locator("fieldset", has_text="yhdessä").locator("input[value='5']").check()
    aino.get_by_role("button", name="Lähetä").click()
    expect(chair.locator("#feedback-count")).to_contain_text("1")
    chair.evaluate("() => window.scrollTo(0, 0)")
    both_sizes(chair, "chair-closed")
    axe_clean(chair)
    for page in (chair, aino):
        page.context.close()


def test_the_frames_are_a_page_with_a_title_and_a_language(
    browser: Browser, server: RunningServer
) -> None:
    page = new_page(browser, LAPTOP)
    page.goto(f"{server.base}/api/frames")
    expect(page).to_have_title("Keskustelukehykset · Avoin")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_role("heading", name="Hypoteesityöskentely")).to_be_visible()
    page.context.close()


def test_removing_and_deleting_ask_in_the_page_and_cancel_changes_nothing(
    browser: Browser, server: RunningServer
) -> None:
    chair = chair_starts(browser, server.base, "Hypoteesityöskentely", "Kysy ensin")
    asked: list[str] = []
    chair.on("dialog", lambda d: (asked.append(d.message), d.dismiss()))  # a browser confirm()
    phone = new_page(browser, PHONE, mobile=True)
    join(phone, links(chair)["join"], "Aino", "äiti", family=True)
    admit(chair, "Aino")

    remove = chair.locator("#people li", has_text="Aino").get_by_role("button", name="Poista")
    remove.focus()
    chair.keyboard.press("Enter")
    dialog = chair.get_by_role("dialog", name="Poistetaanko Aino tapaamisesta?")
    expect(dialog).to_be_visible()
    # Cancel has the focus: a second Enter by habit removes nobody.
    expect(dialog.get_by_role("button", name="Peruuta")).to_be_focused()
    both_sizes(chair, "chair-remove-asks")
    chair.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    expect(remove).to_be_focused()
    expect(chair.locator("#people li", has_text="Aino")).to_be_visible()
    expect(phone.locator("#inside")).to_be_visible()

    remove.click()
    chair.get_by_role("dialog").get_by_role("button", name="Poista").click()
    expect(chair.locator("#people li", has_text="Aino")).to_have_count(0)

    delete = chair.get_by_role("button", name="Poista tapaaminen ja sen kirjaus nyt")
    delete.click()
    dialog = chair.get_by_role("dialog", name=re.compile("Poistetaanko tämä tapaaminen"))
    expect(dialog).to_be_visible()
    chair.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert "/m/" in chair.url
    delete.click()
    dialog.get_by_role("button", name="Poista").click()
    chair.wait_for_url(server.base + "/")
    assert asked == []
    for page in (chair, phone):
        page.context.close()


def test_a_wrong_phase_step_is_undone_with_one_click(
    browser: Browser, server: RunningServer
) -> None:
    """ "Oops, wrong phase": after a step the chair is offered the way back for ten seconds; the
    keyboard stays on Next, so a second press steps on and never undoes."""
    chair = chair_starts(browser, server.base, "Hypoteesityöskentely", "Väärä vaihe")
    phone = new_page(browser, PHONE, mobile=True)
    join(phone, links(chair)["join"], "Aino", "äiti", family=True)
    admit(chair, "Aino")
    expect(phone.locator(".phase-title")).to_have_text("Aloitus")

    chair.get_by_role("button", name="Seuraava vaihe").click()
    chair.get_by_role("button", name="Seuraava vaihe").click()
    expect(phone.locator(".phase-title")).to_have_text("Hypoteesit")
    toast = chair.locator("#phase-undo")
    expect(toast).to_have_text(re.compile("Siirrytty vaiheeseen Hypoteesit."))
    expect(toast).to_have_attribute("role", "status")
    expect(chair.get_by_role("button", name="Seuraava vaihe")).to_be_focused()
    both_sizes(chair, "chair-phase-undo")
    toast.get_by_role("button", name="Kumoa").click()
    expect(phone.locator(".phase-title")).to_have_text("Ydinkysymys")
    expect(chair.locator(".phase-title")).to_have_text("Ydinkysymys")
    # The undo is itself a step: it can be taken back the same way.
    expect(toast).to_have_text(re.compile("Siirrytty vaiheeseen Ydinkysymys."))

    # The offer goes away by itself after ten seconds (UNDO_MS, app/static/js/dom.js).
    expect(toast).to_be_hidden(timeout=15_000)

    # Closed within the ten seconds: the offer is taken back, not left over the record.
    chair.get_by_role("button", name="Seuraava vaihe").click()
    expect(toast).to_be_visible()
    chair.get_by_role("button", name="Päätä tapaaminen").click()
    dialog = chair.get_by_role("dialog")
    dialog.get_by_role("button", name="Päätä ja jaa perheen yhteenveto").click()
    expect(chair.locator("#closed")).to_be_visible()
    expect(toast).to_be_hidden(timeout=2000)
    for page in (chair, phone):
        page.context.close()
