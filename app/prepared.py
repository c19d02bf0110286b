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

    def bound(self, dialect: Dialect, params: dict[str, Any]) -> tuple[str, Any]:
        """The SQL for `dialect` and its parameters as its driver takes them."""
        sql, order, processors, own = self._compile(dialect, tuple(params))
        values = {
            name: processors[name](value) if name in processors else value
            for name, value in params.items()
        }
        values.update(own)
        return sql, values if order is None else [values[name] for name in order]

    def run(self, session: Session, params: dict[str, Any]) -> Any:
        """Execute with `params` on the session's connection; the driver's cursor (for
        RETURNING and SELECT, `fetchone()`). In a `Batch`'s session a write is kept for the
        batch's round trip instead (and None returned); a read needs the database."""
        batch: Batch | None = session.info.get(BATCH)
        if batch is not None:
            if self.reads:
                raise NeedsDatabase(str(self.statement))
            batch.add(self, params)
            return None
        connection = session.info.get(CONNECTION)
        if connection is None or connection.closed:
            connection = session.connection()
        dialect = connection.dialect
        sql, values = self.bound(dialect, params)
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
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

    @property
    def reads(self) -> bool:
        """Whether its result is read (a SELECT, or a write that returns rows)."""
        return bool(getattr(self.statement, "is_select", False)) or bool(
            getattr(self.statement, "_returning", ())
        )


class NeedsDatabase(Exception):
    """An op's work asked a `Batch` for something only the database can answer (a row to read,
    an ORM object to flush): that op goes the long way."""


BATCH = "avoin.batch"  # session.info: the Batch its writes are kept for


class Batch:
    """An op's writes kept, in order, to be sent with its commit in one round trip: `session` is
    a session bound to nothing, whose `Prepared` writes land here; anything else it is asked to
    do (a read, the ORM) raises (NeedsDatabase, or SQLAlchemy's UnboundExecutionError)."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.statements: list[tuple[str, Any]] = []
        self.session = Session(expire_on_commit=False)
        self.session.info[BATCH] = self

    def add(self, statement: Prepared, params: dict[str, Any]) -> None:
        """Keep one statement whose result nobody reads."""
        self.statements.append(statement.bound(self.dialect, params))
