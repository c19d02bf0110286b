"""Finnish words stay whole: a long compound wraps to its own line (or is hyphenated there), never
broken at an arbitrary letter, at four sizes. And the connection pill covers no button."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from playwright.sync_api import Browser, Page, expect

from tests.browser import new_page
from tests.conftest import PASSWORD
from tests.helpers import LiveClient, RunningServer, login, new_meeting
from tests.test_process_browser import chair_page
from tests.test_screens import admit, join

WORDS = ["lastensuojeluilmoitus", "koulukäyntiongelmat", "perheneuvolatyöntekijä"]
TEXT = "Voisiko kyse olla siitä, että " + " ja ".join(WORDS) + " jännittävät kaikkia?"

# The number of lines each word is laid out on, and whether a break inside it got a hyphen.
WORD_LINES = """(words) => {
  // The entry's text nodes: a professional word may be a button of its own (the glossary's).
  const text = document.querySelector('.phase.current .entry .text');
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
  return words.map((word) => {
    const node = nodes.find((n) => n.textContent.includes(word));
    const at = node.textContent.indexOf(word);
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    return tops.size;
  });
}"""


# Every word of the page's visible text that is laid out over more than one line.
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('code, .visually-hidden, script, style, svg')) continue;
    if (!parent.getClientRects().length) continue;
    for (const match of node.textContent.matchAll(/[\\p{L}\\p{N}]{4,}/gu)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0)
        .map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


# The buttons that the connection pill is drawn over.
COVERED_BY_THE_PILL = """() => {
  const pill = document.getElementById('conn').getBoundingClientRect();
  return [...document.querySelectorAll('button, a, input, textarea')].filter((b) => {
    const r = b.getBoundingClientRect();
    if (!r.width || !r.height || b.closest('#conn')) return false;
    return r.left < pill.right && r.right > pill.left && r.top < pill.bottom && r.bottom > pill.top;
  }).map((b) => b.textContent.trim() || b.id);
}"""


def run(coroutine: object) -> None:
    """Drive the live protocol from a thread of its own (Playwright's sync API holds this one)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result(30)  # type: ignore[arg-type]


async def add_hypothesis(server: RunningServer, meeting_id: str) -> None:
    chair = await LiveClient.open(server, meeting_id, await login(server, "kalle", PASSWORD))
    await chair.next_of("snapshot")
    await chair.ok({"op": "phase.goto", "index": 2})
    await chair.ok({"op": "entry.add", "phase": "hypotheses", "text": TEXT})
    await chair.close()


def meeting_of(server: RunningServer) -> dict[str, str]:
    result: dict[str, dict[str, str]] = {}

    async def make() -> None:
        result["meeting"] = await new_meeting(server, await login(server, "kalle", PASSWORD))

    run(make())
    return result["meeting"]


def hyphenated_or_whole(page: Page) -> None:
    lines = page.evaluate(WORD_LINES, WORDS)
    hyphens = page.evaluate(
        "() => getComputedStyle(document.querySelector('.phase.current .entry .text')).hyphens"
    )
    for word, count in zip(WORDS, lines, strict=True):
        # A word fits a 320 px line at the phone's size: on one line it must be.
        assert count == 1 or hyphens == "auto", f"{word} broken over {count} lines"
        assert count == 1, f"{word} broken mid-word over {count} lines"


def test_long_finnish_words_are_not_broken_mid_word(
    server: RunningServer, browser: Browser
) -> None:
    meeting = meeting_of(server)
    chair = chair_page(browser, server.base, meeting["id"])
    phone = new_page(browser, {"width": 320, "height": 640}, mobile=True)
    join(phone, f"{server.base}/join/{meeting['join_code']}", "Aino", "äiti", family=True)
    admit(chair, "Aino")
    run(add_hypothesis(server, meeting["id"]))
    expect(phone.locator(".phase.current .entry .text")).to_have_text(TEXT)
    hyphenated_or_whole(phone)
    for size in ((390, 844), (1366, 820), (1920, 1080), (320, 640)):
        chair.set_viewport_size({"width": size[0], "height": size[1]})
        phone.set_viewport_size({"width": size[0], "height": size[1]})
        for page in (chair, phone):
            assert page.evaluate(BROKEN_WORDS) == [], f"{page.url} at {size}"
    phone.set_viewport_size({"width": 320, "height": 640})
    # Scrolled, the "connected" pill covers no button (it stays at the top of the page).
    chair.set_viewport_size({"width": 390, "height": 500})
    for page in (phone, chair):
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        covered = page.evaluate(COVERED_BY_THE_PILL)
        assert covered == [], f"{page.url}: the pill covers {covered}"
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"the page scrolls sideways ({width} px)"
    for page in (chair, phone):
        page.context.close()
