"""The network map as Chromium draws it: every name inside the drawing, whatever its letters."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from app.preparation.network_svg import HEIGHT, WIDTH, render
from tests.browser import LAPTOP, new_page

WIDE = [
    {"name": "Mummo Marjatta", "relation": "isoäiti", "closeness": 3, "side": "family"},
    {"name": "WWWWWWWWWWWWWWW", "relation": "", "closeness": 3, "side": "family"},
    {"name": "MMMMMMM MMMMMM", "relation": "", "closeness": 2, "side": "services"},
    {"name": "Opettaja Mäkinen", "relation": "opettaja", "closeness": 3, "side": "services"},
    {"name": "Kouluterveydenhoitaja", "relation": "", "closeness": 3, "side": "services"},
    {"name": "Isä", "relation": "isä", "closeness": 1, "side": "family"},
    {"name": "Sosiaalityöntekijä", "relation": "", "closeness": 2, "side": "services"},
    {"name": "Täti Mmmmmmmm", "relation": "", "closeness": 2, "side": "family"},
]

BOXES = """() => [...document.querySelectorAll('text.prep-name')].map((t) => {
  const b = t.getBBox();
  return [t.textContent, b.x, b.y, b.x + b.width, b.y + b.height];
})"""


@pytest.mark.parametrize("count", [3, len(WIDE)])
def test_no_name_is_clipped_at_the_drawings_edges(browser: Browser, count: int) -> None:
    page = new_page(browser, LAPTOP)
    svg = render(WIDE[:count], "Eetu", "fi")
    page.set_content(
        f'<!doctype html><html lang="fi"><body style="font-family: sans-serif">'
        f'<div style="width: 500px">{svg}</div></body></html>'
    )
    for text, x0, y0, x1, y1 in page.evaluate(BOXES):
        assert x0 >= 0 and x1 <= WIDTH, f"{text!r} runs over a side ({x0:.0f}–{x1:.0f})"
        assert y0 >= 0 and y1 <= HEIGHT, f"{text!r} runs over the top or bottom"
    page.context.close()
