"""Fixtures: a fresh migrated database, a real uvicorn server on a free port, live clients."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest
import uvicorn
from argon2 import PasswordHasher
from playwright.sync_api import Browser, sync_playwright

from app.accounts import User, add_user
from app.cli import migrate
from app.config import Settings
from app.db import make_engine, transaction
from app.main import create_app
from app.server import uvicorn_options
from tests.browser import CHROMIUM, CHROMIUM_ARGS, CHROMIUM_MISSING
from tests.helpers import RunningServer

PASSWORD = "salasana-123"


LIVE_FIXTURES = {"server", "any_server", "world"}
# What a module that runs servers, sockets or processes of its own uses.
LIVE_WORDS = ("RunningServer", "start_server", "LiveClient", "subprocess", "uvicorn.Server")
FAULT_MODULES = ("tests/security/test_faults.py", "tests/meetings/test_durability.py")
SLOW_MODULES = (
    "tests/bench/",
    "tests/test_production.py",
    "tests/security/test_schema.py",
    "tests/security/test_fuzz.py",
)


@cache
def _runs_servers(path: Path) -> bool:
    return any(word in path.read_text() for word in LIVE_WORDS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each test's kind, from what it uses: the browser, a server, faults, or nothing of these
    (unit). `make test-fast` runs `-m unit`."""
    for item in items:
        where = item.nodeid
        fixtures = set(getattr(item, "fixturenames", ()))
        if where.startswith(FAULT_MODULES):
            item.add_marker(pytest.mark.fault)
        if where.startswith(SLOW_MODULES):
            item.add_marker(pytest.mark.slow)
        if "browser" in fixtures:
            item.add_marker(pytest.mark.browser)
        if fixtures & LIVE_FIXTURES or _runs_servers(Path(str(item.path))):
            item.add_marker(pytest.mark.live)
        kinds = {"browser", "live", "fault", "slow"}
        if not any(item.get_closest_marker(kind) for kind in kinds):
            item.add_marker(pytest.mark.unit)


def require(ok: bool, why: str) -> None:
    """A test's missing service or program: a failure under CI (which installs and starts
    everything), else a skip that says why in the summary (`-rs`). Never a silent skip."""
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(why)
    pytest.skip(why)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def migrated_sqlite(directory: Path) -> str:
    """A fresh SQLite database with the real migrations run."""
    url = f"sqlite:///{directory / 'avoin.db'}"
    migrate(url)
    return url


@cache
def quick_hash() -> str:
    """PASSWORD hashed with argon2's smallest cost. A hash carries its own parameters, so the
    app verifies it in a millisecond; the production cost (about 0.1 s of a core, per login)
    would otherwise be a large part of the suite. Modules that time logins set
    STRONG_PASSWORDS = True and get the app's own hash."""
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)


def add_users(url: str, *names: str, strong: bool = False) -> None:
    engine = make_engine(url)
    with transaction(engine) as session:
        for name in names:
            if strong:
                add_user(session, name, PASSWORD, display_name=name.capitalize())
            else:
                session.add(
                    User(username=name, display_name=name.capitalize(), password_hash=quick_hash())
                )
    engine.dispose()


def strong_passwords(request: pytest.FixtureRequest) -> bool:
    """Whether the requesting module times logins (see quick_hash)."""
    return bool(getattr(request.module, "STRONG_PASSWORDS", False))


def start_server(
    directory: Path, database_url: str | None = None, strong: bool = False, **settings: object
) -> tuple[RunningServer, uvicorn.Server]:
    """A real uvicorn server in a thread of this process, on a free port, with a fresh database
    (SQLite in `directory` unless a database URL is given: migrated there) and two users
    (`strong`: with the app's own password hash)."""
    if database_url is None:
        url = migrated_sqlite(directory)
    else:
        url = database_url
        migrate(url)
    add_users(url, "kalle", "jari", strong=strong)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    config_settings = Settings(
        env="test", database_url=url, public_url=base, secret_key="t" * 40, **settings
    )
    app = create_app(config_settings)
    config = uvicorn.Config(
        app,
        log_level="warning",
        lifespan="on",
        **uvicorn_options("127.0.0.1", port, heartbeat_seconds=config_settings.heartbeat_seconds),
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    uv.thread = thread  # type: ignore[attr-defined]
    return RunningServer(base=base, app=app), uv


def stop_server(uv: uvicorn.Server) -> None:
    uv.should_exit = True
    uv.thread.join(15)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """The module's server, shared by its tests (each test makes its own meeting)."""
    running, uv = start_server(tmp_path_factory.mktemp("db"), strong=strong_passwords(request))
    yield running
    stop_server(uv)


def require_production_services() -> None:
    """PostgreSQL and Redis must be reachable: skipped (saying why) on a developer's machine
    without them, but a failure in CI, which starts them (.ci/run)."""
    import psycopg
    import redis

    problems = []
    try:
        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()
    except psycopg.Error as exc:
        problems.append(f"PostgreSQL at 127.0.0.1:5432 is not reachable ({type(exc).__name__})")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        problems.append(f"Redis at 127.0.0.1:6379 is not reachable ({type(exc).__name__})")
    require(not problems, "; ".join(problems) + " (.ci/run starts them)")


@pytest.fixture(scope="module", params=["sqlite+memory", "postgresql+redis"])
def any_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """The same live tests on the embedded set-up and on the production one (a real PostgreSQL
    database made for the run, and the machine's Redis)."""
    with server_on(request.param, tmp_path_factory, strong=strong_passwords(request)) as running:
        yield running


@contextmanager
def server_on(
    setup: str, tmp_path_factory: pytest.TempPathFactory, **settings: object
) -> Iterator[RunningServer]:
    """A server on "sqlite+memory" or "postgresql+redis" (a database made for it, dropped after),
    with these settings."""
    if setup == "sqlite+memory":
        running, uv = start_server(tmp_path_factory.mktemp("db"), **settings)
        try:
            yield running
        finally:
            stop_server(uv)
        return
    require_production_services()
    from tests.production import REDIS, drop_database, new_database

    name, url = new_database()
    try:
        running, uv = start_server(
            tmp_path_factory.mktemp("pg"), database_url=url, fanout_url=REDIS, **settings
        )
        try:
            yield running
        finally:
            stop_server(uv)
    finally:
        drop_database(name)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (never a downloaded one)."""
    require(Path(CHROMIUM).exists(), CHROMIUM_MISSING)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
