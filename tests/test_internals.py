"""The private internals of other projects that Avoin leans on, each checked by name.

The lock (requirements.lock) pins the versions these were written against. The day an upgrade
changes one of them, the test for it fails and says which internal moved and which of our files
relies on it, instead of the live path breaking somewhere far from the cause.
"""

from __future__ import annotations

import asyncio
import gettext
import io
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import pytest
import uvicorn
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect


def internal(owner: str, name: str, used_by: str) -> str:
    """The failure message that names the internal and who relies on it."""
    return f"{owner} changed its internal `{name}`, which {used_by} relies on"


# uvicorn: app/realtime/protocol.py (reading ahead) and app/realtime/connection.py (frames written
# straight to the transport).

SANSIO = "uvicorn.protocols.websockets.websockets_sansio_impl"


def test_uvicorn_sansio_protocol_is_where_we_subclass_it() -> None:
    import importlib

    module = importlib.import_module(SANSIO)
    assert hasattr(module, "WebSocketsSansIOProtocol"), internal(
        "uvicorn", f"{SANSIO}.WebSocketsSansIOProtocol", "app/realtime/protocol.py"
    )
    assert callable(module.WebSocketsSansIOProtocol.send_receive_event_to_app), internal(
        "uvicorn", "WebSocketsSansIOProtocol.send_receive_event_to_app", "app/realtime/protocol.py"
    )


class FakeTransport(asyncio.Transport):
    """Records the protocol's calls to pause and resume reading."""

    def __init__(self) -> None:
        super().__init__()
        self.paused = 0

    def pause_reading(self) -> None:
        self.paused += 1

    def resume_reading(self) -> None:
        pass

    def is_closing(self) -> bool:
        return False

    def get_write_buffer_size(self) -> int:
        return 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        pass


def sansio_protocol() -> Any:
    from app.realtime.protocol import LiveProtocol

    async def app(scope: Any, receive: Any, send: Any) -> None:  # pragma: no cover - never run
        pass

    config = uvicorn.Config(app, ws=LiveProtocol)
    config.load()
    loop = asyncio.new_event_loop()
    try:
        protocol = LiveProtocol(config, uvicorn.server.ServerState(), {}, _loop=loop)
    finally:
        loop.close()
    return protocol


@pytest.mark.parametrize(
    "attribute", ["transport", "queue", "read_paused", "close_sent", "disconnected", "frames"]
)
def test_uvicorn_sansio_protocol_state_that_we_read(attribute: str) -> None:
    protocol = sansio_protocol()
    assert hasattr(protocol, attribute), internal(
        "uvicorn",
        f"WebSocketsSansIOProtocol.{attribute}",
        "app/realtime/protocol.py and app/realtime/connection.py",
    )


def test_uvicorn_queues_a_message_without_pausing_when_read_paused_is_set() -> None:
    """LiveProtocol sets `read_paused` around uvicorn's `send_receive_event_to_app` so that the
    message is queued without pausing the socket; it pauses itself once READ_AHEAD wait."""
    from app.realtime.protocol import READ_AHEAD

    protocol = sansio_protocol()
    transport = FakeTransport()
    protocol.transport = transport
    for n in range(1, READ_AHEAD + 1):
        protocol.frames = [b"{}"]
        protocol.curr_msg_data_type = "text"
        protocol.send_receive_event_to_app()
        assert protocol.queue.qsize() == n, internal(
            "uvicorn", "send_receive_event_to_app (queues the message)", "app/realtime/protocol.py"
        )
        if n < READ_AHEAD:
            assert transport.paused == 0, internal(
                "uvicorn",
                "send_receive_event_to_app (pauses only when read_paused is False)",
                "app/realtime/protocol.py",
            )
    assert transport.paused == 1 and protocol.read_paused


