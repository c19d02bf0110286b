"""The server killed with SIGKILL right after an acknowledgement loses nothing acknowledged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import PASSWORD, add_users, free_port, migrated_sqlite
from tests.helpers import LiveClient, RunningServer, join, login, new_meeting

ROOT = Path(__file__).resolve().parents[2]


class Process:
    """`avoin serve` in a process of its own, so that it can be killed for real."""

    def __init__(self, url: str, port: int, tmp: Path) -> None:
        self.port = port
        self.env = {
            **os.environ,
            "AVOIN_DATABASE_URL": url,
            "AVOIN_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "AVOIN_SECRET_KEY": "k" * 40,
            "AVOIN_ENV": "test",
        }
        self.log = tmp / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port)],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture
def process(tmp_path: Path) -> Iterator[Process]:
    url = migrated_sqlite(tmp_path)
    add_users(url, "kalle")
    proc = Process(url, free_port(), tmp_path)
    proc.start()
    yield proc
    proc.stop()


async def test_sigkill_right_after_an_ack_loses_nothing(process: Process) -> None:
    server = RunningServer(base=f"http://127.0.0.1:{process.port}")
    cookies = await login(server, "kalle", PASSWORD)
    meeting = await new_meeting(server, cookies)
    chair = await LiveClient.open(server, meeting["id"], cookies)
    await chair.next_of("snapshot")
    phone = await join(server, meeting, "Aino", "äiti", family=True)
    await chair.ok({"op": "participant.admit", "participant": phone.participant})
    texts = [f"Kirjaus {n}: ääkköset ja ”lainausmerkit”" for n in range(5)]
    acked = [await chair.ok({"op": "entry.add", "phase": "opening", "text": t}) for t in texts]
    process.kill()  # no graceful shutdown: the ack is all the client had
    await chair.closed()

    process.start()
    async with server.http(cookies=cookies) as http:
        state = (await http.get(f"/api/meetings/{meeting['id']}")).json()
    assert [e["text"] for e in state["state"]["entries"]] == texts
    assert state["seq"] == acked[-1]["seq"]

    # The chair reconnects with what it had seen: nothing is missing, nothing comes twice, and the
    # sequence carries on without a gap.
    back = await LiveClient.open(server, meeting["id"], cookies, since=acked[-1]["seq"])
    after = await back.ok(
        {"op": "entry.add", "phase": "opening", "text": "Uudelleenkäynnistyksen jälkeen"}
    )
    assert after["seq"] == acked[-1]["seq"] + 1
    assert [f["seq"] for f in back.events()] == [after["seq"]]
    await back.close()
