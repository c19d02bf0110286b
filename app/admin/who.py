"""Who an audit row's actor is, for an administrator: the account's name, and a participant's
display name while their meeting exists (a purged meeting leaves only the id)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from app.accounts import User
from app.audit.models import AuditEntry
from app.meetings.models import Participant


def names(session: Session, rows: Iterable[AuditEntry]) -> dict[str, str]:
    """actor → a readable name, for the actors that still have one."""
    users: set[int] = set()
    people: set[str] = set()
    for row in rows:
        kind, _, key = row.actor.partition(":")
        if kind == "user" and key.isdigit():
            users.add(int(key))
        elif kind == "participant" and key:
            people.add(key)
    found: dict[str, str] = {}
    if users:
        for user in session.exec(select(User).where(col(User.id).in_(users))):
            found[f"user:{user.id}"] = f"{user.display_name or user.username} ({user.username})"
    if people:
        for person in session.exec(select(Participant).where(col(Participant.id).in_(people))):
            label = f"{person.name} ({person.role_label})" if person.role_label else person.name
            found[f"participant:{person.id}"] = label
    return found
