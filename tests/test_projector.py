"""The shared screen on a projector, read from four metres: what is being written and the newest
entries are always on the screen, however full the phase; every text the room reads is at least
28 px at 1920×1080; after the close it says so (and shows the family's summary code); the
workshop's boards and join code fit. Data from the fictional family of the school absences."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from playwright.sync_api import Browser, Locator, Page, expect

from app.cases.models import Case
from app.db import transaction
from app.frames.loader import load_frames
from app.meetings import screen_keys
from app.meetings.creation import create_meeting
from tests.browser import LAPTOP, PHONE, PROJECTOR, new_page, shots_at_every_size
from tests.conftest import PASSWORD
from tests.helpers import LiveClient, Person, RunningServer, join, login

T = TypeVar("T")
MIN_PX = 28  # nothing the room reads is smaller at 1920×1080

LINES = (
    "Voisiko kyse olla siitä, että unirytmi on siirtynyt myöhäiseksi ja aamut ovat siksi raskaita?",
    "Voisiko kyse olla siitä, että ryhmätyöt matematiikassa jännittävät?",
    "Voisiko kyse olla siitä, että Eetu on huolissaan minusta, kun olen ollut sairauslomalla?",
    "Ryhmätyöt ja se, että äiti on yksin kotona. Uni ei ole se juttu.",
    "Kokeillaan matematiikassa pysyvää paria ryhmätöiden sijaan kuuden viikon ajan.",
)
DRAFT = "Voisiko kyse olla siitä, että koulumatkalla bussissa on joku, jota Eetu välttelee"
PREPARATION = {
    "core_question": "Miten pääsisin aamuisin kouluun niin, ettei vatsa mene kipeäksi?",
    "telling": [
        {"what": "Miltä aamut näyttävät kotona ennen koulua.", "who": "Aino"},
        {"what": "Mikä koulussa jännittää eniten ja mikä auttaa.", "who": "Eetu"},
        {"what": "Mitä mummo voisi tehdä arkiaamuina.", "who": "Pirjo"},
    ],
    "network": [
        {"name": "Aino", "relation": "äiti", "closeness": 1, "side": "family"},
        {"name": "Pirjo", "relation": "mummo", "closeness": 2, "side": "family"},
        {"name": "Laura", "relation": "luokanvalvoja", "closeness": 2, "side": "services"},
        {"name": "Mikko", "relation": "koulukuraattori", "closeness": 3, "side": "services"},
    ],
    "timeline": [
        {"when": "elokuu 2025", "what": "Yläkoulu alkoi uudessa koulussa."},
        {"when": "lokakuu 2025", "what": "Äiti sairauslomalle; poissaolot lisääntyivät."},
        {"when": "marraskuu 2025", "what": "Ensimmäinen verkostotapaaminen."},
    ],
    "share": {"core_question": True, "telling": True, "network": True, "timeline": True},
}


@dataclass
class Room:
    """A meeting of the family's case, its people's credentials and its screen's address."""

    id: str
    screen: str
    chair: dict[str, str]
    scribe: Person
    people: dict[str, Person] = field(default_factory=dict)


def run(make: Callable[[], Awaitable[T]]) -> T:
    """Run protocol steps on an event loop of their own (Playwright's sync API holds this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result(timeout=60)  # type: ignore[arg-type]


def open_room(server: RunningServer, case_id: str) -> Room:
    """A meeting of a case with the family's whole preparation shared, and its people inside."""
    assert server.app is not None
    with transaction(server.app.state.engine) as session:
        session.add(Case(id=case_id, label="Perhe K", responsible_id=1))
        session.flush()
        meeting = create_meeting(
            session,
            1,
            "Kalle",
            "Koulunkäynnin tuki",
            load_frames()["hypothesis"],
            "fi",
            case_id=case_id,
            preparation=PREPARATION,
        )
        ids = {"id": meeting.id, "join_code": meeting.join_code}
        token = screen_keys.new_link(session, meeting.id)  # as the chair's page mints it
        screen = f"{server.base}/m/{meeting.id}/screen?token={token}"

    async def people() -> Room:
        chair = await login(server, "kalle", PASSWORD)
        room = Room(ids["id"], screen, chair, await join(server, ids, "Heidi", "kirjaaja"))
        for name, role, family in (
            ("Aino", "äiti", True),
            ("Eetu", "nuori, 14 v.", True),
            ("Sanna", "terveydenhoitaja", False),
        ):
            room.people[name] = await join(server, ids, name, role, family=family)
        live = await LiveClient.open(server, room.id, cookies=chair)
        try:
            for person in (room.scribe, *room.people.values()):
                await live.ok({"op": "participant.admit", "participant": person.participant})
            role = {"op": "participant.role", "participant": room.scribe.participant}
            await live.ok({**role, "role": "scribe"})
        finally:
            await live.close()
        return room

    return run(people)


