"""WCAG 2.1 AA in a real browser: axe-core on every page and view in fi, sv and en, light and
dark; the palette's contrast ratios; reflow at 320 px; and the keyboard on the login and home
pages."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from app.config import Settings
from app.main import create_app
from tests.browser import CHROMIUM, CHROMIUM_MISSING, shots_at_every_size
from tests.conftest import PASSWORD, require
from tests.helpers import LiveClient, RunningServer, join, login, new_meeting, open_screen

ROOT = Path(__file__).resolve().parent.parent

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CSS = ROOT / "app" / "static" / "css" / "app.css"
LANGS = ("fi", "sv", "en")
SCHEMES = ("light", "dark")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe's rules of WCAG 2.1 AA that depend on colour (1.4.1 use of colour, 1.4.3 contrast).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 820}
TIMEOUT_MS = 10_000


@pytest.fixture
def needs_chromium_fixture() -> None:
    """The same rule as the browser fixture: fail under CI, else skip saying why."""
    require(Path(CHROMIUM).exists(), CHROMIUM_MISSING)


needs_chromium = pytest.mark.usefixtures("needs_chromium_fixture")


# The palette: every pair that text or a control is drawn with, checked by calculation.


def _luminance(colour: str) -> float:
    """Relative luminance of a #rrggbb colour (WCAG 2.1)."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})\s*;", block))


def palettes() -> dict[str, dict[str, str]]:
    """The light, dark and shared-screen palettes as app.css declares them."""
    css = CSS.read_text(encoding="utf-8")
    light = re.search(r"^:root \{(.*?)^\}", css, re.S | re.M)
    dark = re.search(r"prefers-color-scheme: dark\) \{\s*:root \{(.*?)\}", css, re.S)
    screen = re.search(r"^\.view-screen \{(.*?)^\}", css, re.S | re.M)
    assert light and dark and screen, "app.css lost a palette block"
    base = _variables(light.group(1))
    return {
        "light": base,
        "dark": {**base, **_variables(dark.group(1))},
        "screen": {**base, **_variables(screen.group(1))},
    }


TEXT = 4.5
UI = 3.0
# (foreground, background, minimum): where app.css draws one on the other.
PAIRS = [
    ("ink", "bg", TEXT),
    ("ink", "card", TEXT),
    ("ink", "field", TEXT),
    ("ink", "accent-soft", TEXT),
    ("ink", "warn-soft", TEXT),
    ("ink", "fresh", TEXT),
    ("muted", "bg", TEXT),
    ("muted", "card", TEXT),
    ("muted", "accent-soft", TEXT),
    ("muted", "warn-soft", TEXT),
    ("muted", "neutral-soft", TEXT),
    ("accent", "bg", TEXT),
    ("accent", "card", TEXT),
    ("accent", "field", TEXT),
    ("accent", "accent-soft", TEXT),
    ("accent-ink", "accent", TEXT),
    ("ok", "ok-soft", TEXT),
    ("warn", "warn-soft", TEXT),
    ("warn", "card", TEXT),
    ("card", "ink", TEXT),
    ("warn-ink", "warn", TEXT),
    ("danger", "danger-soft", TEXT),
    ("danger", "field", TEXT),
    ("field-line", "field", UI),
    ("field-line", "card", UI),
    ("field-line", "bg", UI),
    ("focus", "bg", UI),
    ("focus", "card", UI),
    ("focus", "accent-soft", UI),
    ("dot-on", "card", UI),
    ("dot-off", "card", UI),
    ("dot-on", "warn-soft", UI),
    ("dot-off", "warn-soft", UI),
]


@pytest.mark.parametrize("theme", ["light", "dark", "screen"])
def test_palette_meets_aa_contrast(theme: str) -> None:
    palette = palettes()[theme]
    short = [
        f"--{fg} on --{bg}: {contrast(palette[fg], palette[bg]):.2f} < {minimum}"
        for fg, bg, minimum in PAIRS
        if contrast(palette[fg], palette[bg]) < minimum
    ]
    assert not short, f"{theme} theme: " + "; ".join(short)


