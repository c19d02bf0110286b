"""Core statements compiled once per dialect and run on the driver's cursor of the caller's
connection: the few statements of every op, without SQLAlchemy's per-execution work.

An entry op is five statements and a commit. SQLAlchemy's execution machinery (an execution
context, events, the compiled-cache lookup, a result object) cost more than SQLite's own work
for each of them, and the op runs on the event loop. The statement is still defined once, as a
Core construct; only its execution is leaner: the same SQL and the same bound values (through the
dialect's own bind processors), on the same connection and in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement
from sqlmodel import Session

from app.db import CONNECTION

# The SQL, the order of its positional parameters (None: named), the bind processors by name,
# and the values the statement carries itself (the 1 of `last_seq + 1`), already processed.
Compiled = tuple[str, Sequence[str] | None, dict[str, Callable[[Any], Any]], dict[str, Any]]


class Prepared:
    """One hot Core statement; `run` executes it within a session's transaction."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[tuple[str, str, tuple[str, ...]], Compiled] = {}

    def _compile(self, dialect: Dialect, keys: tuple[str, ...]) -> Compiled:
        key = (dialect.name, dialect.paramstyle, keys)
        found = self._compiled.get(key)
        if found is None:
            compiled = self.statement.compile(dialect=dialect, column_keys=list(keys))
            assert isinstance(compiled, SQLCompiler), "a DML or SELECT statement, not DDL"
            if compiled.insert_prefetch or compiled.update_prefetch:
                # A Python-side column default is applied by SQLAlchemy's execution, which this
                # path skips: such a statement must go through `session.execute`.
                raise TypeError(f"a column default needs SQLAlchemy's execution: {compiled}")
            processors: dict[str, Callable[[Any], Any]] = {
                name: fn
                for name, fn in compiled._bind_processors.items()
                # None: the value goes as it is; a tuple type's sequence (IN of tuples) is unused
                if callable(fn)
            }
            own = {
                name: processors[name](bind.value) if name in processors else bind.value
                for bind, name in compiled.bind_names.items()
                if name not in keys
            }
            found = (compiled.string, compiled.positiontup, processors, own)
            self._compiled[key] = found
        return found

    def run(self, session: Session, params: dict[str, Any]) -> Any:
        """Execute with `params` on the session's connection; the driver's cursor (for
        RETURNING and SELECT, `fetchone()`)."""
        connection = session.info.get(CONNECTION)
        if connection is None or connection.closed:
            connection = session.connection()
        dialect = connection.dialect
        sql, order, processors, own = self._compile(dialect, tuple(params))
        values = {
            name: processors[name](value) if name in processors else value
            for name, value in params.items()
        }
        values.update(own)
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            if order is not None:
                cursor.execute(sql, [values[name] for name in order])
            else:
                cursor.execute(sql, values)
        except dialect.loaded_dbapi.Error as exc:
            # As SQLAlchemy's own execution would raise it: callers catch IntegrityError (a
            # resend raced), OperationalError (SQLite's lock) and DBAPIError (the database is
            # unavailable), never the driver's own classes. A lost connection is not reused.
            if dialect.is_disconnect(exc, connection.connection, cursor):
                connection.invalidate(exc)
            raise DBAPIError.instance(
                sql, values, exc, dialect.loaded_dbapi.Error, hide_parameters=True, dialect=dialect
            ) from exc
        return cursor