def as_chair(server: RunningServer, room: Room, *ops: dict[str, Any]) -> list[dict[str, Any]]:
    """The chair's ops, each acknowledged, in order."""

    async def go() -> list[dict[str, Any]]:
        live = await LiveClient.open(server, room.id, cookies=room.chair)
        try:
            return [await live.ok(op) for op in ops]
        finally:
            await live.close()

    return run(go)


def fill_phase(server: RunningServer, room: Room, phase: str, count: int) -> list[str]:
    """`count` long entries in a phase, every third in someone's own words; their ids."""
    speakers = [p.participant for p in room.people.values()]
    ops = [
        {
            "op": "entry.add",
            "phase": phase,
            "text": f"{LINES[n % len(LINES)]} ({n + 1})",
            "speaker": speakers[n % len(speakers)],
            "own_words": n % 3 == 0,
        }
        for n in range(count)
    ]
    return [e["data"]["entry"]["id"] for e in as_chair(server, room, *ops)]


def page_of(browser: Browser, viewport: dict[str, int], url: str, cookies: dict[str, str]) -> Page:
    page = new_page(browser, viewport)
    origin = "/".join(url.split("/")[:3])  # the cookie's path is the whole site
    page.context.add_cookies(
        [{"name": k, "value": v, "url": origin} for k, v in cookies.items()]  # type: ignore[misc]
    )
    page.goto(url)
    expect(page.locator("#conn")).to_have_attribute("data-state", "online")
    return page


def screen_of(browser: Browser, room: Room, viewport: dict[str, int] = PROJECTOR) -> Page:
    return page_of(browser, viewport, room.screen, {})


def wholly_in_sight(locator: Locator) -> None:
    """On the screen, not scrolled away inside the flow nor past the window's edge."""
    expect(locator).to_be_visible()
    expect(locator).to_be_in_viewport(ratio=0.99)  # a scroll offset is whole pixels


SMALL_TEXT = """min => {
  const small = [];
  const root = document.querySelector(".screen-layout");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || el.closest("svg, .visually-hidden")) continue;
    if (!el.checkVisibility() || !el.getBoundingClientRect().height) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    const text = node.textContent.trim().slice(0, 30);
    if (size < min) small.push(`${el.tagName}.${el.className} ${size}px ${text}`);
  }
  return small;
}"""


def small_text(page: Page) -> list[str]:
    return page.evaluate(SMALL_TEXT, MIN_PX)


def test_a_full_phase_keeps_the_newest_entry_and_the_draft_on_the_projector(
    server: RunningServer, browser: Browser
) -> None:
    room = open_room(server, "c_full")
    as_chair(server, room, {"op": "phase.goto", "index": 3})  # the hypotheses (after the baseline)
    fill_phase(server, room, "hypotheses", 30)

    # A projector opened on a full phase shows its newest entries, not its oldest.
    screen = screen_of(browser, room)
    expect(screen.locator(".entry")).to_have_count(30)
    wholly_in_sight(screen.locator(".entry").last)
    expect(screen.locator(".entry").first).not_to_be_in_viewport()

    # The scribe types: the draft is on the screen, under the newest entry.
    scribe = page_of(browser, LAPTOP, f"{server.base}/m/{room.id}", room.scribe.cookies)
    scribe.locator("#text").fill(DRAFT)
    expect(screen.locator("#draft")).to_contain_text("koulumatkalla")
    for viewport in (PROJECTOR, LAPTOP):
        screen.set_viewport_size(viewport)
        wholly_in_sight(screen.locator("#draft"))
        wholly_in_sight(screen.locator(".entry").last)
    screen.set_viewport_size(PROJECTOR)
    shots_at_every_size(screen, "screen-full-typing")

    # Enter: the new entry takes the draft's place, in sight.
    scribe.locator("#text").press("Enter")
    expect(screen.locator(".entry")).to_have_count(31)
    expect(screen.locator(".entry .text").last).to_contain_text("koulumatkalla")
    wholly_in_sight(screen.locator(".entry").last)

    # The chair moves on: the new phase's head and its first entry are on the screen.
    as_chair(server, room, {"op": "phase.goto", "index": 4})
    expect(screen.locator(".phase-title")).to_have_text("Perheen pohdinta")
    shots_at_every_size(screen, "screen-next-phase")
    fill_phase(server, room, "reflection", 1)
    wholly_in_sight(screen.locator(".entry").last)
    for page in (screen, scribe):
        page.context.close()


