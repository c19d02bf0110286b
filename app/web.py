"""Request-scoped dependencies shared by the JSON routes and the pages, declared once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.accounts import User, user_for_token
from app.auth import session_token
from app.db import WRITE_OPTION
from app.errors import AppError

# Reading pages and answers never take the write lock (a flood of them must not hold up the
# live meetings' ops); a state change (POST, DELETE) writes in one short transaction.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def db_session(request: Request) -> AsyncIterator[Session]:
    """One session per request; this is where it commits or rolls back.

    It takes a connection only when the handler first uses it (in the handler's thread), and
    gives it back here, on the event loop: a sync generator would need a free worker thread to
    give it back, and a flood that holds every worker waiting for a connection would then hold
    the connections for ever (the pool's 30 s timeout, then 5xx for everyone)."""
    engine = request.app.state.engine
    if request.method not in READING_METHODS:
        engine = engine.execution_options(**{WRITE_OPTION: True})
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": the session commits before the response leaves, so the next request sees it.
DbSession = Annotated[Session, Depends(db_session, scope="function")]


def professional(request: Request, session: Session) -> User | None:
    """The professional logged in on this request, if any."""
    return user_for_token(session, session_token(request))


def current_user(request: Request, session: DbSession) -> User:
    """The logged-in professional, or `forbidden`."""
    user = professional(request, session)
    if user is None:
        raise AppError("forbidden", "Please log in.")
    return user


# A route's professional, who must be logged in.
CurrentUser = Annotated[User, Depends(current_user)]
