"""The facilitator steps through a workshop agenda: the purpose, the material, the experts'
reminder, the groups' prepared boards and the time plan against the clock."""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser, expect

from tests.browser import PHONE, shot, shots_at_every_size
from tests.helpers import RunningServer
from tests.test_process_browser import chair_page


def _workshop(server: RunningServer, frame: str) -> dict:
    with httpx.Client(base_url=server.base, headers={"Origin": server.base}) as http:
        login = http.post("/api/session", json={"username": "kalle", "password": "salasana-123"})
        login.raise_for_status()
        answer = http.post("/api/meetings", json={"title": "Työpaja 1", "frame": frame})
        answer.raise_for_status()
        return answer.json()


def test_the_facilitator_steps_through_the_first_workshop(
    browser: Browser, server: RunningServer
) -> None:
    meeting = _workshop(server, "workshop1")
    chair = chair_page(browser, server.base, meeting["id"])
    panel = chair.locator("#workshop")
    expect(panel).to_be_visible()
    expect(chair.locator("#ws-plan tr")).to_have_count(13)
    expect(chair.locator("#ws-plan tr.current")).to_contain_text("Alustus")
    expect(chair.locator("#ws-purpose")).to_be_visible()
    # The families' view opens the work: the facilitator is reminded to let the experts speak.
    chair.locator("#stepper button.step").nth(2).click()
    expect(chair.locator("#ws-experts")).to_be_visible()
    expect(chair.locator("#ws-material")).to_contain_text("Materiaali")
    # The small groups: four prepared boards, each with its principles.
    groups = chair.locator("#stepper button.step").filter(has_text="Pienryhm")
    groups.first.click()
    expect(chair.locator("#ws-groups > li")).to_have_count(4)
    expect(chair.locator("#ws-groups > li").first).to_contain_text("Uteliaisuus")
    expect(chair.locator("#ws-plan tr.current")).to_contain_text("Pienryhm")
    # The time plan follows the start the facilitator sets.
    chair.locator("#ws-start").fill("09:00")
    chair.locator("#ws-start").dispatch_event("change")
    expect(chair.locator("#ws-plan tr").first).to_contain_text("09:00")
    shots_at_every_size(chair, "chair-workshop")
    chair.set_viewport_size(PHONE)
    shot(chair, "chair-workshop-phone-groups")


def test_an_ordinary_meeting_shows_no_workshop_panel(
    browser: Browser, server: RunningServer
) -> None:
    meeting = _workshop(server, "hypothesis")
    chair = chair_page(browser, server.base, meeting["id"])
    expect(chair.locator("#stepper button.step")).to_have_count(7)
    expect(chair.locator("#workshop")).to_be_hidden()