def test_dark_theme_and_screen_set_every_colour() -> None:
    found = palettes()
    colours = set(found["light"])
    css = CSS.read_text(encoding="utf-8")
    dark = _variables(re.search(r"prefers-color-scheme: dark\) \{\s*:root \{(.*?)\}", css, re.S)[1])
    screen = _variables(re.search(r"^\.view-screen \{(.*?)^\}", css, re.S | re.M)[1])
    assert set(dark) == colours
    assert set(screen) == colours


# The statement: what Finnish law asks it to say, with the contact from the settings.


async def _statement(tmp_path: Path, contact: str, lang: str) -> str:
    settings = Settings(
        env="test",
        database_url=f"sqlite:///{tmp_path / 'unused.db'}",
        secret_key="s" * 40,
        accessibility_contact=contact,
    )
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http:
        answer = await http.get("/accessibility", params={"lang": lang})
    assert answer.status_code == 200
    return answer.text


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fi", ["WCAG 2.1", "osittain", "Etelä-Suomen aluehallintovirasto", "25.11.2026"]),
        ("sv", ["WCAG 2.1", "delvis", "Regionförvaltningsverket i Södra Finland", "25.11.2026"]),
        ("en", ["WCAG 2.1", "partially", "Southern Finland", "25 November 2026"]),
    ],
)
async def test_statement_says_what_the_law_asks(
    tmp_path: Path, lang: str, words: list[str]
) -> None:
    page = await _statement(tmp_path, "saavutettavuus@example.fi", lang)
    for word in [*words, "306/2019", "https://www.saavutettavuusvaatimukset.fi"]:
        assert word in page, word
    assert '<a href="mailto:saavutettavuus@example.fi">saavutettavuus@example.fi</a>' in page
    assert 'datetime="2026-11-25"' in page


async def test_statement_shows_a_postal_contact_as_text_and_has_a_fallback(tmp_path: Path) -> None:
    postal = await _statement(tmp_path, "Perhekeskus, PL 1, 33101 Tampere", "fi")
    assert "Perhekeskus, PL 1, 33101 Tampere" in postal and "mailto:" not in postal
    nobody = await _statement(tmp_path, "", "fi")
    assert "tapaamisen puheenjohtajalle" in nobody and "mailto:" not in nobody


# A meeting with someone in the lobby, a participant inside, a scribe and a record.


@dataclass
class World:
    meeting: dict[str, Any]
    chair: dict[str, str]
    waiting: dict[str, str]
    inside: dict[str, str]
    scribe: dict[str, str]
    closed: dict[str, Any]
    closed_phone: dict[str, str]
    workshop: dict[str, Any]
    workshop_phone: dict[str, str]
    screen: dict[str, str]  # the shared screens' cookies (each link opens a screen once)

    @property
    def id(self) -> str:
        return str(self.meeting["id"])


