"""Scenario 8: two Avoin instances over Redis, sharing one PostgreSQL database (Avoin only).

Two `avoin serve` processes on the server's core, a fresh PostgreSQL database (migrated, the
bench's user added) and the Redis fan-out. Each meeting's chair and scribe are on instance A;
its phones alternate between A (the same instance) and B (across Redis), connecting directly
(no proxy; both instances have A's address as their public origin). Draft-to-screen and
commit-to-screen are measured per group in the same window: the Redis hop is B's p50 minus A's.
Skipped, saying why, when PostgreSQL or Redis is not reachable, unless `CI` is set (then the
bench fails, as the tests do).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.loadgen import PASSWORD, USERNAME, cpu_seconds, percentiles

if TYPE_CHECKING:
    from bench.loadgen import Generator, Meeting

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379/0"


def unreachable(redis_too: bool = True) -> str | None:
    """Why scenario 8 (or, without Redis, scenario 9 on PostgreSQL) cannot run here, or None."""
    problems = []
    try:
        import psycopg

        psycopg.connect(PG_ADMIN, connect_timeout=2).close()
    except Exception as exc:  # psycopg missing or the server away
        problems.append(f"PostgreSQL at 127.0.0.1:5432 is not reachable ({type(exc).__name__})")
    try:
        if not redis_too:
            return "; ".join(problems) or None
        import redis

        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=2).ping()
    except Exception as exc:
        problems.append(f"Redis at 127.0.0.1:6379 is not reachable ({type(exc).__name__})")
    return "; ".join(problems) or None


def run_pair(spec: dict[str, Any], workdir: Path) -> dict[str, Any]:
    """Start the topology, run the generator against it, drop the database."""
    from bench.servers import free_port, load, server

    why = unreachable()
    if why:
        if os.environ.get("CI"):
            raise RuntimeError(f"scenario 8: {why}")
        return {"skipped": why}
    with postgres_database() as extra:
        port_a, port_b = free_port(), free_port()
        extra = {
            **extra,
            "AVOIN_FANOUT_URL": REDIS,
            "AVOIN_PUBLIC_URL": f"http://127.0.0.1:{port_a}",
        }
        with (
            server("avoin", workdir, extra, port_a) as (base_a, pid_a),
            server("avoin", workdir, extra, port_b) as (base_b, pid_b),
        ):
            more = {"base_b": base_b, "pid_b": pid_b}
            return load("avoin", base_a, pid_a, {**spec, **more}, workdir)["pair"]


@contextmanager
def postgres_database() -> Iterator[dict[str, str]]:
    """A fresh PostgreSQL database, migrated, with the bench's user: Avoin's settings for it.
    Dropped at the end."""
    import psycopg

    name = f"bench_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {
            **os.environ,
            "AVOIN_DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{name}",
            "AVOIN_SECRET_KEY": "b" * 40,
            "AVOIN_ENV": "test",
        }
        for args in (["migrate"], ["user", "add", "--username", USERNAME, "--password", PASSWORD]):
            subprocess.run(
                [sys.executable, "-m", "app.cli", *args],
                env=env,
                check=True,
                capture_output=True,
            )
        yield {k: v for k, v in env.items() if k.startswith("AVOIN_")}
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def redis_pair(gen: Generator, spec: dict[str, Any]) -> dict[str, Any]:
    """Scenario 1's load with the phones split between A and B; latency per group."""
    base_b, pid_b = gen.spec["base_b"], gen.spec["pid_b"]

    def arrange(m: Meeting) -> None:
        for k, phone in enumerate(m.phones):
            phone.group = "b" if k % 2 else "a"
            phone.base = base_b if k % 2 else None

    made = await gen.setup(spec["meetings"], spec["phones"], arrange)
    stop = asyncio.Event()
    loops = [asyncio.create_task(gen._scribe(m, spec, stop)) for m in made]
    loops += [asyncio.create_task(gen._chair(m, spec, stop)) for m in made]
    await asyncio.sleep(spec["warmup"])
    cpu_b = cpu_seconds(pid_b)
    result = await gen._window(spec["seconds"])
    result["server_b_cpu"] = (cpu_seconds(pid_b) - cpu_b) / spec["seconds"]
    stop.set()
    await asyncio.gather(*loops, return_exceptions=True)
    groups = gen.stats.groups
    for group in ("a", "b"):
        seen = groups.get(group, {"draft": [], "commit": []})
        result[group] = {kind: percentiles(seen[kind]) for kind in ("draft", "commit")}
    result["hop_draft_p50"] = result["b"]["draft"]["p50"] - result["a"]["draft"]["p50"]
    result["hop_commit_p50"] = result["b"]["commit"]["p50"] - result["a"]["commit"]["p50"]
    result["sockets"] = sum(len(m.clients) for m in made)
    result["errors"] = dict(gen.stats.errors)
    result["closes"] = dict(gen.stats.closes)
    return result
