"""Page weight and first render of the phone's pages and the shared screen on a slow phone.

Run on demand (not part of the test suite): `.venv/bin/python -m bench.page_weight [--runs N]`.
It starts the app the way tests/conftest.py does (a real uvicorn on a free port, a fresh migrated
SQLite database), builds a meeting over the live protocol, and loads each page in Debian's
Chromium with a cold cache, the network throttled to slow 3G (400 ms latency, 400 kbit/s) and the
CPU slowed 4x. It prints a Markdown table: bytes as served and gzipped (HTML, CSS, JS), requests,
and the medians of first contentful paint, DOMContentLoaded and the live view being drawn.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import platform
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from playwright.sync_api import Browser, Response, sync_playwright
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp

from app.config import Settings
from app.main import create_app
from app.server import uvicorn_options
from tests.conftest import PASSWORD, add_users, free_port, migrated_sqlite
from tests.helpers import LiveClient, RunningServer, join, login, new_meeting

CHROMIUM = os.environ.get("AVOIN_CHROMIUM", "/usr/bin/chromium")
LATENCY_MS = 400
KBIT_PER_S = 400
CPU_SLOWDOWN = 4
PHONE = {"width": 390, "height": 844}
KINDS = {"document": "HTML", "stylesheet": "CSS", "script": "JS"}


@contextmanager
def running_server(compress: bool) -> Iterator[RunningServer]:
    """The app on a free port with a fresh database, as the test suite's `server` fixture.

    With `compress`, responses are gzipped as the Caddy of deploy/ does (`encode zstd gzip`).
    """
    with tempfile.TemporaryDirectory() as tmp:
        url = migrated_sqlite(Path(tmp))
        add_users(url, "kalle")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        settings = Settings(env="test", database_url=url, public_url=base, secret_key="b" * 40)
        app = create_app(settings)
        served: ASGIApp = GZipMiddleware(app, minimum_size=512) if compress else app
        config = uvicorn.Config(
            served, log_level="warning", lifespan="on", **uvicorn_options("127.0.0.1", port)
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        try:
            yield RunningServer(base=base, app=app)
        finally:
            server.should_exit = True
            thread.join(15)


@dataclass
class Meeting:
    """A meeting with a short record, one participant inside and one waiting in the lobby."""

    info: dict[str, Any]
    inside: dict[str, str]
    waiting: dict[str, str]


async def _build_meeting(server: RunningServer) -> Meeting:
    chair = await login(server, "kalle", PASSWORD)
    info = await new_meeting(server, chair)
    inside = await join(server, info, "Aino", role_label="äiti", family=True)
    waiting = await join(server, info, "Eetu", role_label="isä", family=True)
    live = await LiveClient.open(server, info["id"], cookies=chair)
    try:
        await live.ok({"op": "participant.admit", "participant": inside.participant})
        await live.ok({"op": "phase.goto", "index": 2})
        for n in range(1, 7):
            await live.ok(
                {
                    "op": "entry.add",
                    "phase": "hypotheses",
                    "text": f"Voisiko kyse olla siitä, että aamuisin on kiire ({n})?",
                    "speaker": inside.participant,
                }
            )
    finally:
        await live.close()
    return Meeting(info, inside.cookies, waiting.cookies)


@dataclass
class Page:
    """One page to measure: its address, the cookies it needs, what shows it is drawn."""

    name: str
    path: str
    ready: str
    cookies: dict[str, str] = field(default_factory=dict)


@dataclass
class Load:
    """What one cold load of a page cost."""

    bytes: dict[str, int]
    gzip: dict[str, int]
    transferred: int
    requests: int
    fcp: float
    dcl: float
    ready: float


def _pages(server: RunningServer, meeting: Meeting) -> list[Page]:
    info = meeting.info
    return [
        Page("join form", f"/join/{info['join_code']}", "#name"),
        Page("phone, lobby", f"/m/{info['id']}", "#lobby:not([hidden])", meeting.waiting),
        Page("phone, inside", f"/m/{info['id']}", "#inside:not([hidden]) .entry", meeting.inside),
        Page("shared screen", info["links"]["screen"].removeprefix(server.base), ".entry"),
    ]


def _measure(
    browser: Browser, server: RunningServer, page_spec: Page, verbose: bool = False
) -> Load:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.add_cookies(
        [{"name": k, "value": v, "url": server.base} for k, v in page_spec.cookies.items()]  # type: ignore[misc]
    )
    page = context.new_page()
    page.set_default_timeout(120_000)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": LATENCY_MS,
            "downloadThroughput": KBIT_PER_S * 1000 / 8,
            "uploadThroughput": KBIT_PER_S * 1000 / 8,
        },
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))
    try:
        page.goto(server.base + page_spec.path, wait_until="load")
        page.wait_for_selector(page_spec.ready, state="visible")
        ready = page.evaluate("() => performance.now()")
        # Script can see an element laid out before the stylesheet lets it be painted: drawn
        # means painted too.
        page.wait_for_function(
            "() => performance.getEntriesByName('first-contentful-paint').length > 0"
        )
        timing = page.evaluate(
            """() => {
              const nav = performance.getEntriesByType("navigation")[0];
              const fcp = performance.getEntriesByName("first-contentful-paint")[0];
              return {dcl: nav.domContentLoadedEventEnd, fcp: fcp ? fcp.startTime : null};
            }"""
        )
        plain = dict.fromkeys(KINDS.values(), 0)
        packed = dict.fromkeys(KINDS.values(), 0)
        transferred = 0
        for response in responses:
            sizes = response.request.sizes()
            transferred += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            kind = KINDS.get(response.request.resource_type)
            if kind is None:
                continue
            body = response.body()
            plain[kind] += len(body)
            packed[kind] += len(gzip.compress(body, compresslevel=6))
        if verbose:
            origin = responses[0].request.timing["startTime"]
            for response in responses:
                times = response.request.timing
                start = times["startTime"] - origin
                print(
                    f"  {page_spec.name}: {response.request.resource_type:10} "
                    f"{response.url.removeprefix(server.base)[:48]:48} "
                    f"{start / 1000:5.2f}s .. {(start + times['responseEnd']) / 1000:5.2f}s"
                )
    finally:
        context.close()
    drawn = max(ready, timing["fcp"])
    return Load(plain, packed, transferred, len(responses), timing["fcp"], timing["dcl"], drawn)


def _kb(n: float) -> str:
    return f"{n / 1024:.1f}"


def _row(name: str, compress: bool, loads: list[Load]) -> str:
    first = loads[0]
    plain = " / ".join(_kb(first.bytes[k]) for k in KINDS.values())
    packed = " / ".join(_kb(first.gzip[k]) for k in KINDS.values())
    fcp = statistics.median(load.fcp for load in loads)
    dcl = statistics.median(load.dcl for load in loads)
    drawn = statistics.median(load.ready for load in loads)
    return (
        f"| {name} | {'gzip' if compress else 'none'} | {_kb(sum(first.bytes.values()))} ({plain}) "
        f"| {_kb(sum(first.gzip.values()))} ({packed}) | {_kb(first.transferred)} "
        f"| {first.requests} | {fcp / 1000:.2f} | {dcl / 1000:.2f} | {drawn / 1000:.2f} |"
    )


def _machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}"


def _measure_all(browser: Browser, compress: bool, runs: int, verbose: bool) -> list[str]:
    """The table's rows for one way of serving: plain uvicorn, or gzipped as behind Caddy."""
    with running_server(compress) as server:
        with ThreadPoolExecutor(1) as pool:
            meeting = pool.submit(asyncio.run, _build_meeting(server)).result(timeout=60)
        return [
            _row(
                spec.name,
                compress,
                [_measure(browser, server, spec, verbose and n == 0) for n in range(runs)],
            )
            for spec in _pages(server, meeting)
        ]


def main() -> None:
    """Measure every page `--runs` times, uncompressed and gzipped, and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold loads per page (median)")
    parser.add_argument("--verbose", action="store_true", help="list each request of a load")
    args = parser.parse_args()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        version = f"Chromium {browser.version}"
        try:
            rows = [
                row
                for compress in (False, True)
                for row in _measure_all(browser, compress, args.runs, args.verbose)
            ]
        finally:
            browser.close()
    print(
        f"Slow 3G ({LATENCY_MS} ms latency, {KBIT_PER_S} kbit/s), CPU {CPU_SLOWDOWN}x slower, "
        f"cold cache, {PHONE['width']}x{PHONE['height']}; times are the median of {args.runs} "
        f"loads; {_machine()}; {version}\n"
    )
    print(
        "| page | compression | KiB uncompressed (HTML / CSS / JS) | KiB gzip -6 (HTML / CSS / JS) "
        "| KiB transferred | requests | first contentful paint, s | DOMContentLoaded, s "
        "| view drawn, s |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(row)


if __name__ == "__main__":
    main()
