"""The administration page in a browser, by keyboard alone: an admin adds a unit and a
professional, sees the one-time link, and edits the account. Axe-clean; screenshots."""

from __future__ import annotations

from playwright.sync_api import Browser, expect
from sqlmodel import select

from app.accounts import User, add_user
from app.db import transaction
from tests.browser import LAPTOP, new_page, shots_at_every_size
from tests.conftest import PASSWORD
from tests.helpers import RunningServer
from tests.test_chair_browser import axe_clean


def test_accounts_and_units_by_keyboard(browser: Browser, server: RunningServer) -> None:
    assert server.app is not None
    with transaction(server.app.state.engine) as session:
        if session.exec(select(User).where(User.username == "admin")).first() is None:
            add_user(session, "admin", PASSWORD, admin=True, display_name="Ylläpitäjä")
    page = new_page(browser, LAPTOP, bypass_csp=True)
    page.goto(server.base + "/admin")
    page.get_by_label("Käyttäjätunnus").fill("admin")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_label("Salasana").press("Enter")
    page.wait_for_url("**/admin")

    page.get_by_label("Yksikön nimi").fill("Perhekeskus Hervanta")
    page.get_by_label("Yksikön nimi").press("Enter")
    expect(page.locator("#units")).to_contain_text("Perhekeskus Hervanta")
    page.get_by_label("Käyttäjätunnus").fill("sanna")
    page.locator("#new-name").fill("Sanna Koski")
    page.locator("#new-unit").select_option("Perhekeskus Hervanta")
    page.locator("#new-unit").focus()
    page.keyboard.press("Tab")  # to the manager's role
    page.keyboard.press("Space")
    page.get_by_role("button", name="Lisää ammattilainen").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".admin-link")).to_contain_text("/reset/")
    expect(page.locator("#people")).to_contain_text("Sanna Koski")
    axe_clean(page)
    shots_at_every_size(page, "admin-accounts")

    sanna = page.locator(".admin-user", has_text="Sanna Koski")
    sanna.locator("summary").focus()
    page.keyboard.press("Enter")
    sanna.get_by_role("button", name="Poista käytöstä: päättää kirjautumiset heti").click()
    expect(page.locator(".admin-user", has_text="Sanna Koski")).to_contain_text(
        "poistettu käytöstä"
    )
    axe_clean(page)
    page.context.close()
