"""Reading aloud on a phone, with the browser's speech synthesis stubbed in the page so that what
would be spoken, and with which voice, is recorded: the device's own voice reads the question, an
entry and the whole plan; a voice of a remote service is never chosen, and a phone with no voice
of its own for the language says so instead of failing silently."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.browser import LAPTOP, PHONE, new_page, shot
from tests.helpers import RunningServer
from tests.test_chair_browser import axe_clean
from tests.test_screens import admit, chair_starts, choose, join, links, make_scribe, online, write

# The page's `speechSynthesis`, replaced before any of its scripts run. `window.__voices` sets
# what the device offers; `window.__spoken` is what it was asked to say, and with which voice.
STUB = """
window.__spoken = [];
window.__voices = %s;
const speech = {
  speaking: false,
  getVoices: () => window.__voices,
  speak: (u) => window.__spoken.push({ text: u.text, voice: u.voice ? u.voice.name : null,
                                       local: u.voice ? u.voice.localService : null }),
  cancel: () => {},
  addEventListener: () => {},
  removeEventListener: () => {},
};
Object.defineProperty(window, "speechSynthesis", { value: speech, configurable: true });
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""
REMOTE = {"name": "Pilvipalvelun ääni", "lang": "fi-FI", "localService": False}
LOCAL = {"name": "Laitteen oma ääni", "lang": "fi-FI", "localService": True}
ENTRY = "Aamut ovat vaikeita."
STEP = "Mummo käy aamuisin."


def _phone(
    browser: Browser, server: RunningServer, voices: list[dict[str, Any]]
) -> tuple[Page, Page]:
    import json

    chair = chair_starts(browser, server.base, "Hypoteesityöskentely", "Ääneen")
    urls = links(chair)
    phone = new_page(browser, PHONE, mobile=True, bypass_csp=True)
    phone.add_init_script(STUB % json.dumps(voices))
    join(phone, urls["join"], "Aino", "äiti", family=True)
    scribe = new_page(browser, LAPTOP)
    join(scribe, urls["scribe"], "Heidi")
    for name in ("Aino", "Heidi"):
        admit(chair, name)
    make_scribe(chair, scribe, "Heidi")
    online(phone)
    write(scribe, ENTRY)
    choose(scribe, "#phase", "Suunnitelma")
    write(scribe, STEP)
    expect(phone.locator(".entry .text", has_text=ENTRY)).to_be_visible()
    scribe.context.close()
    return chair, phone


def spoken(phone: Page) -> list[dict[str, Any]]:
    return phone.evaluate("() => window.__spoken")


def test_the_devices_own_voice_reads_and_a_remote_one_is_never_chosen(
    browser: Browser, server: RunningServer
) -> None:
    chair, phone = _phone(browser, server, [REMOTE, LOCAL])
    phone.get_by_role("button", name="Kuuntele kysymys").click()
    phone.locator(".entry", has_text=ENTRY).get_by_role(
        "button", name="Kuuntele tämä kirjaus"
    ).click()
    phone.get_by_role("button", name="Kuuntele koko suunnitelma").click()
    phone.wait_for_function("() => window.__spoken.length === 3")
    said = spoken(phone)
    assert said[0]["text"].startswith("Aloitus.")  # the phase, then its question
    assert said[1]["text"] == ENTRY
    assert said[2]["text"] == STEP
    assert {s["voice"] for s in said} == {"Laitteen oma ääni"} and all(s["local"] for s in said)
    expect(phone.locator("#speech-note")).to_be_hidden()
    axe_clean(phone)
    shot(phone, "speech-phone")
    for page in (chair, phone):
        page.context.close()


def test_without_a_voice_of_its_own_the_phone_says_so_and_reads_nothing(
    browser: Browser, server: RunningServer
) -> None:
    chair, phone = _phone(browser, server, [REMOTE, {**REMOTE, "lang": "sv-SE"}])
    phone.get_by_role("button", name="Kuuntele kysymys").click()
    note = phone.locator("#speech-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("Tällä laitteella ei ole omaa puheääntä kielelle suomi")
    expect(note).to_contain_text("tekstiä ei koskaan lähetetä puhepalveluun")
    phone.locator(".entry", has_text=ENTRY).get_by_role(
        "button", name="Kuuntele tämä kirjaus"
    ).click()
    assert spoken(phone) == []
    axe_clean(phone)
    shot(phone, "speech-phone-no-voice")
    for page in (chair, phone):
        page.context.close()
