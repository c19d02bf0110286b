"""The live record and the exported one number the entries the same way: in the order the record
is read (phase by phase), so "→ answers 2" means the same entry on the screen and on paper."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Browser, expect

from tests.browser import PHONE, new_page
from tests.conftest import PASSWORD
from tests.helpers import LiveClient, RunningServer, login
from tests.test_process_browser import chair_page
from tests.test_screens import admit, join
from tests.test_words_browser import meeting_of, run

# Written in this order; read (and numbered) phase by phase.
WRITTEN = [
    ("core", "note", "Miten aamut sujuisivat?"),
    ("hypotheses", "hypothesis", "Voisiko kyse olla unirytmistä?"),
    ("plan", "plan", "Mummo käy aamuisin."),
    ("hypotheses", "hypothesis", "Voisiko kyse olla ryhmätöistä?"),
    ("core", "note", "Ja miten koulumatka?"),
]
READ_ORDER = [
    "Miten aamut sujuisivat?",
    "Ja miten koulumatka?",
    "Voisiko kyse olla unirytmistä?",
    "Voisiko kyse olla ryhmätöistä?",
]


async def write_out_of_order(server: RunningServer, meeting_id: str) -> None:
    chair = await LiveClient.open(server, meeting_id, await login(server, "kalle", PASSWORD))
    await chair.next_of("snapshot")
    for phase, _kind, text in WRITTEN:
        await chair.ok({"op": "entry.add", "phase": phase, "text": text})
    await chair.ok({"op": "phase.goto", "index": 2})
    await chair.close()


def test_the_live_record_is_numbered_as_the_export(server: RunningServer, browser: Browser) -> None:
    meeting = meeting_of(server)
    chair = chair_page(browser, server.base, meeting["id"])
    phone = new_page(browser, PHONE, mobile=True)
    join(phone, f"{server.base}/join/{meeting['join_code']}", "Aino", "äiti", family=True)
    admit(chair, "Aino")
    run(write_out_of_order(server, meeting["id"]))
    entries = phone.locator(".entry", has_text="Voisiko kyse olla ryhmätöistä?")
    expect(entries).to_have_count(1)

    live = {}
    for text in READ_ORDER:
        entry = phone.locator(".entry", has_text=text).first
        live[text] = int(entry.locator(".num").text_content() or "0")
    with httpx.Client(base_url=server.base, timeout=10) as http:
        http.post("/api/session", json={"username": "kalle", "password": PASSWORD})
        exported = http.get(f"/api/meetings/{meeting['id']}/record.txt").text
    on_paper = {
        text: int(found.group(1))
        for text in READ_ORDER
        if (found := re.search(r"\((\d+)\) " + re.escape(text), exported))
    }
    assert on_paper == {text: n for n, text in enumerate(READ_ORDER, 1)}, exported
    assert live == on_paper
    for page in (chair, phone):
        page.context.close()
