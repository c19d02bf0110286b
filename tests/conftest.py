"""Fixtures: a fresh migrated database, a real uvicorn server on a free port, live clients."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from app.accounts import add_user
from app.cli import migrate
from app.config import Settings
from app.db import make_engine, transaction
from app.main import create_app
from app.server import uvicorn_options
from tests.helpers import RunningServer

PASSWORD = "salasana-123"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def migrated_sqlite(directory: Path) -> str:
    """A fresh SQLite database with the real migrations run."""
    url = f"sqlite:///{directory / 'avoin.db'}"
    migrate(url)
    return url


def add_users(url: str, *names: str) -> None:
    engine = make_engine(url)
    with transaction(engine) as session:
        for name in names:
            add_user(session, name, PASSWORD, display_name=name.capitalize())
    engine.dispose()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A real uvicorn server in a thread of this process, on a free port, with a fresh database."""
    url = migrated_sqlite(tmp_path_factory.mktemp("db"))
    add_users(url, "kalle", "jari")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = Settings(env="test", database_url=url, public_url=base, secret_key="t" * 40)
    app = create_app(settings)
    config = uvicorn.Config(
        app, log_level="warning", lifespan="on", **uvicorn_options("127.0.0.1", port)
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    yield RunningServer(base=base, app=app)
    uv.should_exit = True
    thread.join(15)
