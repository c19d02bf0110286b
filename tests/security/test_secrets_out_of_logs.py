"""Item 3 of issue 16 (its log part): a plain `uvicorn app.main:app`, whose access log is on,
writes no join code, summary token or screen token into its log; the app itself redacts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from tests.conftest import free_port, migrated_sqlite
from tests.production import wait_ready


def test_a_plain_uvicorn_logs_no_secret(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "AVOIN_DATABASE_URL": migrated_sqlite(tmp_path),
        "AVOIN_PUBLIC_URL": base,
        "AVOIN_SECRET_KEY": "s" * 40,
        "AVOIN_ENV": "test",
    }
    log = tmp_path / "uvicorn.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_ready(f"{base}/healthz", proc, log)
        secrets = ["48291735", "SummaryTokenAbcdefghijklmnop", "ScreenTokenQrstuvwxyz0123456"]
        with httpx.Client(base_url=base) as http:
            http.get(f"/join/{secrets[0]}")
            http.get(f"/s/{secrets[1]}")
            http.get(f"/m/m_x/screen?token={secrets[2]}")
        url = f"ws://127.0.0.1:{port}/ws/meetings/m_x?token={secrets[2]}"
        try:
            with connect(url, origin=base) as ws:  # type: ignore[arg-type]
                ws.recv()
        except (ConnectionClosed, InvalidStatus):
            pass
        httpx.get(f"{base}/healthz?mark=done")  # the last line: everything before is written
    finally:
        proc.terminate()
        proc.wait(10)
    logged = log.read_text()
    assert "/healthz" in logged and "/join/" in logged  # the access log is on, and redacted
    for secret in secrets:
        assert secret not in logged
