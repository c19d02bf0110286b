"""A database as an earlier revision left it, for the tests of a migration: SQLite or a fresh
PostgreSQL database, migrated up to the revision, with one user in it to own meetings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from sqlalchemy import Engine, create_engine, text

from app.cli import alembic_config
from app.db import normalise_url
from tests.conftest import require_production_services
from tests.production import drop_database, new_database

OWNER = (
    'INSERT INTO "user" (username, display_name, password_hash, is_admin, created_at, '
    "is_manager, unit) VALUES ('kalle', 'Kalle', 'x', false, CURRENT_TIMESTAMP, false, '')"
)


@dataclass(frozen=True)
class OldDatabase:
    url: str
    engine: Engine
    owner: int  # the id of the one user

    def migrate(self, revision: str = "head") -> None:
        command.upgrade(alembic_config(self.url), revision)

    def downgrade(self, revision: str) -> None:
        command.downgrade(alembic_config(self.url), revision)


@contextmanager
def database_at(backend: str, tmp_path: Path, revision: str) -> Iterator[OldDatabase]:
    """The database at `revision` ("sqlite" or "postgresql"), dropped at the end."""
    if backend == "sqlite":
        url, name = f"sqlite:///{tmp_path / 'old.db'}", None
    else:
        require_production_services()
        name, url = new_database()
    engine = create_engine(normalise_url(url))
    try:
        command.upgrade(alembic_config(url), revision)
        with engine.begin() as conn:
            conn.execute(text(OWNER))
            owner = conn.execute(text('SELECT id FROM "user"')).scalar()
        assert isinstance(owner, int)
        yield OldDatabase(url, engine, owner)
    finally:
        engine.dispose()
        if name is not None:
            drop_database(name)
