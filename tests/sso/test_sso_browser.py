"""A professional logs in in a browser through the organisation's real provider and reaches the
chair's console of a new meeting. Axe-clean login page; screenshots."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser import LAPTOP, new_page, shot
from tests.sso.conftest import WithProvider
from tests.test_chair_browser import axe_clean


@pytest.mark.parametrize("sso", ["sqlite+memory"], indirect=True)
def test_log_in_with_the_organisations_account(browser: Browser, sso: WithProvider) -> None:
    page = new_page(browser, LAPTOP, bypass_csp=True)
    # The provider's development pages ask for a web font: nothing leaves this machine.
    page.context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    page.goto(sso.server.base + "/")
    button = page.get_by_role("link", name="Kirjaudu organisaation tunnuksella")
    expect(button).to_be_visible()
    axe_clean(page)
    shot(page, "sso-login")
    button.click()
    page.wait_for_url(f"{sso.issuer}/interaction/**")
    page.locator("input[name=login]").fill("sanna")
    page.locator("input[name=password]").fill("any")
    page.locator("button[type=submit]").first.click()
    page.wait_for_url(f"{sso.server.base}/")
    expect(page.locator("body")).to_contain_text("Sanna Koski")
    page.get_by_label("Otsikko").fill("Verkostotapaaminen")
    page.get_by_role("button", name="Aloita tapaaminen").click()
    expect(page.locator("#chairbar")).to_be_visible()
    page.context.close()
