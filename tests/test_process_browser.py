"""The process around the meeting in the browser: the next meeting of a case opens with a review
of the last plan; the family answers on their phones; the summary link at the end."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser import LAPTOP, PHONE, PROJECTOR, new_page, shot, shots_at_every_size
from tests.helpers import RunningServer
from tests.meetings.test_process_live import _case_meeting
from tests.test_screens import admit, close_meeting, join, make_scribe, online


def chair_page(browser: Browser, base: str, meeting_id: str) -> Page:
    chair = new_page(browser, LAPTOP)
    chair.goto(f"{base}/?next=/m/{meeting_id}")
    chair.get_by_label("Käyttäjätunnus").fill("kalle")
    chair.get_by_label("Salasana").fill("salasana-123")
    chair.get_by_role("button", name="Kirjaudu").click()
    online(chair)
    return chair


def test_review_of_the_last_plan_and_the_familys_summary(
    browser: Browser, server: RunningServer
) -> None:
    base = server.base
    first = _case_meeting(server, "c_browser")
    chair = chair_page(browser, base, first["id"])
    phone = new_page(browser, PHONE, mobile=True)
    join(phone, f"{base}/join/{first['join_code']}", "Aino", "äiti", family=True)
    admit(chair, "Aino")
    # What the family chose to bring is shown at the start of the meeting, on every screen.
    expect(phone.locator("#preparation")).to_be_visible()
    expect(phone.locator("#preparation")).to_contain_text("Miten aamut sujuisivat?")
    # The phone loads the preparation's own styles, nothing of the case pages.
    sheets = phone.evaluate("() => [...document.styleSheets].map((s) => s.href?.split('/').pop())")
    assert sorted(sheets) == ["app.css", "live.css", "preparation.css"], sheets
    quote = phone.locator(".prep-quote")
    assert quote.evaluate("e => getComputedStyle(e).borderLeftWidth") == "4px"
    expect(chair.locator("#preparation")).to_contain_text("Miten aamut sujuisivat?")
    shot(phone, "phone-preparation-phone")
    # A case's first meeting: where the family starts from, on 0–10, right after the opening.
    chair.locator("button#next").click()
    expect(phone.locator(".phase-title")).to_have_text("Missä olemme nyt?")
    expect(phone.locator("#review .review-step")).to_have_count(0)
    phone.locator("#review .scale-10 button", has_text=re.compile(r"^5$")).click()
    expect(chair.locator("#review .wellbeing")).to_contain_text("5 / 10")
    chair.locator("#stepper button.step").nth(6).click()  # the plan
    expect(phone.locator(".phase-title")).to_have_text("Suunnitelma")
    expect(phone.locator("#preparation")).to_be_hidden()
    scribe = new_page(browser, LAPTOP)
    join(scribe, f"{base}/join/{first['join_code']}", "Heidi", "perheohjaaja")
    admit(chair, "Heidi")
    make_scribe(chair, scribe, "Heidi")
    for text, owner, due in (
        (
            "Sovitaan matematiikan opettajan kanssa pysyvästä parista.",
            "Heidi (perheohjaaja)",
            "2026-12-04",
        ),
        ("Mummo käy aamuisin kahtena päivänä viikossa.", "", "2026-12-01"),
    ):
        scribe.locator("#owner").fill(owner)
        scribe.locator("#due").fill(due)
        scribe.locator("#text").fill(text)
        scribe.locator("#text").press("Enter")
    expect(phone.locator(".phase.current .entry")).to_have_count(2)
    chair.locator("#next-when").fill("2027-01-15T14:30")
    chair.locator("#next-place").fill("Perhekeskus Hervanta")
    chair.locator("#schedule button[type=submit]").click()
    expect(chair.locator("#next-meeting")).to_contain_text("Perhekeskus Hervanta")
    close_meeting(chair)
    expect(phone.locator("#next-meeting")).to_contain_text("Perhekeskus Hervanta")
    expect(phone.locator("#next-meeting a").first).to_have_attribute(
        "href", re.compile(r"next\.ics$")
    )
    chair.locator("#summary-make").click()
    expect(chair.locator("#summary-qr img")).to_be_visible()
    expect(phone.locator("#summary-for-me")).to_be_visible()
    phone.locator("#summary-for-me a").click()
    expect(phone.locator("h1")).to_have_text(first_title(server, first["id"]))
    expect(phone.locator(".summary-steps li")).to_have_count(2)
    expect(phone.locator(".summary-steps")).to_contain_text("4.12.2026")
    shots_at_every_size(phone, "summary")
    for page in (chair, phone, scribe):
        page.context.close()

    # The next meeting of the case opens with the review of those steps.
    second = _case_meeting(server, "c_browser")
    chair = chair_page(browser, base, second["id"])
    phone = new_page(browser, PHONE, mobile=True)
    join(phone, f"{base}/join/{second['join_code']}", "Aino", "äiti", family=True)
    admit(chair, "Aino")
    screen = new_page(browser, PROJECTOR)
    screen.goto(chair.locator("details.links a").first.get_attribute("href") or "")
    online(screen)
    chair.locator("button#next").click()  # to the review, right after the opening
    for page in (chair, phone, screen):
        expect(page.locator("#review")).to_be_visible()
        expect(page.locator("#review .review-step")).to_have_count(2)
    chair.locator("#review .review-step").nth(0).locator("button").nth(0).click()
    chair.locator("#review .review-step").nth(1).locator("button").nth(1).click()
    expect(screen.locator("#review .review-step.done")).to_have_count(1)
    expect(screen.locator("#review .review-step.partly")).to_have_count(1)
    phone.locator("#review .scale-10 button", has_text=re.compile(r"^7$")).click()
    expect(chair.locator("#review .wellbeing")).to_contain_text("7")
    expect(chair.locator("#review .wellbeing")).to_contain_text("5 / 10")  # the first answer
    expect(phone.locator("#review .scale-10 button[aria-pressed=true]")).to_have_text("7")
    # A second answer makes the average 6.5, which Finnish writes 6,5.
    father = new_page(browser, PHONE, mobile=True)
    join(father, f"{base}/join/{second['join_code']}", "Pekka", "isä", family=True)
    admit(chair, "Pekka")
    father.locator("#review .scale-10 button", has_text=re.compile(r"^6$")).click()
    expect(chair.locator("#review .wellbeing")).to_contain_text("6,5 / 10")
    father.context.close()
    shots_at_every_size(chair, "chair-review")
    shots_at_every_size(phone, "phone-review")
    shots_at_every_size(screen, "screen-review")
    for page in (chair, phone, screen):
        page.context.close()


def first_title(server: RunningServer, meeting_id: str) -> str:
    assert server.app is not None
    from app.meetings.models import Meeting

    with server.app.state.session_factory() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        return meeting.title
