"""The facilitator steps through a workshop agenda: the purpose, the material, the experts'
reminder, the groups' prepared boards and the time plan against the clock."""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser, expect

from tests.browser import PHONE, PROJECTOR, new_page, shot, shots_at_every_size
from tests.helpers import RunningServer
from tests.test_process_browser import chair_page
from tests.test_screens import join, online


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
    expect(chair.locator("#ws-material")).to_contain_text("video ”Millaista muutosta")
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


def _knock(server: RunningServer, meeting: dict, name: str) -> None:
    """Someone knocks from a device of their own (no page needed for that here)."""
    with httpx.Client(base_url=server.base, headers={"Origin": server.base}) as http:
        answer = http.post(
            f"/api/meetings/{meeting['id']}/join",
            json={"join_code": meeting["join_code"], "name": name},
        )
        answer.raise_for_status()


def test_two_groups_write_on_their_boards_and_come_back_to_the_plenary(
    browser: Browser, server: RunningServer
) -> None:
    meeting = _workshop(server, "workshop1")
    chair = chair_page(browser, server.base, meeting["id"])
    phones = []
    for name in ("Aino", "Bertta"):
        phone = new_page(browser, PHONE, mobile=True)
        join(phone, f"{server.base}/join/{meeting['join_code']}", name)
        phones.append(phone)
    for name in ("Cecilia", "Daniel", "Eino", "Fanni"):
        _knock(server, meeting, name)
    # Everyone waiting is let in at once (a workshop's sixty knock within minutes).
    expect(chair.locator("#lobby li.waiting")).to_have_count(6)
    chair.locator("#admit-all").click()
    for name in ("Aino", "Bertta", "Cecilia", "Daniel", "Eino", "Fanni"):
        expect(chair.locator("#people li", has_text=name)).to_be_visible()
    expect(chair.locator("#admit-all")).to_be_hidden()
    for phone in phones:
        online(phone)
    screen = new_page(browser, PROJECTOR)
    screen.goto(chair.locator("details.links a").first.get_attribute("href") or "")
    online(screen)

    # Aino is marked an expert by experience.
    chair.locator("#ws-expert-pick").select_option(label="Aino")
    chair.locator("#ws-expert-add").click()
    expect(chair.locator("#ws-experts-list")).to_contain_text("Aino")

    chair.locator("#stepper button.step").filter(has_text="Pienryhm").first.click()
    chair.locator("#ws-size").select_option("3")
    chair.locator("#ws-form").click()
    expect(chair.locator("#ws-boards .board")).to_have_count(2)
    expect(screen.locator("#ws-screen .board")).to_have_count(2)
    # Each phone sees its own group; Aino offers to write on hers and writes.
    aino = phones[0]
    expect(aino.locator(".my-group")).to_be_visible()
    aino.get_by_role("button", name="Kirjaan alustalle").click()
    expect(aino.locator("#ws-write")).to_be_visible()
    aino.locator("#ws-write-text").fill("Uteliaisuus: emme tiedä valmiiksi.")
    aino.get_by_role("button", name="Lisää alustalle").click()
    expect(aino.locator(".my-group .board-entries")).to_contain_text("emme tiedä valmiiksi")
    board = chair.locator("#ws-boards .board", has_text="emme tiedä valmiiksi")
    expect(board).to_have_count(1)
    expect(board.locator("li.expert")).to_have_count(0)  # no voice was named for it
    expect(screen.locator("#ws-screen")).to_contain_text("emme tiedä valmiiksi")
    shots_at_every_size(chair, "chair-workshop-groups")
    shot(aino, "phone-workshop-group")
    shot(screen, "screen-workshop-boards-projector")

    # Back in the plenary: the boards one after another, on every screen.
    chair.locator("#stepper button.step").filter(has_text="Ryhmien ajatukset").first.click()
    chair.locator("#ws-show-next").click()
    expect(screen.locator("#ws-screen .shown .board")).to_have_count(1)
    expect(phones[1].locator(".shown")).to_be_visible()
    chair.locator("#ws-show-next").click()
    expect(chair.locator("#ws-boards button[aria-pressed=true]")).to_have_count(1)
    shot(screen, "screen-workshop-shown-projector")
    shot(phones[1], "phone-workshop-shown")
