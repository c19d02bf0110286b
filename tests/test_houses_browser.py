"""The child's own voice as it happens: a worker fills Eetu's three houses with him in the
preparation, at phone size; in the meeting the chair sees them and asks Eetu, nobody else sees
them; Eetu says "not now", then "yes" on his own phone, and his words enter the record as his
own. Then an interpreter in the same room asks for a pause, and the chair goes on. Axe-checked,
screenshots at every size."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser import LAPTOP, PHONE, new_page, shot, shots_at_every_size
from tests.conftest import PASSWORD
from tests.helpers import RunningServer
from tests.test_chair_browser import axe_clean
from tests.test_screens import admit, choose, join, links, online

THINGS = [
    ("worries", "Koulumatka pelottaa", "🚌"),
    ("good", "Mummon luona on kivaa", ""),
    ("dreams", "Oma koira", "🐶"),
]


def logged_in(page: Page, server: RunningServer) -> Page:
    page.goto(server.base + "/cases")
    page.get_by_label("Käyttäjätunnus").fill("kalle")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu").click()
    page.wait_for_url("**/cases")
    return page


def test_the_childs_houses_are_shown_only_when_the_child_agrees(
    browser: Browser, server: RunningServer
) -> None:
    worker = logged_in(new_page(browser, PHONE, mobile=True, bypass_csp=True), server)
    worker.locator("#new-label").fill("Perhe K, aamut")
    worker.locator("#new-role-named_worker").check()
    worker.locator("form[action='/cases'] button[type=submit]").click()
    worker.wait_for_url("**/cases/c_*")
    case_url = worker.url.split("?")[0].split("#")[0]
    for house, text, picture in THINGS:
        worker.locator("#houses-house").select_option(house)
        worker.locator("#houses-text").fill(text)
        worker.locator("#houses-picture").select_option(picture)
        worker.locator("#houses form.case-add button").click()
        worker.wait_for_url("**saved=houses*")
    houses = worker.locator("#houses .houses")
    expect(houses.locator(".house-worries")).to_contain_text("Koulumatka pelottaa")
    expect(houses.locator(".house-dreams")).to_contain_text("🐶")
    axe_clean(worker)
    shots_at_every_size(worker, "houses-preparation")
    # An empty text is refused at its field and adds nothing.
    worker.locator("#houses-text").fill("")
    worker.locator("#houses form.case-add button").click()
    expect(worker.locator("#houses-text")).to_have_attribute("aria-invalid", "true")

    # The meeting of the case: the chair sees the houses; the room does not.
    chair = logged_in(new_page(browser, LAPTOP, bypass_csp=True), server)
    chair.goto(case_url)
    chair.locator("#meetings form.case-add button[type=submit]").click()
    chair.wait_for_url("**/m/*")
    urls = links(chair)
    eetu = new_page(browser, PHONE, mobile=True, bypass_csp=True)
    join(eetu, urls["join"], "Eetu", "nuori", family=True)
    aino = new_page(browser, PHONE, mobile=True, bypass_csp=True)
    join(aino, urls["join"], "Aino", "äiti", family=True)
    for name in ("Eetu", "Aino"):
        admit(chair, name)
    online(eetu)
    online(aino)
    card = chair.locator("#houses")
    expect(card.locator(".house-worries")).to_contain_text("Koulumatka pelottaa")
    expect(card.locator("#houses-status")).to_contain_text("Ei näytetty kenellekään")
    axe_clean(chair)
    shot(chair, "houses-chair-ready")
    choose(chair, "#houses-child", "Eetu")
    chair.get_by_role("button", name="Kysy lapselta, saako ne näyttää").click()

    mine = eetu.locator("#my-houses")
    expect(mine).to_be_visible()
    expect(mine.locator(".house-good")).to_contain_text("Mummon luona on kivaa")
    expect(aino.locator("body")).not_to_contain_text("Koulumatka")
    axe_clean(eetu)
    shots_at_every_size(eetu, "houses-child-asked")
    mine.get_by_role("button", name="Ei nyt").click()
    expect(mine).to_be_hidden()
    expect(card.locator("#houses-status")).to_contain_text("ei halunnut näyttää")
    expect(aino.locator("body")).not_to_contain_text("Koulumatka")

    # Asked again later: yes. His words are in the record, as his own, on every screen.
    chair.get_by_role("button", name="Kysy lapselta, saako ne näyttää").click()
    mine.get_by_role("button", name="Kyllä, näytetään").click()
    for page in (aino, chair, eetu):
        entry = page.locator(".entry", has_text="Koulumatka pelottaa")
        expect(entry).to_contain_text("Huolet: 🚌 Koulumatka pelottaa")
        expect(entry.locator(".tag", has_text="omin sanoin")).to_be_visible()
    expect(card).to_be_hidden()
    shots_at_every_size(aino, "houses-shown")

    # An interpreter: the chair makes Aino's interpreter one; the pause reaches the chair's bar.
    samir = new_page(browser, PHONE, mobile=True, bypass_csp=True)
    join(samir, urls["join"], "Samir", "tulkki")
    admit(chair, "Samir")
    online(samir)
    person = chair.locator("#people li", has_text="Samir")
    person.get_by_role("button", name="Tee tulkiksi").click()
    expect(person.locator(".badge.interpreter")).to_have_text("tulkki")
    expect(chair.locator("#timer-interpreting")).to_be_checked()
    pause = samir.get_by_role("button", name="Tauko tulkkausta varten")
    pause.click()
    signal = chair.locator("#pause-signal")
    expect(signal).to_contain_text("Samir pyytää taukoa tulkkausta varten")
    expect(samir.get_by_role("button", name="Tauko pyydetty: peru pyyntö")).to_have_attribute(
        "aria-pressed", "true"
    )
    axe_clean(samir)
    shot(chair, "interpreter-pause-chair")
    signal.get_by_role("button", name="Jatketaan").click()
    expect(signal).to_be_hidden()
    expect(pause).to_have_attribute("aria-pressed", "false")
    chair.get_by_role("button", name="Käynnistä ajastin").click()
    expect(chair.locator("#timer")).to_contain_text("sis. tulkkausajan")
    for page in (worker, chair, eetu, aino, samir):
        page.context.close()
