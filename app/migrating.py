"""Help for the migrations in migrations/versions/ (alembic's `op` is handed in)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def alter_table(op: Any, table: str, change: Callable[[Any], None]) -> None:
    """Change a table in batch mode. SQLite alters a table by copying it, and dropping the old
    one would take every row that points at it with it: the keys are off meanwhile."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _between_transactions(op, "PRAGMA foreign_keys=OFF")
    with op.batch_alter_table(table, schema=None) as batch_op:
        change(batch_op)
    if sqlite:
        _between_transactions(op, "PRAGMA foreign_keys=ON")


def _between_transactions(op: Any, pragma: str) -> None:
    # The pragma takes effect only between transactions (the app's engine begins them itself).
    raw = op.get_bind().connection.driver_connection
    if raw.in_transaction:
        raw.execute("COMMIT")
    raw.execute(pragma)
    raw.execute("BEGIN")  # the migration's own transaction goes on (and is committed by it)
