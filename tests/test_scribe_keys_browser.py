"""The scribe's keyboard: the same keys do the same thing in every phase, a moved entry keeps the
keyboard, and a half-typed entry survives a crashed or reloaded tab."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.helpers import RunningServer
from tests.test_record_browser import close, goto_phase, room, section
from tests.test_screens import online, write


def focused(page: Page) -> str:
    return page.evaluate("() => document.activeElement?.id || document.activeElement?.tagName")


def test_tab_goes_from_the_text_to_the_voice_in_every_phase(
    browser: Browser, server: RunningServer
) -> None:
    pages = chair, scribe, _phone = room(browser, server.base)
    for index, title in ((1, "Ydinkysymys"), (2, "Hypoteesit")):
        goto_phase(chair, index, title, scribe)
        scribe.locator("#text").focus()
        scribe.keyboard.press("Tab")
        assert focused(scribe) == "speaker", title
    # In the hypotheses, "could it be that …?" is still one Shift+Tab before the text.
    expect(scribe.locator("#could-it-be")).to_be_visible()
    scribe.locator("#text").focus()
    scribe.keyboard.press("Shift+Tab")
    assert focused(scribe) == "could-it-be"
    close(pages)


def test_a_moved_entry_keeps_the_keyboard(browser: Browser, server: RunningServer) -> None:
    pages = chair, scribe, _phone = room(browser, server.base)
    goto_phase(chair, 2, "Hypoteesit", scribe)
    write(scribe, "Voisiko kyse olla siitä, että aamut ovat kiireisiä?")
    entry = section(scribe, "hypotheses").first
    expect(entry).to_be_visible()
    entry_id = entry.get_attribute("data-entry")
    entry.focus()
    scribe.keyboard.press("Alt+ArrowDown")
    moved = section(scribe, "reflection").first
    expect(moved).to_have_attribute("data-entry", entry_id or "")
    expect(moved).to_be_focused()
    scribe.keyboard.press("Alt+ArrowUp")  # and back, still from the keyboard
    expect(section(scribe, "hypotheses").first).to_be_focused()
    close(pages)


def test_a_half_typed_entry_survives_a_reload(browser: Browser, server: RunningServer) -> None:
    pages = chair, scribe, _phone = room(browser, server.base)
    goto_phase(chair, 1, "Ydinkysymys", scribe)
    half = "Miten aamut sujuisivat niin, että"
    scribe.locator("#text").press_sequentially(half)
    scribe.reload()  # as a crashed tab is reloaded
    online(scribe)
    expect(scribe.locator("#text")).to_have_value(half)
    scribe.locator("#text").press_sequentially(" kaikki ehtivät?")
    scribe.locator("#text").press("Enter")
    expect(section(scribe, "core").first.locator(".text")).to_have_text(half + " kaikki ehtivät?")
    scribe.reload()  # once added, nothing is kept
    online(scribe)
    expect(scribe.locator("#text")).to_have_value("")
    close(pages)


def test_a_plan_step_with_its_owner_and_date_by_keyboard_alone(
    browser: Browser, server: RunningServer
) -> None:
    """What, who and by when, from the keyboard: every key press counted (the closing note of
    issue 17 gives the figure)."""
    pages = chair, scribe, phone = room(browser, server.base)
    goto_phase(chair, 5, "Suunnitelma", scribe, phone)
    keys = 0

    def typed(text: str) -> None:
        nonlocal keys
        scribe.keyboard.type(text)
        keys += len(text)

    def press(key: str) -> None:
        nonlocal keys
        scribe.keyboard.press(key)
        keys += 1

    scribe.locator("#text").focus()
    typed("Aino vie Eetun kouluun maanantaisin")
    press("Tab")  # the voice: a plan step needs none
    expect(scribe.locator("#speaker")).to_be_focused()
    press("Tab")  # past "own words"
    press("Tab")
    expect(scribe.locator("#owner")).to_be_focused()
    typed("Ai")  # the forgiving match makes this Aino
    press("Tab")
    expect(scribe.locator("#due")).to_be_focused()
    # The date field moves between its parts by itself. Headless Chromium's built-in field is
    # month first whatever the locale (a Finnish browser takes 14122026): the same eight keys.
    typed("12142026")
    press("Enter")
    step = section(phone, "plan")
    expect(step).to_have_count(1)
    expect(step).to_contain_text("Aino vie Eetun kouluun maanantaisin")
    expect(step.locator(".owner")).to_have_text("Vastuussa: Aino (äiti)")
    expect(step.locator(".due")).to_contain_text("14.12.2026")
    # The keyboard is back in the text for the next step, with the step's fields emptied.
    expect(scribe.locator("#text")).to_be_focused()
    expect(scribe.locator("#owner")).to_have_value("")
    print(f"Key presses for a plan step of 35 characters: {keys}")
    assert keys == 35 + 2 + 8 + 5
    close(pages)
