"""The shared screen's credentials: a link's key that opens the screen once, traded for a
device's key kept in a cookie. Only their hashes are stored."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.accounts import new_token, token_hash
from app.meetings.models import Meeting, ScreenKey

SCREEN_DAYS = 1  # a device's cookie: the meeting's day, and its summary code after the close


def new_link(session: Session, meeting_id: str) -> str:
    """A fresh token for the screen's link; the one shown before, if unopened, stops working."""
    forget_links(session, meeting_id)
    token = new_token()
    session.add(ScreenKey(token_hash=token_hash(token), meeting_id=meeting_id, link=True))
    session.flush()
    return token


def forget_links(session: Session, meeting_id: str) -> None:
    """The meeting's unopened screen links end (at the close, or when a new one is shown)."""
    session.execute(
        delete(ScreenKey).where(
            col(ScreenKey.meeting_id) == meeting_id,
            col(ScreenKey.link) == True,  # noqa: E712 - SQL, not Python truthiness
        )
    )


def exchange(session: Session, meeting_id: str, token: str) -> str | None:
    """The device's key for an open meeting's link token (the link is spent), or None."""
    status = session.exec(select(Meeting.status).where(Meeting.id == meeting_id)).first()
    if status != "open":
        return None
    spent = session.execute(
        delete(ScreenKey).where(
            col(ScreenKey.token_hash) == token_hash(token),
            col(ScreenKey.meeting_id) == meeting_id,
            col(ScreenKey.link) == True,  # noqa: E712
        )
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        return None  # unknown, or opened already (two at once: one of them wins)
    device = new_token()
    session.add(ScreenKey(token_hash=token_hash(device), meeting_id=meeting_id, link=False))
    return device
