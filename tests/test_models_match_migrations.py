"""The tables the migrations make are the tables the models describe, on SQLite and PostgreSQL:
a column added to a model without its migration (or the other way round) fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import app.models  # noqa: F401 - every table known
from tests.old_schema import database_at


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_migrated_schema_is_the_models(backend: str, tmp_path: Path) -> None:
    with database_at(backend, tmp_path, "head") as db, db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert differences == []
