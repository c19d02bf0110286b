"""PostgreSQL's own part of scenario 9: the commit round trip with nothing else around it.

One client on the server's core does what Avoin's short way does for an entry (the meeting's
turn, the event and the entry inserted, one Sync that commits, `synchronous_commit` on) at
scenario 9's pace, and times each round trip. No sockets, no rules, no fan-out: the floor under
Avoin's commit-to-screen latency on PostgreSQL, to read beside the relay's whole latency.
Run: `python -m bench.pg_floor URL SECONDS INTERVAL` → JSON on stdout.
"""

from __future__ import annotations

import json
import os
import select
import sys
import time
from typing import Any

import psycopg
from psycopg import pq

from bench.loadgen import FILLER, percentiles

# Logged tables as Avoin's are (a temporary table's commit would skip the log's flush).
_TABLE = "CREATE TABLE {0} (meeting text, seq int, body text, PRIMARY KEY (meeting, seq))"
_STATEMENTS = (
    ("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", 1),
    ("INSERT INTO {0}_event VALUES ($1, $2, $3)", 3),
    ("INSERT INTO {0}_entry VALUES ($1, $2, $3)", 3),
)


def _round_trip(pg: pq.PGconn, prefix: str, meeting: bytes, seq: int) -> None:
    values = [meeting, str(seq).encode(), FILLER.encode()]
    for sql, n in _STATEMENTS:
        pg.send_query_params(sql.format(prefix).encode(), values[:n])
    pg.pipeline_sync()
    while pg.flush():
        select.select([], [pg.socket], [])
    while True:
        select.select([pg.socket], [], [])
        pg.consume_input()
        while not pg.is_busy():
            result = pg.get_result()
            if result is None:
                continue
            if result.status == pq.ExecStatus.PIPELINE_SYNC:
                return
            if result.status == pq.ExecStatus.FATAL_ERROR:
                raise RuntimeError(result.error_message.decode())


def measure(url: str, seconds: float, interval: float) -> dict[str, Any]:
    """Round trips `interval` apart for `seconds`, over 20 meetings in turn."""
    prefix = f"floor_{os.getpid()}"
    tables = [f"{prefix}_event", f"{prefix}_entry"]
    with psycopg.connect(url, autocommit=True) as conn:
        for name in tables:
            conn.execute(_TABLE.format(name))  # type: ignore[arg-type]
        try:
            pg = conn.pgconn
            pg.enter_pipeline_mode()
            took: list[float] = []
            end = time.monotonic() + seconds
            seq = 0
            while time.monotonic() < end:
                seq += 1
                started = time.perf_counter()
                _round_trip(pg, prefix, f"m_{seq % 20}".encode(), seq)
                took.append((time.perf_counter() - started) * 1000)
                time.sleep(max(0.0, interval - (time.perf_counter() - started)))
            pg.exit_pipeline_mode()
        finally:
            for name in tables:
                conn.execute(f"DROP TABLE IF EXISTS {name}")  # type: ignore[arg-type]
    return {"round_trip": percentiles(took[len(took) // 10 :])}  # the first tenth warms up


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]))))
