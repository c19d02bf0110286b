"""The record in a real browser: it is right, the room sees it being written, and it can be
corrected after the close by those who may. The fictional school-absence case
(/work/shared/examples/koulupoissaolot.toml) gives the people and the words."""

from __future__ import annotations

from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser import LAPTOP, PHONE, TAKE_SHOTS, new_page, shot
from tests.conftest import PASSWORD
from tests.helpers import RunningServer
from tests.test_screens import (
    admit,
    chair_starts,
    choose,
    close_meeting,
    join,
    links,
    make_scribe,
    online,
    write,
)

HYPOTHESES = (
    "Voisiko kyse olla siitä, että unirytmi on siirtynyt myöhäiseksi?",
    "Voisiko kyse olla siitä, että ryhmätyöt matematiikassa jännittävät?",
)


def room(browser: Browser, base: str, *, scribe_logged_in: bool = False) -> tuple[Page, ...]:
    """The chair's console, the scribe's editor and Aino's phone in one new meeting."""
    chair = chair_starts(browser, base, "Hypoteesityöskentely", "Koulunkäynnin tuki")
    urls = links(chair)
    scribe = new_page(browser, LAPTOP)
    if scribe_logged_in:
        # A professional with an account of their own, made the scribe of a colleague's meeting.
        scribe.goto(base + "/")
        scribe.get_by_label("Käyttäjätunnus").fill("jari")
        scribe.get_by_label("Salasana").fill(PASSWORD)
        scribe.get_by_role("button", name="Kirjaudu").click()
        expect(scribe.get_by_label("Otsikko")).to_be_visible()
    join(scribe, urls["scribe"], "Heidi", "kirjaaja")
    phone = new_page(browser, PHONE, mobile=True)
    join(phone, urls["join"], "Aino", "äiti", family=True)
    for name in ("Heidi", "Aino"):
        admit(chair, name)
    make_scribe(chair, scribe, "Heidi")
    return chair, scribe, phone


def goto_phase(chair: Page, index: int, title: str, *others: Page) -> None:
    chair.locator("#stepper button.step").nth(index).click()
    for page in (chair, *others):
        expect(page.locator(".phase-title")).to_have_text(title)


def section(page: Page, phase: str) -> Locator:
    return page.locator(f'section.phase[data-phase="{phase}"] li.entry:not(.pending)')


def shots(page: Page, name: str, where: str = "#locked") -> None:
    """The page at phone and laptop size, scrolled to what the test is about."""
    if not TAKE_SHOTS:
        return
    for size, viewport in (("phone", PHONE), ("laptop", LAPTOP)):
        page.set_viewport_size(viewport)
        page.locator(where).scroll_into_view_if_needed()
        shot(page, f"{name}-{size}")


def close(pages: tuple[Page, ...]) -> None:
    for page in pages:
        page.context.close()


def test_a_new_solution_starts_untied(browser: Browser, server: RunningServer) -> None:
    pages = chair, scribe, phone = room(browser, server.base)
    goto_phase(chair, 2, "Hypoteesit", scribe)
    for line in HYPOTHESES:
        write(scribe, line)
    goto_phase(chair, 4, "Ratkaisuehdotukset", scribe, phone)
    choose(scribe, "#answers", "2. Voisiko")
    write(scribe, "Kokeillaan matematiikassa pysyvää paria ryhmätöiden sijaan.", "Aino")
    # The next solution, typed without touching the list, answers nothing.
    expect(scribe.locator("#answers")).to_have_value("")
    write(scribe, "Mummo käy tiistaisin aamupäivällä.")
    solutions = section(phone, "solutions")
    expect(solutions).to_have_count(2)
    expect(solutions.nth(0).locator(".answers")).to_have_text("→ Vastaa kohtaan 2")
    expect(solutions.nth(1).locator(".answers")).to_have_count(0)
    expect(section(chair, "solutions").nth(1).locator(".answers")).to_have_count(0)
    close(pages)


def test_an_entry_goes_to_the_phase_it_was_started_in(
    browser: Browser, server: RunningServer
) -> None:
    pages = chair, scribe, phone = room(browser, server.base)
    goto_phase(chair, 2, "Hypoteesit", scribe)
    scribe.locator("#text").fill(HYPOTHESES[0])
    # Mid-sentence, the chair moves on: the scribe is told where the entry will go.
    goto_phase(chair, 3, "Perheen pohdinta", scribe, phone)
    moved = scribe.locator("#moved")
    expect(moved).to_contain_text("Puheenjohtaja siirtyi vaiheeseen Perheen pohdinta")
    expect(moved).to_contain_text("menee vaiheeseen Hypoteesit")
    expect(moved).to_have_attribute("aria-live", "polite")
    expect(scribe.locator("#phase")).to_have_value("hypotheses")
    expect(scribe.locator("#could-it-be")).to_be_visible()  # still the hypotheses' editor
    shots(scribe, "scribe-moved", "#moved")
    scribe.locator("#text").press("Enter")
    expect(section(chair, "hypotheses")).to_have_count(1)
    expect(section(chair, "hypotheses")).to_contain_text(HYPOTHESES[0])
    expect(section(phone, "reflection")).to_have_count(0)
    # Written, the scribe follows the chair again and the notice is gone.
    expect(moved).to_be_empty()
    expect(moved).to_be_hidden()
    expect(scribe.locator("#phase")).to_have_value("reflection")

    # Or the scribe chooses, visibly, to put it where the meeting is now.
    scribe.locator("#text").fill("Ryhmätyöt ja se, että äiti on yksin kotona.")
    goto_phase(chair, 4, "Ratkaisuehdotukset", scribe)
    moved.get_by_role("button", name="Siirrä se vaiheeseen Ratkaisuehdotukset").click()
    expect(moved).to_be_hidden()
    expect(scribe.locator("#phase")).to_have_value("solutions")
    scribe.locator("#text").press("Enter")
    expect(section(chair, "solutions")).to_have_count(1)
    expect(section(chair, "reflection")).to_have_count(0)
    close(pages)