async def _build_world(server: RunningServer) -> World:
    chair = await login(server, "kalle", PASSWORD)
    meeting = await new_meeting(server, chair, title="Koulunkäynnin tukeminen yhteistyössä")
    waiting = await join(server, meeting, "Aino", role_label="äiti", family=True)
    inside = await join(server, meeting, "Eetu", role_label="nuori", family=True)
    scribe = await join(server, meeting, "Heidi", role_label="kirjaaja")
    live = await LiveClient.open(server, meeting["id"], cookies=chair)
    try:
        for person in (inside, scribe):
            await live.ok({"op": "participant.admit", "participant": person.participant})
        await live.ok(
            {"op": "participant.role", "participant": scribe.participant, "role": "scribe"}
        )
        await live.ok({"op": "phase.goto", "index": 2})
        first = await live.ok(
            {
                "op": "entry.add",
                "phase": "core",
                "text": "Miten aamut sujuisivat niin, että koulumatka onnistuu?",
                "speaker": inside.participant,
            }
        )
        await live.ok(
            {
                "op": "entry.add",
                "phase": "hypotheses",
                "text": "Voisiko kyse olla siitä, että unirytmi on siirtynyt myöhäiseksi?",
                "speaker": "Opettaja",
            }
        )
        await live.ok({"op": "timer.start", "seconds": 600})
        step = {"op": "entry.add", "phase": "plan", "text": "Pysyvä pari", "owner": "Opettaja"}
        await live.ok(step)
        phone = await LiveClient.open(server, meeting["id"], cookies=inside.cookies)
        try:
            await phone.ok({"op": "hand.raise"})
            entry_id = first["data"]["entry"]["id"]
            await phone.ok({"op": "entry.react", "entry": entry_id, "reaction": "agree"})
            # The dialogue tools on every screen: a round going on, silent writing open.
            order = [inside.participant, scribe.participant]
            await live.ok({"op": "round.start", "phase": "hypotheses", "order": order})
            await live.ok({"op": "silent.open", "phase": "hypotheses"})
            await phone.ok({"op": "silent.write", "text": "Oma ajatukseni"})
        finally:
            await phone.close()
    finally:
        await live.close()
    closed, closed_phone = await _closed_meeting(server, chair)
    workshop, workshop_phone = await _workshop(server, chair)
    return World(
        meeting,
        chair,
        waiting.cookies,
        inside.cookies,
        scribe.cookies,
        closed,
        closed_phone,
        workshop,
        workshop_phone,
        {**await open_screen(server, meeting), **await open_screen(server, workshop)},
    )


