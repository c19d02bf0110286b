"""A phone that stops answering turns grey in the chair's list (issue 17, item 11): its network
is gone, so it never says goodbye; the server's heartbeat finds it silent and lets it go."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, expect
from websockets.sync.client import connect

from tests.browser import shot
from tests.conftest import server_on
from tests.helpers import RunningServer
from tests.security.faultproxy import FaultProxy
from tests.test_screens import admit, chair_starts, links
from tests.test_screens import meeting_id as meeting_of

HEARTBEAT = 0.5  # seconds: the server cuts a socket silent for twice this


@pytest.fixture(scope="module")
def quick_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with server_on("sqlite+memory", tmp_path_factory, heartbeat_seconds=HEARTBEAT) as running:
        yield running


def test_a_phone_that_stops_answering_greys_in_the_chairs_list(
    browser: Browser, quick_server: RunningServer
) -> None:
    server = quick_server
    chair = chair_starts(browser, server.base, "Hypoteesityöskentely", "Hiljaisuus")
    code = links(chair)["code"]
    meeting_id = meeting_of(chair)
    answer = httpx.post(
        f"{server.base}/api/meetings/{meeting_id}/join",
        json={"join_code": code, "name": "Aino", "role_label": "äiti", "family": True},
    )
    answer.raise_for_status()
    cookie = f"avoin_p_{meeting_id}"
    expect(chair.locator("#lobby li", has_text="Aino")).to_be_visible()
    admit(chair, "Aino")
    row = chair.locator("#people li", has_text="Aino")
    expect(row.locator(".dot")).not_to_have_class("dot online")

    # The phone's network: a proxy that can go silent without closing anything.
    proxy = FaultProxy(int(server.base.rsplit(":", 1)[1])).start()
    try:
        url = f"ws://127.0.0.1:{proxy.port}/ws/meetings/{meeting_id}"
        with connect(
            url,
            origin=server.origin,  # type: ignore[arg-type]
            additional_headers={"Cookie": f"{cookie}={answer.cookies[cookie]}"},
            max_queue=None,
            close_timeout=1,
        ) as phone:
            phone.send(json.dumps({"op": "hello", "since": 0}))
            while json.loads(phone.recv(timeout=10))["type"] != "snapshot":
                pass  # the welcome comes first
            expect(row.locator(".dot")).to_have_class("dot online")
            expect(row.locator(".dot")).to_have_attribute("aria-label", "paikalla")

            proxy.stall()  # in a pocket: the socket stays open, nothing flows either way
            expect(row.locator(".dot")).to_have_class("dot", timeout=10_000)
            expect(row.locator(".dot")).to_have_attribute("aria-label", "poissa")
            shot(chair, "chair-phone-gone-grey")
    finally:
        proxy.stop()
