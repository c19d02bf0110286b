"""A workshop is no meeting with a family: the dashboard does not count it as a meeting held."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from playwright.sync_api import Browser, expect

from app.accounts import add_user
from app.db import transaction
from tests.browser import LAPTOP, new_page
from tests.conftest import PASSWORD
from tests.helpers import LiveClient, RunningServer, login, new_meeting


async def _hold(server: RunningServer, frame: str, title: str) -> None:
    """Open a meeting on `frame` through the API and close it, as its chair."""
    chair = await login(server, "kalle", PASSWORD)
    meeting = await new_meeting(server, chair, frame=frame, title=title)
    client = await LiveClient.open(server, meeting["id"], chair)
    await client.next_of("snapshot")
    await client.ok({"op": "meeting.close"})
    await client.close()


def test_workshops_are_not_counted_as_meetings_held(
    server: RunningServer, browser: Browser
) -> None:
    assert server.app is not None
    with transaction(server.app.state.engine) as session:
        add_user(session, "esihenkilo", PASSWORD, manager=True)

    async def hold_both() -> None:
        await _hold(server, "hypothesis", "Koulunkäynnin tuki")
        await _hold(server, "workshop1", "Ensimmäinen työpaja")

    # Playwright's own loop runs in this thread: the live clients get a thread of their own.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, hold_both()).result()

    page = new_page(browser, LAPTOP)
    page.goto(f"{server.base}/?next=/dashboard%3Flang%3Den")
    page.get_by_label("Käyttäjätunnus").fill("esihenkilo")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu").click()
    held = page.locator("#held-table")
    expect(held).to_be_visible()
    expect(held.locator("tr").first).not_to_contain_text("workshop")
    # This month's row: the one hypothesis meeting, the workshop nowhere.
    expect(held.locator("tr").last.locator("td").last).to_have_text("1")
    expect(page.locator("main")).not_to_contain_text("First workshop")
    page.context.close()