async def _workshop(
    server: RunningServer, chair: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """A workshop in its small groups: boards written on, an expert marked, the fishbowl open."""
    meeting = await new_meeting(server, chair, "workshop1", title="Ensimmäinen työpaja")
    people = [await join(server, meeting, f"Osallistuja {n}") for n in range(6)]
    live = await LiveClient.open(server, meeting["id"], cookies=chair)
    try:
        for person in people:
            await live.ok({"op": "participant.admit", "participant": person.participant})
        first = people[0].participant
        await live.ok({"op": "participant.expert", "participant": first, "expert": True})
        await live.ok({"op": "phase.goto", "index": 8})  # the small groups
        assign = {p.participant: 1 + n % 2 for n, p in enumerate(people)}
        formed = await live.ok({"op": "groups.form", "phase": "groups", "assign": assign})
        group = formed["data"]["groups"][0]
        role = {"op": "group.role", "group": group["id"], "participant": first, "role": "scribe"}
        await live.ok(role)
        text = "Uteliaisuus: emme tiedä valmiiksi."
        body = {"op": "entry.add", "phase": "groups", "board": group["id"], "text": text}
        await live.ok({**body, "speaker": first})
        await live.ok({"op": "bowl.open", "phase": "groups"})
        await live.ok({"op": "bowl.seat", "participant": people[1].participant})
    finally:
        await live.close()
    return meeting, people[0].cookies


async def _closed_meeting(
    server: RunningServer, chair: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """A closed meeting, where the feedback questions are shown."""
    meeting = await new_meeting(server, chair, title="Päättynyt tapaaminen")
    person = await join(server, meeting, "Oona", role_label="lapsi", family=True)
    live = await LiveClient.open(server, meeting["id"], cookies=chair)
    try:
        await live.ok({"op": "participant.admit", "participant": person.participant})
        await live.ok({"op": "meeting.close"})
    finally:
        await live.close()
    return meeting, person.cookies


@pytest.fixture(scope="module")
def world(server: RunningServer) -> World:
    """The meeting every view is looked at in; built over the protocol in a thread of its own."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _build_world(server)).result(timeout=60)


@pytest.fixture(scope="module")
def axe_source() -> Path:
    if not AXE.exists():
        require(False, f"{AXE} is missing: run `make test-deps` (npm install) first")
    return AXE


# What each page is: its address, whose cookies, and what shows it is ready.


@dataclass(frozen=True)
class View:
    path: str
    cookies: str | None = None  # an attribute of World
    ready: str = "main h1"
    live: bool = False
    viewport: tuple[int, int] = (PHONE["width"], PHONE["height"])


VIEWS: dict[str, View] = {
    "login": View("/"),
    "home": View("/", cookies="chair", viewport=(LAPTOP["width"], LAPTOP["height"])),
    "join-code": View("/join"),
    "join": View("/join/{code}"),
    "join-error": View("/join/000000", ready="#form-error"),
    "accessibility": View("/accessibility"),
    "cases": View("/cases", cookies="chair", viewport=(LAPTOP["width"], LAPTOP["height"])),
    "message": View("/m/{id}/screen?token=not-a-token"),
    "chair": View(
        "/m/{id}",
        cookies="chair",
        ready="#stepper .step.current",
        live=True,
        viewport=(LAPTOP["width"], LAPTOP["height"]),
    ),
    "phone-lobby": View("/m/{id}", cookies="waiting", ready="#lobby:not([hidden])", live=True),
    "phone": View("/m/{id}", cookies="inside", ready="#inside:not([hidden]) .entry", live=True),
    "phone-feedback": View(
        "/m/{closed}", cookies="closed_phone", ready="#feedback:not([hidden])", live=True
    ),
    "scribe": View(
        "/m/{id}",
        cookies="scribe",
        ready="#record .entry",
        live=True,
        viewport=(LAPTOP["width"], LAPTOP["height"]),
    ),
    "screen": View(
        "/m/{id}/screen",
        cookies="screen",
        ready=".phase-title",
        live=True,
        viewport=(LAPTOP["width"], LAPTOP["height"]),
    ),
    "chair-workshop": View(
        "/m/{workshop}",
        cookies="chair",
        ready="#ws-boards .board",
        live=True,
        viewport=(LAPTOP["width"], LAPTOP["height"]),
    ),
    "phone-workshop": View(
        "/m/{workshop}", cookies="workshop_phone", ready=".my-group .board", live=True
    ),
    "screen-workshop": View(
        "/m/{workshop}/screen",
        cookies="screen",
        ready="#ws-screen .board",
        live=True,
        viewport=(LAPTOP["width"], LAPTOP["height"]),
    ),
}

# Violations in templates and modules that this file's owner may not change; strict, so that the
# fix shows up as an XPASS. When one is fixed, remove it here and its bullet in the statement
# (app/templates/accessibility.html, "known limitations") in all three languages.
KNOWN: dict[str, str] = {}


def _url(server: RunningServer, world: World, view: View, lang: str) -> str:
    path = view.path.format(
        id=world.id,
        closed=world.closed["id"],
        code=world.meeting["join_code"],
        workshop=world.workshop["id"],
    )
    return f"{server.base}{path}{'&' if '?' in path else '?'}lang={lang}"


def _context(
    browser: Browser,
    server: RunningServer,
    world: World,
    view: View,
    scheme: str,
    bypass_csp: bool = False,
    **options: Any,
) -> BrowserContext:
    width, height = view.viewport
    context = browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme=scheme,  # type: ignore[arg-type]
        bypass_csp=bypass_csp,
        **options,
    )
    context.set_default_timeout(TIMEOUT_MS)
    if view.cookies:
        jar = getattr(world, view.cookies)
        context.add_cookies(
            [{"name": k, "value": v, "url": server.base} for k, v in jar.items()]  # type: ignore[misc]
        )
    return context


def _open(page: Page, url: str, view: View) -> None:
    page.goto(url)
    if view.live:
        # A closed meeting's live view has ended: its record was read over HTTP instead.
        connected = '#conn[data-state="online"], #conn[data-state="ended"]'
        expect(page.locator(connected).first).to_be_visible()
    expect(page.locator(view.ready).first).to_be_visible()


def _readable(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:8]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            lines.append(f"       {summary[:300]}")
    return "\n".join(lines)


def _axe_cases() -> list[Any]:
    cases = []
    for name in VIEWS:
        for lang in LANGS:
            marks = []
            if name in KNOWN:
                marks.append(pytest.mark.xfail(strict=True, reason=KNOWN[name]))
            cases.append(pytest.param(name, lang, marks=marks, id=f"{name}-{lang}"))
    return cases


@needs_chromium
@pytest.mark.parametrize(("name", "lang"), _axe_cases())
def test_axe_finds_no_wcag_violations(
    server: RunningServer,
    world: World,
    browser: Browser,
    axe_source: Path,
    name: str,
    lang: str,
) -> None:
    """In the light and the dark theme: the page is opened once and its colour scheme switched,
    as a device's setting does, so each theme is checked on the same page."""
    view = VIEWS[name]
    # The page's CSP refuses injected scripts: bypassed here only to add axe itself.
    context = _context(browser, server, world, view, SCHEMES[0], bypass_csp=True)
    found: dict[str, list[dict[str, Any]]] = {}
    try:
        page = context.new_page()
        _open(page, _url(server, world, view, lang), view)
        assert page.locator("html").get_attribute("lang") == lang
        expect(page.locator('footer a[href="/accessibility"]')).to_have_count(1)
        page.add_script_tag(path=str(axe_source))
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
            assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
            # The dark theme changes colours only: its run checks the rules about colour; the
            # light theme's run checks every rule of WCAG 2.1 A and AA.
            only = (
                {"type": "tag", "values": WCAG_TAGS}
                if scheme == SCHEMES[0]
                else {"type": "rule", "values": COLOUR_RULES}
            )
            results = page.evaluate("only => axe.run(document, {runOnly: only})", only)
            found[scheme] = results["violations"]
            if (lang, scheme) == ("fi", "light"):
                # Every view as it is opened, at each size, to be looked at (docs/screenshots/).
                shots_at_every_size(page, f"view-{name}")
    finally:
        context.close()
    report = "\n".join(
        f"{name} ({lang}, {scheme}):\n{_readable(v)}" for scheme, v in found.items() if v
    )
    assert not report, report


# Reflow: 320 CSS px wide (WCAG 1.4.10) without scrolling sideways or cutting anything off.

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest(".skip, .visually-hidden, [hidden], script, svg")) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    if (box.right > width + 1 || box.left < -1) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
      out.push(`${name}.${[...el.classList].join(".")} ${box.left | 0}..${box.right | 0}`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 10)};
}"""


@needs_chromium
@pytest.mark.parametrize("name", list(VIEWS))
def test_pages_reflow_at_320_px(
    server: RunningServer, world: World, browser: Browser, name: str
) -> None:
    view = VIEWS[name]
    narrow = View(view.path, view.cookies, view.ready, view.live, viewport=(320, 640))
    context = _context(browser, server, world, narrow, "light")
    try:
        page = context.new_page()
        # Finnish has the longest words of the three.
        _open(page, _url(server, world, narrow, "fi"), narrow)
        found = page.evaluate(OVERFLOW)
    finally:
        context.close()
    assert found["scroll"] <= found["width"], found
    assert not found["out"], found


# The keyboard alone: Tab reaches every control in order, focus is visible, forms submit.

FOCUSABLE = """() => {
  const all = [...document.querySelectorAll(
    'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, ' +
    'textarea, [tabindex]:not([tabindex="-1"])')];
  const radios = new Set();
  return all.filter((el) => {
    if (el.type === "radio") {
      // A radio group is one Tab stop: the checked radio.
      if (radios.has(el.name)) return false;
      const checked = document.querySelector(`input[type=radio][name="${el.name}"]:checked`);
      if (checked && checked !== el) return false;
      radios.add(el.name);
    }
    const style = getComputedStyle(el);
    return style.visibility !== "hidden" && style.display !== "none" && !el.closest("[hidden]");
  }).map((el) => el.outerHTML.slice(0, 80));
}"""

ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {html: el.outerHTML.slice(0, 80), outline: style.outlineStyle,
          width: parseFloat(style.outlineWidth), colour: style.outlineColor};
}"""


