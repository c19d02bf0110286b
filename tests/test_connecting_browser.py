"""The badge says "Connected" only when the page works: a scribe's page that has its welcome but
not yet the record says it is still connecting, and an Enter then adds nothing but keeps the
words; with the record there, the same Enter adds them. The record's snapshot is held back on its
way to the page (Playwright stands between the page and the real server's socket)."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Browser, WebSocketRoute, expect

from tests.browser import LAPTOP, new_page, shots_at_every_size
from tests.helpers import RunningServer
from tests.test_screens import admit, chair_starts, join, links, make_scribe

WORDS = "Aamut ovat vaikeita."
PROBE = "Tämä viesti näyttää, että sivu on käsitellyt tervehdyksen."


def test_connected_waits_for_the_record(browser: Browser, server: RunningServer) -> None:
    chair = chair_starts(browser, server.base, "Hypoteesityöskentely", "Yhteys", bypass_csp=True)
    scribe = new_page(browser, LAPTOP, bypass_csp=True)
    join(scribe, links(chair)["scribe"], "Heidi", "perheohjaaja")
    admit(chair, "Heidi")
    make_scribe(chair, scribe, "Heidi")

    held: list[str | bytes] = []
    routes: list[WebSocketRoute] = []

    def stand_between(route: WebSocketRoute) -> None:
        real = route.connect_to_server()

        def from_server(message: str | bytes) -> None:
            if json.loads(message)["type"] == "snapshot":
                held.append(message)
                return
            route.send(message)
            if json.loads(message)["type"] == "welcome":
                # Frames reach the page in order: once this shows, the welcome has been handled.
                route.send(json.dumps({"type": "error", "code": "probe", "message": PROBE}))

        real.on_message(from_server)
        routes.append(route)

    scribe.route_web_socket(re.compile(r"/ws/meetings/"), stand_between)
    scribe.reload()
    expect(scribe.locator("#error")).to_have_text(PROBE)
    assert held, "the snapshot was held back"
    conn = scribe.locator("#conn")
    expect(conn).to_have_attribute("data-state", "connecting")
    scribe.locator("#text").fill(WORDS)
    scribe.locator("#text").press("Enter")
    expect(scribe.locator("#text")).to_have_value(WORDS)  # kept, not lost, not sent
    shots_at_every_size(scribe, "scribe-connecting")

    routes[0].send(held[0])
    expect(conn).to_have_attribute("data-state", "online")
    scribe.locator("#text").press("Enter")
    expect(scribe.locator("#text")).to_have_value("")
    expect(chair.locator(".entry .text", has_text=WORDS)).to_be_visible()