def test_the_opening_shows_the_preparation_without_pushing_the_record_off(
    server: RunningServer, browser: Browser
) -> None:
    room = open_room(server, "c_opening")
    screen = screen_of(browser, room)
    # Nothing written yet: what the family brought reads from its beginning.
    expect(screen.locator("#preparation")).to_be_visible()
    wholly_in_sight(screen.locator(".prep-core"))
    shots_at_every_size(screen, "screen-opening-preparation")

    fill_phase(server, room, "opening", 12)
    expect(screen.locator(".entry")).to_have_count(12)
    scribe = page_of(browser, LAPTOP, f"{server.base}/m/{room.id}", room.scribe.cookies)
    scribe.locator("#text").fill(DRAFT)
    expect(screen.locator("#draft")).to_contain_text("koulumatkalla")
    for viewport in (PROJECTOR, LAPTOP):
        screen.set_viewport_size(viewport)
        wholly_in_sight(screen.locator("#draft"))
        wholly_in_sight(screen.locator(".entry").last)
    screen.set_viewport_size(PROJECTOR)
    shots_at_every_size(screen, "screen-opening-typing")
    for page in (screen, scribe):
        page.context.close()


def test_the_projector_is_readable_from_four_metres(
    server: RunningServer, browser: Browser
) -> None:
    room = open_room(server, "c_readable")
    fill_phase(server, room, "opening", 3)
    screen = screen_of(browser, room)
    scribe = page_of(browser, LAPTOP, f"{server.base}/m/{room.id}", room.scribe.cookies)
    scribe.locator("#text").fill(DRAFT)
    expect(screen.locator("#draft .who")).to_contain_text("Heidi")
    expect(screen.locator(".entry .tag").first).to_be_visible()  # "own words"
    expect(screen.locator(".prep-telling")).to_be_visible()
    assert small_text(screen) == []

    # The plan: the family agrees to the last step; the agreement is whole on the screen.
    as_chair(server, room, {"op": "phase.goto", "index": 6})
    plan = (
        ("Sovitaan matematiikan opettajan kanssa pysyvästä parista.", "Laura", "2026-12-04"),
        ("Mummon aamupäiväkäynnit alkavat ensi viikolla.", "Pirjo", "2026-12-01"),
        ("Seuraava tapaaminen: katsotaan, miten aamut ovat sujuneet.", "Jari", "2027-01-15"),
    )
    steps = [
        {"op": "entry.add", "phase": "plan", "text": text, "owner": owner, "due": due}
        for text, owner, due in plan
    ]
    last = as_chair(server, room, *steps)[-1]["data"]["entry"]["id"]

    async def agree() -> None:
        phone = await LiveClient.open(server, room.id, cookies=room.people["Aino"].cookies)
        try:
            word = {"op": "plan.agree", "entry": last, "agreement": "agree"}
            comment = "Tämä sopii meille, kunhan aamut pysyvät rauhallisina."
            await phone.ok({**word, "comment": comment})
        finally:
            await phone.close()

    run(agree)
    agreement = screen.locator(f"#entry-{last} .agreement")
    expect(agreement).to_contain_text("Aino")
    wholly_in_sight(agreement)
    # Nothing (the connection badge, the side column) lies over it.
    covered = agreement.evaluate(
        """el => { const r = el.getBoundingClientRect();
                   const at = document.elementFromPoint(r.right - 2, r.bottom - 2);
                   return !el.contains(at); }"""
    )
    assert not covered
    assert small_text(screen) == []
    for page in (screen, scribe):
        page.context.close()