def test_a_typed_voice_is_the_person_it_names(browser: Browser, server: RunningServer) -> None:
    pages = chair, scribe, phone = room(browser, server.base)
    jari = new_page(browser, PHONE, mobile=True)
    join(jari, links(chair)["join"], "Jari Perheohjaaja", "perheohjaaja")
    admit(chair, "Jari Perheohjaaja")
    goto_phase(chair, 2, "Hypoteesit", scribe, phone)
    write(scribe, HYPOTHESES[0], "Jari")
    write(scribe, HYPOTHESES[1], "Ai")
    write(scribe, "Voisiko kyse olla siitä, että Eetu on huolissaan äidistään?", "mummo")
    voices = section(phone, "hypotheses").locator(".voice")
    expect(voices).to_have_text(["Jari Perheohjaaja (perheohjaaja)", "Aino (äiti)", "mummo"])
    # Counted as people: heard in this phase, and among the family's voices.
    heard = chair.locator("#voices p").nth(0)
    expect(heard).to_contain_text("Jari Perheohjaaja (perheohjaaja)")
    expect(heard).to_contain_text("Aino (äiti)")
    expect(chair.locator("#voices p").nth(2)).to_contain_text("1 / 2")
    close((*pages, jari))


def test_the_chair_corrects_the_closed_record_and_a_scribe_without_an_account_is_not_offered_it(
    browser: Browser, server: RunningServer
) -> None:
    pages = chair, scribe, _phone = room(browser, server.base)
    goto_phase(chair, 2, "Hypoteesit", scribe)
    write(scribe, HYPOTHESES[0], "Aino")
    expect(scribe.locator("#record").get_by_role("button", name="Muokkaa")).to_have_count(1)
    close_meeting(chair)

    # The scribe's socket ends at the close: no control that cannot work, before a reload or after.
    locked = "Tapaaminen on päättynyt ja kirjaus lukittu. Puheenjohtaja voi vielä korjata sitä."
    for _ in range(2):
        expect(scribe.locator("#locked")).to_have_text(locked)
        expect(scribe.locator("#record .entry")).to_have_count(1)
        expect(scribe.locator("#record .entry button")).to_have_count(0)
        scribe.reload()
    scribe.locator("#record .entry").focus()
    scribe.keyboard.press("Delete")
    scribe.keyboard.press("Enter")
    expect(scribe.locator("#record .entry textarea")).to_have_count(0)

    # The chair, still connected, corrects it with the reason, and sees it saved.
    expect(chair.locator("#locked")).to_contain_text("valitse merkinnästä Korjaa")
    entry = chair.locator("#record .entry").first
    entry.get_by_role("button", name="Korjaa").click()
    entry.get_by_label("Korjattu teksti").fill(HYPOTHESES[1])
    entry.get_by_role("button", name="Tallenna korjaus").click()
    expect(entry.get_by_label("Korjauksen syy")).to_be_focused()  # a reason is needed
    entry.get_by_label("Korjauksen syy").fill("Kirjattu väärin: Aino puhui ryhmätöistä")
    entry.get_by_role("button", name="Tallenna korjaus").click()
    fixed = chair.locator("#record .entry").first
    expect(fixed.locator(".text")).to_have_text(HYPOTHESES[1])
    expect(fixed.locator(".correction")).to_contain_text("Aino puhui ryhmätöistä")
    expect(chair.locator("#conn")).not_to_contain_text("Ei vielä tallennettu")
    expect(scribe.locator("#compose")).to_be_hidden()  # no editor for a record that is locked
    shots(chair, "chair-closed-corrected")
    shots(scribe, "scribe-closed-no-account")
    # A reload of the chair's page still offers the correction.
    chair.reload()
    again = chair.locator("#record .entry").first
    expect(again.get_by_role("button", name="Korjaa")).to_be_visible()
    close(pages)


def test_a_scribe_with_an_account_corrects_the_closed_record(
    browser: Browser, server: RunningServer
) -> None:
    pages = chair, scribe, _phone = room(browser, server.base, scribe_logged_in=True)
    goto_phase(chair, 2, "Hypoteesit", scribe)
    write(scribe, HYPOTHESES[0], "Aino")
    close_meeting(chair)
    expect(scribe.locator("#locked")).to_contain_text("valitse merkinnästä Korjaa")
    entry = scribe.locator("#record .entry").first
    # Edit and Delete are gone without a reload; Correct is offered in their place.
    expect(entry.get_by_role("button", name="Muokkaa")).to_have_count(0)
    expect(entry.get_by_role("button", name="Poista")).to_have_count(0)
    scribe.reload()
    online(scribe)
    entry = scribe.locator("#record .entry").first
    entry.get_by_role("button", name="Korjaa").click()
    entry.get_by_label("Korjattu teksti").fill(HYPOTHESES[1])
    entry.get_by_label("Korjauksen syy").fill("Väärä hypoteesi kirjattu")
    entry.get_by_role("button", name="Tallenna korjaus").click()
    expect(scribe.locator("#record .entry").first.locator(".correction")).to_contain_text(
        "Väärä hypoteesi kirjattu"
    )
    expect(chair.locator("#record .entry").first.locator(".text")).to_have_text(HYPOTHESES[1])
    expect(scribe.locator("#conn")).not_to_contain_text("Ei vielä tallennettu")
    shots(scribe, "scribe-closed-corrected")
    close(pages)
