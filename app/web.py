"""Request-scoped dependencies shared by the JSON routes and the pages."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlmodel import Session

from app.db import transaction


def db_session(request: Request) -> Iterator[Session]:
    """One session per request; this is where it commits or rolls back."""
    with transaction(request.app.state.engine) as session:
        yield session