def test_after_the_close_the_projector_says_so_and_shows_the_summary_code(
    server: RunningServer, browser: Browser
) -> None:
    room = open_room(server, "c_closed")
    as_chair(server, room, {"op": "phase.goto", "index": 6})
    fill_phase(server, room, "plan", 2)
    screen = screen_of(browser, room)
    expect(screen.locator(".entry")).to_have_count(2)
    expect(screen.locator("#ended")).to_be_hidden()

    as_chair(server, room, {"op": "meeting.close"})
    ended = screen.locator("#ended")
    expect(ended).to_be_visible()
    expect(ended).to_contain_text("Tapaaminen on päättynyt")
    expect(ended).to_contain_text("kolmeen kysymykseen")
    expect(screen.locator("#record")).to_be_hidden()
    expect(screen.locator("#phase-head")).to_be_hidden()
    expect(screen.locator("#summary-box")).to_be_hidden()
    assert small_text(screen) == []
    shots_at_every_size(screen, "screen-closed")

    as_chair(server, room, {"op": "summary.share", "days": 14})
    code = screen.locator("#summary-box img")
    wholly_in_sight(code)
    expect(code).to_have_js_property("complete", True)
    assert code.evaluate("img => img.naturalWidth") > 0
    screen.set_viewport_size(LAPTOP)
    wholly_in_sight(code)
    screen.set_viewport_size(PROJECTOR)
    shots_at_every_size(screen, "screen-closed-summary")
    screen.context.close()


def test_the_workshop_projector_keeps_the_join_code_and_the_groups_writing_on_screen(
    server: RunningServer, browser: Browser
) -> None:
    async def workshop() -> tuple[dict[str, Any], list[Person], str]:
        chair = await login(server, "kalle", PASSWORD)
        async with server.http(cookies=chair) as http:
            answer = await http.post(
                "/api/meetings", json={"title": "Ensimmäinen työpaja", "frame": "workshop1"}
            )
            meeting = answer.json()
        people = [await join(server, meeting, f"Osallistuja {n}") for n in range(6)]
        live = await LiveClient.open(server, meeting["id"], cookies=chair)
        try:
            for person in people:
                await live.ok({"op": "participant.admit", "participant": person.participant})
            await live.ok({"op": "phase.goto", "index": 8})  # the small groups
            assign = {p.participant: 1 + n % 2 for n, p in enumerate(people)}
            formed = await live.ok({"op": "groups.form", "phase": "groups", "assign": assign})
            group = formed["data"]["groups"][0]["id"]
            writer = people[0].participant
            role = {"op": "group.role", "group": group, "participant": writer}
            await live.ok({**role, "role": "scribe"})
            for n in range(14):
                text = f"{LINES[n % len(LINES)]} ({n + 1})"
                add = {"op": "entry.add", "phase": "groups", "board": group, "text": text}
                await live.ok({**add, "speaker": writer})
        finally:
            await live.close()
        return meeting, people, group

    meeting, people, group = run(workshop)
    screen = new_page(browser, PROJECTOR)
    screen.goto(meeting["links"]["screen"])
    expect(screen.locator("#conn")).to_have_attribute("data-state", "online")
    board = screen.locator(f".board[data-group='{group}']")
    expect(board.locator(".board-entries li")).to_have_count(14)

    async def draft() -> None:
        phone = await LiveClient.open(server, meeting["id"], cookies=people[0].cookies)
        try:
            frame = {"op": "draft", "phase": "groups", "board": group, "text": DRAFT}
            await phone.send(frame)
            await phone.next_of("draft")  # published to the room, the writer too
        finally:
            await phone.close()

    run(draft)
    expect(board.locator(".draft")).to_contain_text("koulumatkalla")
    for viewport in (PROJECTOR, LAPTOP):
        screen.set_viewport_size(viewport)
        wholly_in_sight(screen.locator(".join-box .code"))
        wholly_in_sight(screen.locator(".join-box .qr svg"))
        wholly_in_sight(board.locator(".board-entries li").last)
        wholly_in_sight(board.locator(".draft"))
    screen.set_viewport_size(PROJECTOR)
    assert small_text(screen) == []
    shots_at_every_size(screen, "screen-workshop-groups")
    screen.set_viewport_size(PHONE)
    screen.context.close()
