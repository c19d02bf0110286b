"""The access log page in a browser: reached from the case, readable at phone and laptop size,
axe-clean, with its downloads."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser import PHONE, new_page, shots_at_every_size
from tests.helpers import RunningServer
from tests.test_chair_browser import axe_clean
from tests.test_houses_browser import logged_in


def test_the_access_log_page(browser: Browser, server: RunningServer) -> None:
    page = logged_in(new_page(browser, PHONE, mobile=True, bypass_csp=True), server)
    page.locator("#new-label").fill("Perhe K, loki")
    page.locator("#new-role-named_worker").check()
    page.locator("form[action='/cases'] button[type=submit]").click()
    page.wait_for_url("**/cases/c_*")
    page.get_by_role("link", name="Ketkä ovat käsitelleet perheen tietoja (käsittelyloki)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ketkä ovat käsitelleet perheen tietoja"
    )
    expect(page.locator(".access-log tbody tr")).to_have_count(1)
    expect(page.locator(".access-log")).to_contain_text("Luki tämän käsittelylokin")
    expect(page.get_by_role("link", name="Lataa PDF-tiedostona")).to_be_visible()
    axe_clean(page)
    shots_at_every_size(page, "case-access-log")
    page.context.close()