def _tab_through(page: Page) -> list[dict[str, Any]]:
    """Focus from the top of the page and Tab until focus leaves the page's last control."""
    # Like a page just opened with nothing focused: a sentinel outside the Tab order, first in
    # the body, is where sequential navigation starts (autofocus would start it elsewhere).
    page.evaluate(
        """() => {
          const start = document.createElement("span");
          start.tabIndex = -1;
          document.body.prepend(start);
          start.focus();
        }"""
    )
    count = len(page.evaluate(FOCUSABLE))
    seen: list[dict[str, Any]] = []
    for _ in range(count):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(ACTIVE))
    return seen


@needs_chromium
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", ["login", "home"])
def test_tab_reaches_every_control_in_order_with_visible_focus(
    server: RunningServer, world: World, browser: Browser, name: str, scheme: str
) -> None:
    view = VIEWS[name]
    context = _context(browser, server, world, view, scheme)
    try:
        page = context.new_page()
        _open(page, _url(server, world, view, "fi"), view)
        wanted = page.evaluate(FOCUSABLE)
        seen = _tab_through(page)
    finally:
        context.close()
    assert [s and s["html"] for s in seen] == wanted
    for stop in seen:
        assert stop["outline"] != "none" and stop["width"] >= 2, stop


@needs_chromium
def test_log_in_and_start_a_meeting_with_the_keyboard_alone(
    server: RunningServer, world: World, browser: Browser
) -> None:
    view = VIEWS["login"]
    context = _context(browser, server, world, view, "light")
    try:
        page = context.new_page()
        _open(page, _url(server, world, view, "fi"), view)
        # The username field has focus when the page opens.
        expect(page.locator("#username")).to_be_focused()
        page.keyboard.type("jari")
        page.keyboard.press("Tab")
        expect(page.locator("#password")).to_be_focused()
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Tab")
        expect(page.locator("form.stack button[type=submit]")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#title")).to_be_visible()

        # Home: Tab into the title, write it, choose the second frame with the arrows, send.
        for _ in range(20):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.id") == "title":
                break
        expect(page.locator("#title")).to_be_focused()
        page.keyboard.type("Koulunkäynnin tuki")
        page.keyboard.press("Tab")
        expect(page.locator("input[name=frame]").first).to_be_focused()
        page.keyboard.press("ArrowDown")
        expect(page.locator("input[name=frame]").nth(1)).to_be_checked()
        page.keyboard.press("Tab")
        expect(page.locator("#language")).to_be_focused()
        page.keyboard.press("Tab")
        expect(page.locator("form.stack button[type=submit]")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/m/[\w-]+"))
        expect(page.locator('#conn[data-state="online"]')).to_be_visible()
    finally:
        context.close()


@needs_chromium
def test_join_with_the_keyboard_alone(
    server: RunningServer, world: World, browser: Browser
) -> None:
    view = VIEWS["join-code"]
    context = _context(browser, server, world, view, "dark")
    try:
        page = context.new_page()
        _open(page, _url(server, world, view, "fi"), view)
        expect(page.locator("#code")).to_be_focused()
        page.keyboard.type(world.meeting["join_code"])
        page.keyboard.press("Enter")
        expect(page.locator("#name")).to_be_focused()
        page.keyboard.type("Mummo")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
        expect(page.locator("input[name=family]")).to_be_checked()
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.locator("#lobby")).to_be_visible()
    finally:
        context.close()
