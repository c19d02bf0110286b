"""Driving Debian's Chromium with Playwright: pages of the given sizes, screenshots."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Browser, Page

CHROMIUM = os.environ.get("AVOIN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_MISSING = (
    f"Debian's Chromium is not at {CHROMIUM}: apt-get install chromium (make test does, as root)"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-site-isolation-trials",
    "--disable-features=site-per-process,IsolateOrigins,Translate,OptimizationHints,MediaRouter",
    "--disable-extensions",
    "--mute-audio",
]
SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
# Screenshots are for people to look at (`make screenshots`), not for the suite to
# assert: writing ~150 PNGs cost the daily loop half a minute of both cores.
TAKE_SHOTS = os.environ.get("AVOIN_SCREENSHOTS", "") not in ("", "0")
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 820}
PROJECTOR = {"width": 1920, "height": 1080}
SIZES = {"phone": PHONE, "laptop": LAPTOP, "projector": PROJECTOR}


def new_page(
    browser: Browser, viewport: dict[str, int], mobile: bool = False, **kw: object
) -> Page:
    """A page in a context of its own (its own cookies), Finnish by default."""
    options: dict[str, object] = {"locale": "fi-FI", **kw}
    context = browser.new_context(
        viewport=viewport,
        is_mobile=mobile,
        has_touch=mobile,
        **options,  # type: ignore[arg-type]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def shot(page: Page, name: str) -> None:
    """The page as docs/screenshots/{name}.png, when screenshots were asked for."""
    if not TAKE_SHOTS:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def shots_at_every_size(page: Page, view: str) -> None:
    """The view at phone, laptop and projector size, as docs/screenshots/{view}-{size}.png."""
    if not TAKE_SHOTS:
        return
    original = page.viewport_size
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        shot(page, f"{view}-{size}")
    if original:
        page.set_viewport_size(original)