def test_uvicorn_send_is_a_bound_method_of_the_protocol() -> None:
    """LiveRoute finds the socket's protocol as `send.__self__` under a real uvicorn server."""
    import websockets.sync.client

    from app.realtime.connection import PROTOCOL_KEY, LiveRoute, SocketWriter
    from app.server import uvicorn_options
    from tests.conftest import free_port

    seen: dict[str, Any] = {}

    async def handler(scope: Any, receive: Any, send: Any, _meeting: str) -> None:
        seen["protocol"] = scope.get(PROTOCOL_KEY)
        seen["writer"] = SocketWriter.for_scope(scope, 1024)
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": 1000})

    async def rest(scope: Any, receive: Any, send: Any) -> None:  # pragma: no cover
        raise AssertionError("only the live route is asked")

    port = free_port()
    app = LiveRoute(rest, r"/ws/meetings/([^/]+)", handler)
    options = uvicorn_options("127.0.0.1", port)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.01)
        url = f"ws://127.0.0.1:{port}/ws/meetings/m1"
        with websockets.sync.client.connect(url) as ws, pytest.raises(websockets.ConnectionClosed):
            ws.recv(timeout=5)
    finally:
        server.should_exit = True
        thread.join(10)
    from app.realtime.protocol import LiveProtocol

    assert isinstance(seen.get("protocol"), LiveProtocol), internal(
        "uvicorn", "the ASGI `send` as a bound method of the protocol", "app/realtime/connection.py"
    )
    assert seen.get("writer") is not None, internal(
        "uvicorn",
        "WebSocketsSansIOProtocol.transport / close_sent / disconnected / handshake_complete",
        "app/realtime/connection.py (SocketWriter)",
    )


# SQLAlchemy: app/prepared.py runs compiled Core statements on the driver's cursor.

TABLE = Table(
    "thing",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("name", String),
    Column("n", Integer),
)
DIALECTS: list[Callable[[], Dialect]] = [sqlite.dialect, postgresql.psycopg.dialect]


@pytest.mark.parametrize("dialect", DIALECTS, ids=["sqlite", "postgresql"])
def test_sqlalchemy_compiled_statement_internals(dialect: Callable[[], Dialect]) -> None:
    used_by = "app/prepared.py (Prepared._compile)"
    compiled = insert(TABLE).compile(dialect=dialect(), column_keys=["name", "n"])
    assert isinstance(getattr(compiled, "_bind_processors", None), Mapping), internal(
        "SQLAlchemy", "SQLCompiler._bind_processors", used_by
    )
    assert isinstance(getattr(compiled, "bind_names", None), Mapping), internal(
        "SQLAlchemy", "SQLCompiler.bind_names", used_by
    )
    assert set(compiled.bind_names.values()) >= {"name", "n"}
    for name in ("insert_prefetch", "update_prefetch", "positiontup"):
        assert hasattr(compiled, name), internal("SQLAlchemy", f"SQLCompiler.{name}", used_by)
    bumped = update(TABLE).values(n=TABLE.c.n + 1).compile(dialect=dialect(), column_keys=[])
    own = [bind.value for bind in bumped.bind_names]
    assert own == [1], internal("SQLAlchemy", "BindParameter.value in bind_names", used_by)


def test_sqlalchemy_driver_connection_and_loaded_dbapi() -> None:
    used_by = "app/prepared.py (Prepared.run)"
    engine = create_engine("sqlite://")
    with engine.connect() as connection:
        assert hasattr(connection.dialect, "loaded_dbapi"), internal(
            "SQLAlchemy", "Dialect.loaded_dbapi", used_by
        )
        assert issubclass(connection.dialect.loaded_dbapi.Error, Exception)
        driver = connection.connection.driver_connection
        assert driver is not None and hasattr(driver, "cursor"), internal(
            "SQLAlchemy", "PoolProxiedConnection.driver_connection", used_by
        )
    engine.dispose()


# The standard library's gettext: app/i18n.py reads a compiled catalogue's messages.


def test_gettext_catalog_dict() -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale="fi")
    catalog.add("Hello", "Hei")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = gettext.GNUTranslations(buffer)
    found = getattr(translations, "_catalog", None)
    assert isinstance(found, dict) and found.get("Hello") == "Hei", internal(
        "gettext", "GNUTranslations._catalog", "app/i18n.py (_catalog)"
    )


# python-docx: app/records/word.py marks the plan's heading row to repeat on every page.


def test_python_docx_row_element() -> None:
    from docx import Document

    row = Document().add_table(rows=1, cols=1).rows[0]
    element = getattr(row, "_tr", None)
    assert element is not None and callable(getattr(element, "get_or_add_trPr", None)), internal(
        "python-docx", "_Row._tr.get_or_add_trPr", "app/records/word.py (_plan)"
    )
